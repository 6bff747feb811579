#include "commands.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "call.hpp"
#include "cli/command_runs.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"

namespace py = pybind11;

namespace sw::python {

namespace {

// The words as the binary's main() hands them to a command (argv after the command's name).
struct Argv {
  explicit Argv(std::vector<std::string> words) : words_(std::move(words)) {
    for (auto& w : words_) pointers_.push_back(w.data());
  }
  std::span<char* const> span() const { return pointers_; }

 private:
  std::vector<std::string> words_;
  std::vector<char*> pointers_;
};

std::vector<cli::Option> table_of(const std::string& command) {
  if (command == "stabilize") return cli::stabilize_options();
  if (command == "analyze") return cli::analyze_options();
  if (command == "render") return cli::render_options();
  if (command == "path") {  // the path options alone (what replan takes)
    std::vector<cli::Option> table;
    cli::append_options(table, cli::kPathGroup);
    return table;
  }
  throw Error(command, "unknown command", ExitCode::usage);
}

cli::Args parse(const std::string& command, const std::vector<std::string>& words) {
  const Argv argv(words);
  return cli::parse_args(argv.span(), table_of(command));
}

py::dict fill_dict(const cli::FillSummary& f) {
  py::dict d;
  d["frames"] = f.frames;
  d["frames_with_fallback"] = f.frames_with_fallback;
  d["neighbour_share"] = f.neighbour_share;
  d["fallback_share"] = f.fallback_share;
  d["ghost_share"] = f.ghost_share;
  return d;
}

// A shard's part of a summary: None, or {"index", "count", "done", "skipped"} (segments).
py::object shard_dict(const std::optional<cli::ShardWork>& w) {
  if (!w) return py::none();
  py::dict d;
  d["index"] = w->shard.index;
  d["count"] = w->shard.count;
  d["done"] = w->done;
  d["skipped"] = w->skipped;
  return d;
}

// The path stage's numbers, flat in a summary dict.
void put_planned(py::dict& d, const cli::PlannedPath& p) {
  d["jitter_before_px"] = p.jitter_before_px;
  d["jitter_after_px"] = p.jitter_after_px;
  d["outliers"] = p.outliers;
  d["invalid_pairs"] = p.invalid_pairs;
  d["not_held"] = p.not_held;  // --tripod / --horizon-lock: "; 46 of 315 frames not held ..."
}

py::dict stabilize(const std::vector<std::string>& words, const py::object& progress) {
  const cli::Args args = parse("stabilize", words);
  const cli::StabilizeFiles files = cli::check_stabilize(args);
  cli::StabilizeSummary s;
  run_released(
      [&](const cli::RunHooks& hooks) {
        cli::RunReport report(args);
        s = cli::run_stabilize(args, files, hooks, &report);
      },
      progress, 2);
  py::dict d;
  d["output"] = s.output;
  d["frames"] = s.frames;
  d["segments"] = s.segments;
  d["analysis_seconds"] = s.analysis_seconds;
  d["render_seconds"] = s.render_seconds;
  put_planned(d, s.path);
  d["fill"] = fill_dict(s.fill);
  d["shard"] = shard_dict(s.shard);
  return d;
}

py::dict analyze(const std::vector<std::string>& words, const py::object& progress) {
  const cli::Args args = parse("analyze", words);
  const std::string input = cli::check_analyze(args);
  cli::AnalyzeSummary s;
  run_released(
      [&](const cli::RunHooks& hooks) {
        cli::RunReport report(args);
        s = cli::run_analyze(args, input, hooks);
        report.finish();
      },
      progress, 1);
  py::dict d;
  d["store"] = s.store;
  d["frames"] = s.frames;
  d["segments"] = s.segments;
  d["resumed_segments"] = s.resumed_segments;
  d["overhead_frames"] = s.overhead_frames;
  d["seconds"] = s.seconds;
  put_planned(d, s.path);
  d["shard"] = shard_dict(s.shard);
  return d;
}

// `correction`: None, or an (N, 4) array of dx, dy, da, zoom (any float type, converted).
py::dict render(const std::vector<std::string>& words, const py::object& correction,
                const py::object& progress) {
  const cli::Args args = parse("render", words);
  const std::string input = cli::check_render(args);
  std::vector<Transform2D> given;
  if (!correction.is_none()) {
    const auto rows =
        py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(correction);
    if (!rows || rows.ndim() != 2 || rows.shape(1) != 4)
      throw Error("correction", "expected an array of shape (N, 4): dx, dy, da, zoom",
                  ExitCode::usage);
    given.resize(static_cast<std::size_t>(rows.shape(0)));
    const auto r = rows.unchecked<2>();
    for (py::ssize_t i = 0; i < rows.shape(0); ++i)
      given[static_cast<std::size_t>(i)] = {r(i, 0), r(i, 1), r(i, 2), r(i, 3)};
    if (given.empty())
      throw Error("correction", "expected one row per frame, got none", ExitCode::usage);
  }
  cli::RenderSummary s;
  run_released(
      [&](const cli::RunHooks& hooks) {
        cli::RunReport report(args);
        s = cli::run_render(args, input, hooks, given);
        report.finish();
      },
      progress, 1);
  py::dict d;
  d["output"] = s.output;
  d["frames"] = s.frames;
  d["segments"] = s.segments;
  d["resumed_segments"] = s.resumed_segments;
  d["seconds"] = s.seconds;
  d["fill"] = fill_dict(s.fill);
  d["not_held"] = s.not_held;  // --tripod / --horizon-lock: "; 46 of 315 frames not held ..."
  d["shard"] = shard_dict(s.shard);
  return d;
}

// (name, takes a value, choices, the value may be left out) per option of the command, in
// --help's order.
py::list options(const std::string& command) {
  py::list out;
  for (const cli::Option& o : table_of(command))
    out.append(py::make_tuple(o.name, !o.metavar.empty(), o.choices, !o.implicit_value.empty()));
  return out;
}

// The number of segments `analyze` plans for its words (the input and --segment-frames; the
// store is not opened): the Dask layer (stillwater/dask.py) makes one task per segment. A
// render from a store recorded with another segment length plans that store's segments
// instead; the shards still cover every segment (segment i goes to shard i mod N), only the
// number of tasks then differs from the number of segments.
std::int64_t segment_count(const std::vector<std::string>& words) {
  const cli::Args args = parse("analyze", words);
  const std::string input = cli::single_positional(args, "analyze", "input");
  cli::configure_s3(args);
  exec::RunOptions options =
      cli::run_options_from(args, cli::kExecGroup | cli::kAnalysisGroup | cli::kPathGroup);
  options.store.clear();
  options.shard.reset();
  options.distributor = nullptr;
  std::int64_t count = 0;
  run_released(
      [&](const cli::RunHooks& hooks) {
        options.stop = hooks.stop;
        count = static_cast<std::int64_t>(exec::prepare(input, options).plan.segments.size());
      },
      py::none(), 1);
  return count;
}

}  // namespace

void register_commands(py::module_& m) {
  m.def("stabilize", &stabilize, py::arg("argv"), py::arg("progress") = py::none(),
        "The `stabilize` command on one file; argv: its words after `stabilize`.");
  m.def("analyze", &analyze, py::arg("argv"), py::arg("progress") = py::none(),
        "The `analyze` command; argv: its words after `analyze`.");
  m.def("render", &render, py::arg("argv"), py::arg("correction") = py::none(),
        py::arg("progress") = py::none(),
        "The `render` command; with `correction` (N, 4), those instead of the store's.");
  m.def("segment_count", &segment_count, py::arg("argv"),
        "The number of segments of `analyze ARGV`'s plan (one Dask task each).");
  m.def("options", &options, py::arg("command"),
        "The command's options: (name, takes a value, choices, value optional).");
}

}  // namespace sw::python
