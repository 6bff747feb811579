#include "frames.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "exec/caller_frames_input.hpp"
#include "render/warp_rgb.hpp"
#include "store/frame_array.hpp"
#include "store/local_backend.hpp"

namespace py = pybind11;

namespace sw::python {

namespace {

std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) s += (d ? ", " : "") + std::to_string(a.shape(d));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

// `frame` as an (H, W, 3) uint8 array (any strides), or a usage error naming what it is instead.
py::array any_frame(const py::handle& frame, const std::string& what) {
  if (!py::isinstance<py::array>(frame)) {
    throw Error(what,
                "expected a numpy array (H, W, 3) uint8, got " +
                    std::string(py::str(py::type::of(frame).attr("__name__"))),
                ExitCode::usage);
  }
  auto a = py::reinterpret_borrow<py::array>(frame);
  if (a.ndim() != 3 || a.shape(2) != 3)
    throw Error(what, "expected shape (H, W, 3), got " + shape_text(a), ExitCode::usage);
  if (!a.dtype().is(py::dtype::of<std::uint8_t>()))
    throw Error(what, "expected dtype uint8, got " + std::string(py::str(a.dtype())),
                ExitCode::usage);
  return a;
}

// The same, of the given size.
py::array checked_frame(const py::handle& frame, int width, int height, const std::string& what) {
  py::array a = any_frame(frame, what);
  if (a.shape(0) != height || a.shape(1) != width) {
    throw Error(what,
                "expected shape (" + std::to_string(height) + ", " + std::to_string(width) +
                    ", 3) like the first frame, got " + shape_text(a),
                ExitCode::usage);
  }
  return a;
}

// Copies an (H, W, 3) uint8 array of any strides into packed rows of 3 W bytes.
void copy_frame(const py::array& a, std::uint8_t* rgb) {
  const auto* base = static_cast<const std::uint8_t*>(a.data());
  const py::ssize_t h = a.shape(0), w = a.shape(1);
  const py::ssize_t sy = a.strides(0), sx = a.strides(1), sc = a.strides(2);
  for (py::ssize_t y = 0; y < h; ++y) {
    const std::uint8_t* row = base + y * sy;
    if (sx == 3 && sc == 1) {
      std::memcpy(rgb, row, static_cast<std::size_t>(w) * 3);
      rgb += w * 3;
      continue;
    }
    for (py::ssize_t x = 0; x < w; ++x)
      for (py::ssize_t c = 0; c < 3; ++c) *rgb++ = row[x * sx + c * sc];
  }
}

// A Python object the C++ side may copy and drop on any thread: whoever drops the last copy
// takes the GIL to release it (the analysis workers hold copies of the frame callable).
std::shared_ptr<py::object> shared_object(py::object o) {
  return {new py::object(std::move(o)), [](py::object* p) {
            const py::gil_scoped_acquire gil;
            delete p;
          }};
}

// Frames a Python callable hands out, registered under a name for the duration of a call.
// The workers call it one at a time (exec::CallerFrames), each call taking the GIL.
class Registered {
 public:
  Registered(py::object read, std::int64_t frames, int width, int height, double fps,
             std::string name) {
    exec::CallerFrames f;
    f.frames = frames;
    f.width = width;
    f.height = height;
    f.fps = fps;
    f.name = name;
    f.read = [read = shared_object(std::move(read)), width, height, name](std::int64_t k,
                                                                          std::uint8_t* rgb) {
      const py::gil_scoped_acquire gil;
      const std::string what = name + ": frame " + std::to_string(k);
      try {
        const py::object frame = (*read)(k);
        copy_frame(checked_frame(frame, width, height, what), rgb);
      } catch (py::error_already_set& e) {
        // One line, as every error (what() would add the traceback); `e` is dropped here, with
        // the GIL held.
        throw Error(what, std::string(py::str(e.type().attr("__name__"))) + ": " +
                              std::string(py::str(e.value())));
      }
    };
    try {
      registered_.emplace(std::move(f));
    } catch (const Error& e) {  // a bad description is the caller's argument
      throw Error(e.subject(), e.problem(), ExitCode::usage);
    }
  }

  std::string name() const {
    if (!registered_) throw Error("frames", "already closed");
    return registered_->name();
  }
  void close() { registered_.reset(); }

 private:
  std::optional<exec::RegisteredFrames> registered_;
};

// As exec::CallerFrames checks it (a frames array's "fps" attribute is read with that range).
void check_fps(double fps) {
  if (!(fps >= store::kMinFramesFps && fps <= store::kMaxFramesFps))
    throw Error("fps", "expected a number from 0.001 to 1000000, got " + std::to_string(fps),
                ExitCode::usage);
}

// A Zarr frames array of RGB frames written one by one, whose number is known only at the end:
// created for the most frames an array may hold, then sized by finish(n), which writes the
// .zarray again (store::FrameArrayWriter replaces the .zarray and keeps the chunks written).
class FramesArray {
 public:
  FramesArray(const std::string& dir, int width, int height, double fps)
      : backend_(std::make_shared<store::LocalBackend>(dir)),
        width_(width),
        height_(height),
        fps_(fps),
        writer_((check_fps(fps), backend_), "", store::FrameLayout::rgb, store::kMaxFrames, width,
                height, store::Compressor::blosc(), fps) {}

  void write(std::int64_t k, const py::object& frame) {
    const py::array a = checked_frame(frame, width_, height_, "frame " + std::to_string(k));
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width_) * height_ * 3);
    copy_frame(a, rgb.data());
    const py::gil_scoped_release release;  // compressing and writing need no Python
    writer_.write(static_cast<std::uint64_t>(k), rgb.data(), static_cast<std::size_t>(width_) * 3);
  }

  void finish(std::int64_t frames) {
    store::FrameArrayWriter(backend_, "", store::FrameLayout::rgb,
                            static_cast<std::uint64_t>(frames), width_, height_,
                            store::Compressor::blosc(), fps_);
  }

 private:
  std::shared_ptr<store::LocalBackend> backend_;
  int width_;
  int height_;
  double fps_;
  store::FrameArrayWriter writer_;
};

render::Border border_named(const std::string& name) {
  if (const auto border = value_of<render::Border>(name)) return *border;
  std::string known;
  for (const auto& n : names<render::Border>()) known += (known.empty() ? "" : ", ") + n;
  throw Error("border", "expected one of " + known + ", got '" + name + "'", ExitCode::usage);
}

py::array_t<std::uint8_t> warp(const py::object& frame, const std::vector<double>& row,
                               const std::string& border) {
  const py::array a = any_frame(frame, "frame");
  const auto height = static_cast<int>(a.shape(0)), width = static_cast<int>(a.shape(1));
  if (row.size() != 4) {
    throw Error("correction",
                "expected a row of 4 numbers (dx, dy, da, zoom), got " + std::to_string(row.size()),
                ExitCode::usage);
  }
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
  copy_frame(a, rgb.data());
  std::vector<std::uint8_t> out;
  try {
    const py::gil_scoped_release release;
    out = render::warp_rgb(rgb.data(), width, height, static_cast<std::size_t>(width) * 3,
                           {row[0], row[1], row[2], row[3]}, {border_named(border), 0});
  } catch (const Error& e) {  // a bad transform is the caller's argument
    throw Error(e.subject(), e.problem(), ExitCode::usage);
  }
  py::array_t<std::uint8_t> result({height, width, 3});
  std::memcpy(result.mutable_data(), out.data(), out.size());
  return result;
}

}  // namespace

void register_frames(py::module_& m) {
  py::class_<Registered>(m, "RegisteredFrames",
                         "Frames read(k) -> (H, W, 3) uint8 as the input named .name until "
                         "close().")
      .def(py::init<py::object, std::int64_t, int, int, double, std::string>(), py::arg("read"),
           py::arg("frames"), py::arg("width"), py::arg("height"), py::arg("fps"), py::arg("name"))
      .def_property_readonly("name", &Registered::name)
      .def("close", &Registered::close);
  py::class_<FramesArray>(m, "FramesArrayWriter",
                          "An RGB Zarr frames array at dir, written frame by frame; "
                          "finish(n) sizes it.")
      .def(py::init<std::string, int, int, double>(), py::arg("dir"), py::arg("width"),
           py::arg("height"), py::arg("fps"))
      .def("write", &FramesArray::write, py::arg("k"), py::arg("frame"))
      .def("finish", &FramesArray::finish, py::arg("frames"));
  m.def("warp", &warp, py::arg("frame"), py::arg("correction"), py::arg("border") = "black",
        "One (H, W, 3) uint8 frame warped by (dx, dy, da, zoom) as the render warps it.");
}

}  // namespace sw::python
