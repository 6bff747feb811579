// stillwater's entry point: dispatch to a subcommand, and turn every sw::Error into exactly one
// line on stderr and a meaningful exit code (see `stillwater --help`).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "cli/commands.hpp"
#include "core/build_id.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/heap.hpp"
#include "exec/mpi_session.hpp"
#include "exec/pipeline.hpp"
#include "io/byte_source.hpp"
#include "io/library_log.hpp"
#include "io/s3_source.hpp"

namespace {

constexpr const char* kHelp = R"(Usage: stillwater COMMAND [OPTIONS]

stillwater reads a shaky video and writes a stabilized one, keeping audio, timing and metadata.

Commands:
  stabilize IN -o OUT   analyse the camera motion, smooth it, and render a stabilized video
  stabilize IN... -o DIR/, stabilize DIR -o OUTDIR/
                        the same for several files, or a directory's videos, one by one
  analyze IN --store S  the analysis pass (and the path) alone, into a Zarr store
  render IN --store S -o OUT
                        the render pass alone, from a store's corrections
  metrics IN [OUT]      measure the residual jitter of a video (and of its stabilized version)
  report S -o R.html    an HTML report of a store: charts, metrics, frames before/after

Run `stillwater COMMAND --help` for a command's options.

Options:
  -h, --help            show this help
  --version             print the version and the build (git describe, or a hash of the
                        sources): stores and MPI ranks tell builds apart by it

Exit codes:
  0    success
  1    the run failed (bad input, I/O error, ...): one line on stderr says why; in a
       batch, any file failed (each has its line, and a last line names them)
  2    bad command line
  130  interrupted (Ctrl-C); nothing partial is left behind
)";

// The first SIGINT/SIGTERM asks every loop to stop (core/cancel.hpp), so temporaries are removed
// on the way out; a second one ends the program at once (e.g. while it waits on the network).
void on_signal(int) {
  if (sw::g_cancel.exchange(true)) ::_exit(static_cast<int>(sw::ExitCode::interrupted));
}

}  // namespace

int main(int argc, char** argv) {
  sw::heap::keep_large_blocks();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  sw::io::set_library_log(false);  // commands turn it on with --verbose
  // s3:// inputs are read through the shared S3 client (settings: cli::configure_s3).
  sw::io::set_url_opener("s3://", sw::io::s3_url_opener());
  const std::span<char* const> all(argv, static_cast<std::size_t>(argc));
  try {
    if (argc < 2) {
      std::fputs(kHelp, stderr);
      return static_cast<int>(sw::ExitCode::usage);
    }
    const std::string command = argv[1];
    const auto rest = all.subspan(2);
    if (command == "-h" || command == "--help" || command == "help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (command == "--version") {
      std::printf("stillwater %s (build %s)\n", SW_VERSION, std::string(sw::build_id()).c_str());
      return 0;
    }
    if (command == "stabilize") return sw::cli::cmd_stabilize(rest);
    if (command == "metrics") return sw::cli::cmd_metrics(rest);
    if (command == "analyze") return sw::cli::cmd_analyze(rest);
    if (command == "render") return sw::cli::cmd_render(rest);
    if (command == "report") return sw::cli::cmd_report(rest);
    throw sw::Error(command, "unknown command (see stillwater --help)", sw::ExitCode::usage);
  } catch (const sw::Error& e) {
    std::fprintf(stderr, "stillwater: %s\n", e.what());
    sw::exec::mpi::stop_after_error(static_cast<int>(e.code()));
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stillwater: internal error: %s\n", e.what());
    sw::exec::mpi::stop_after_error(static_cast<int>(sw::ExitCode::failure));
    return static_cast<int>(sw::ExitCode::failure);
  }
}
