#include "exec/job_server.hpp"

#include <filesystem>

#include "core/temporary.hpp"
#include "exec/job_codec.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

// A directory for the pieces this process renders before sending them; removed at the end.
// A TemporaryDir: created exclusively under an unpredictable name, never an existing one.
class ScratchDir {
 public:
  ScratchDir() : dir_(fs::temp_directory_path(), "rank-pieces") {}
  std::string piece(std::int64_t k) const { return dir_.file(std::to_string(k) + ".mp4").string(); }

 private:
  TemporaryDir dir_;
};

}  // namespace

std::vector<std::string> serve_job(std::string_view bytes, SegmentQueue& queue, StopToken stop) {
  const JobMessage m = decode_job(bytes);
  if (m.kind == "analysis") {
    const AnalysisRun run = analysis_run_of(m, stop);
    return serve_analysis(run, m.plan, queue);
  }
  RenderRun run = render_run_of(m, stop);
  ScratchDir scratch;
  run.piece_path = [&](std::int64_t k) { return scratch.piece(k); };
  return serve_render(run, m.plan, queue);
}

}  // namespace sw::exec
