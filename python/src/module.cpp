// stillwater._core: the C++ side of the `stillwater` package (python/stillwater/__init__.py is
// the API). Each area registers its functions from a file of its own.
#include <pybind11/pybind11.h>

#include "commands.hpp"
#include "errors.hpp"
#include "frames.hpp"
#include "io/byte_source.hpp"
#include "io/library_log.hpp"
#include "io/s3_source.hpp"
#include "run_arrays.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "stillwater's C++ core; use the `stillwater` package.";
  // As the binary's main(): libav's own log off (the verbose option turns it on), and s3://
  // inputs read through the shared S3 client.
  sw::io::set_library_log(false);
  sw::io::set_url_opener("s3://", sw::io::s3_url_opener());
  sw::python::register_errors(m);
  sw::python::register_commands(m);
  sw::python::register_run_arrays(m);
  sw::python::register_frames(m);
}
