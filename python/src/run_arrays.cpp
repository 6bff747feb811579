#include "run_arrays.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>

#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "path/path.hpp"
#include "s3/shared_client.hpp"
#include "store/run_store.hpp"
#include "store/zarr_array.hpp"

namespace py = pybind11;

namespace sw::python {

namespace {

// The per-frame arrays a Run exposes, in docs/store-format.md's order; the optional ones are
// left out when the store has none (older stores, no path yet).
constexpr const char* kArrays[] = {
    "pts",    "time_s",      "keyframe",     "motion",     "motion_scale", "features", "status",
    "valid",  "scene_score", "picture_diff", "trajectory", "smoothed",     "lof",      "outlier",
    "repeat", "radius",      "cut",          "limited",    "correction"};

void configure_s3(const std::string& endpoint) {
  s3::configure(s3::S3Config::from_environment(endpoint));
}

py::array to_numpy(const store::Array& a) {
  const store::Bytes bytes = a.read_all_bytes();
  std::vector<py::ssize_t> shape(a.meta().shape.begin(), a.meta().shape.end());
  py::array out(py::dtype(a.meta().dtype), shape);
  if (static_cast<std::size_t>(out.nbytes()) != bytes.size())
    throw Error(a.path(), "read " + std::to_string(bytes.size()) + " bytes, expected " +
                              std::to_string(out.nbytes()));
  std::memcpy(out.mutable_data(), bytes.data(), bytes.size());
  return out;
}

// (arrays, attributes as JSON text) of the store at `location`.
py::tuple read_store(const std::string& location, const std::string& s3_endpoint) {
  configure_s3(s3_endpoint);
  py::dict arrays;
  std::string attrs;
  {
    std::vector<std::pair<std::string, store::Array>> opened;
    {
      py::gil_scoped_release release;
      const store::RunStore run = store::RunStore::open_existing(location);
      attrs = run.attrs().dump();
      for (const char* name : kArrays) {
        if (run.backend_ptr()->exists(std::string(name) + "/.zarray"))
          opened.emplace_back(name, store::Array::open(run.backend_ptr(), name));
      }
    }
    for (const auto& [name, array] : opened) arrays[py::str(name)] = to_numpy(array);
  }
  return py::make_tuple(arrays, attrs);
}

template <class T>
py::array_t<T> column(const std::vector<T>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  std::memcpy(out.mutable_data(), values.data(), values.size() * sizeof(T));
  return out;
}

py::array flags(const std::vector<std::uint8_t>& values) {
  const std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(values.size())};
  py::array out(py::dtype("|b1"), shape);
  std::memcpy(out.mutable_data(), values.data(), values.size());
  return out;
}

// Rows of `Columns` doubles (Vec3, Transform2D) as an (N, Columns) array.
template <std::size_t Columns, class Row>
py::array_t<double> rows(const std::vector<Row>& values) {
  static_assert(sizeof(Row) == Columns * sizeof(double));
  py::array_t<double> out(
      {static_cast<py::ssize_t>(values.size()), static_cast<py::ssize_t>(Columns)});
  std::memcpy(out.mutable_data(), values.data(), values.size() * sizeof(Row));
  return out;
}

// The path from the store's motions with the path options given as command-line words
// (`--radius 5`, ...), the same table and checks as `render --replan`.
py::dict replan(const std::string& location, const std::vector<std::string>& words,
                const std::string& s3_endpoint) {
  std::vector<cli::Option> table;
  cli::append_options(table, cli::kPathGroup);
  std::vector<std::string> storage = words;
  std::vector<char*> argv;
  for (auto& w : storage) argv.push_back(w.data());
  const cli::Args args = cli::parse_args(argv, table);
  if (!args.positional.empty())
    throw Error(args.positional[0], "unexpected argument: replan takes path options only",
                ExitCode::usage);
  const exec::RunOptions options = cli::run_options_from(args, cli::kPathGroup);
  configure_s3(s3_endpoint);
  path::PathResult p;
  {
    py::gil_scoped_release release;
    const store::RunStore run = store::RunStore::open_existing(location);
    if (!run.has_motions())
      throw Error(location, "has no analysis yet (run `stillwater analyze` first)");
    const auto attrs = run.attrs();
    const path::FrameSize size{attrs.at("input").at("width").get<int>(),
                               attrs.at("input").at("height").get<int>()};
    p = path::plan_path(run.read_motions(), options.path, size);
  }
  py::dict d;
  d["trajectory"] = rows<3>(p.trajectory);
  d["smoothed"] = rows<3>(p.smoothed);
  d["lof"] = column(p.lof);
  d["outlier"] = flags(p.outlier);
  d["repeat"] = flags(p.repeat);
  d["radius"] = column(p.radius);
  d["cut"] = column(p.cut);
  d["limited"] = flags(p.limited);
  d["correction"] = rows<4>(p.correction);
  return d;
}

}  // namespace

void register_run_arrays(py::module_& m) {
  m.def("read_store", &read_store, py::arg("location"), py::arg("s3_endpoint") = "",
        "(arrays, attrs JSON) of a run store, a directory or s3://BUCKET/PREFIX.");
  m.def("replan", &replan, py::arg("location"), py::arg("argv"), py::arg("s3_endpoint") = "",
        "The path arrays recomputed from the store's motions with path options (argv words).");
}

}  // namespace sw::python
