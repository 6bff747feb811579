// `stillwater render IN --store RUN.zarr -o OUT`: the render pass from a store's corrections
// (as analysis wrote them, or as a user edited them in Python), or from a new path with
// --replan.
#include <cstdio>

#include "cli/command_runs.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/passes.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"

namespace sw::cli {

namespace {

constexpr unsigned kGroups = kExecGroup | kAnalysisGroup | kPathGroup | kRenderGroup;

constexpr const char* kDescription =
    "Renders OUT from IN with the per-frame corrections in the store (--store, required), as\n"
    "`stillwater analyze` wrote them or as you edited them with zarr-python (array "
    "`correction`,\nshape (N, 4): dx, dy, da, zoom). The analysis options must match the "
    "store's (they identify\nit). Running it again after an interruption reuses the finished "
    "segments. The path options\n(--smoother, --radius, ...) need --replan: without it the "
    "store's corrections are used as they\nare, and the path parameters recorded with them "
    "stay as they were.";

}  // namespace

std::vector<Option> render_options() {
  std::vector<Option> t = {
      text_option("--output", "FILE", "the stabilized video to write", "", 'o'),
      flag_option("--overwrite", "overwrite FILE if it exists (never the input)", 'y'),
      flag_option("--replan",
                  "recompute the path from the stored motions with the path options "
                  "below, instead of using the store's correction array; the path options "
                  "are refused without it (the store keeps the path parameters its "
                  "corrections were made with)"),
  };
  append_options(t, kGroups);
  append_console_options(t, "no progress bar and no summary");
  return t;
}

std::string check_render(const Args& args) {
  const std::string input = single_positional(args, "render", "input file");
  if (args.text("--output").empty())
    throw Error("render", "missing -o OUT (see --help)", ExitCode::usage);
  if (args.text("--store").empty())
    throw Error("render", "missing --store DIR.zarr (see --help)", ExitCode::usage);
  configure_s3(args);
  return input;
}

RenderSummary run_render(const Args& args, const std::string& input, const RunHooks& hooks,
                         std::span<const Transform2D> given) {
  const std::string output = args.text("--output");
  check_output_paths({input, args.text("--store")},
                     {output, args.text("--trace"), args.text("--compare")},
                     args.flag("--overwrite"));
  const std::string compare = compare_target(args, input, output);
  apply_verbose(args);
  const bool replan = args.flag("--replan");
  if (replan && !given.empty())
    throw Error("--replan", "renders a new path: not with corrections given", ExitCode::usage);
  if (!replan) {
    // Without --replan a path option would change nothing, and recording it would make the
    // store describe corrections it does not hold.
    std::vector<Option> path_options;
    append_options(path_options, kPathGroup);
    for (const Option& o : path_options) {
      if (args.given(o.name)) {
        throw Error(o.name,
                    "is a path option: it needs --replan (render without it applies the store's "
                    "corrections as they are)",
                    ExitCode::usage);
      }
    }
  }
  exec::RunOptions options = run_options_from(args, kGroups);
  options.keep_stored_path = !replan;
  options.stop = hooks.stop;

  exec::Prepared run = exec::prepare(input, options);
  if (!run.store->has_motions()) {
    throw Error(options.store, "has no analysis yet (run `stillwater analyze` first)");
  }
  const auto frames = static_cast<std::int64_t>(run.index.size());
  std::vector<Transform2D> corrections, camera;
  std::vector<std::uint8_t> cut;
  if (replan) {
    path::PathResult path = path_pass(run, options, run.store->read_motions());
    corrections = std::move(path.correction);
    camera = exec::camera_transforms(path.trajectory);
    cut = std::move(path.cut);
  } else {
    corrections = given.empty() ? run.store->read_corrections(frames)
                                : std::vector<Transform2D>(given.begin(), given.end());
    // The store's corrections were planned for full frame: render fills too.
    if (run.store->attrs().value("/path/crop"_json_pointer, nlohmann::json()) == "fill")
      options.warp.fill_radius = static_cast<int>(args.integer("--fill-radius"));
    if (options.warp.fill_radius > 0) {
      camera = exec::camera_transforms(run.store->read_trajectory(frames));
      cut = run.store->read_cuts(frames);
    }
  }
  const auto rendered = render_pass(run, options, corrections, {camera, cut}, output, hooks);
  RenderSummary s;
  s.output = output;
  s.frames = rendered.frames;
  s.segments = static_cast<std::int64_t>(run.plan.segments.size());
  s.resumed_segments = rendered.resumed_segments;
  s.seconds = rendered.seconds;
  s.fill = fill_summary(rendered);
  // Printed before the side-by-side video's line, as always.
  if (!args.flag("--quiet")) print_summary(s);
  write_compare_video(compare, input, output, options, args.flag("--quiet"));
  return s;
}

void print_summary(const RenderSummary& s) {
  std::printf("%s: %lld frames in %lld segments (%lld resumed); %.1f s (%.0f fps)\n",
              s.output.c_str(), static_cast<long long>(s.frames),
              static_cast<long long>(s.segments), static_cast<long long>(s.resumed_segments),
              s.seconds, s.frames / std::max(1e-9, s.seconds));
  print_fill_summary(s.output, s.fill);
}

int cmd_render(std::span<char* const> argv) {
  const auto table = render_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(
        format_help("stillwater render IN --store RUN.zarr -o OUT [OPTIONS]", kDescription, table)
            .c_str(),
        stdout);
    return 0;
  }
  const std::string input = check_render(args);
  if (const auto served = start_mpi(args)) return *served;
  RunReport report(args);
  run_render(args, input, console_hooks(args));
  report.finish();
  return 0;
}

}  // namespace sw::cli
