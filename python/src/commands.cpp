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
  d["jitter_before_px"] = s.jitter_before_px;
  d["jitter_after_px"] = s.jitter_after_px;
  d["outliers"] = s.outliers;
  d["invalid_pairs"] = s.invalid_pairs;
  d["fill"] = fill_dict(s.fill);
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
  d["jitter_before_px"] = s.jitter_before_px;
  d["jitter_after_px"] = s.jitter_after_px;
  d["outliers"] = s.outliers;
  d["invalid_pairs"] = s.invalid_pairs;
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

}  // namespace

void register_commands(py::module_& m) {
  m.def("stabilize", &stabilize, py::arg("argv"), py::arg("progress") = py::none(),
        "The `stabilize` command on one file; argv: its words after `stabilize`.");
  m.def("analyze", &analyze, py::arg("argv"), py::arg("progress") = py::none(),
        "The `analyze` command; argv: its words after `analyze`.");
  m.def("render", &render, py::arg("argv"), py::arg("correction") = py::none(),
        py::arg("progress") = py::none(),
        "The `render` command; with `correction` (N, 4), those instead of the store's.");
  m.def("options", &options, py::arg("command"),
        "The command's options: (name, takes a value, choices, value optional).");
}

}  // namespace sw::python
