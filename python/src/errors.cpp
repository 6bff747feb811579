#include "errors.hpp"

#include "core/error.hpp"

namespace py = pybind11;

namespace sw::python {

namespace {

void raise(const Error& e) {
  const py::module_ errors = py::module_::import("stillwater.errors");
  const char* name = e.code() == ExitCode::usage ? "UsageError" : "Error";
  const py::object cls = errors.attr(name);
  const py::object instance = cls(e.what(), static_cast<int>(e.code()));
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

void register_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const Error& e) {
      raise(e);
    }
  });
}

}  // namespace sw::python
