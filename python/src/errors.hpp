// sw::Error as Python exceptions: stillwater.Error (a RuntimeError) carrying the binary's
// one-line message (without the "stillwater: " prefix) and its exit code, and
// stillwater.UsageError (also a ValueError) for what the binary calls a bad command line:
// an unknown option, a value out of range, a missing argument. The classes are defined in
// Python (stillwater/errors.py) so they can be caught and documented like any other.
#pragma once

#include <pybind11/pybind11.h>

namespace sw::python {

void register_errors(pybind11::module_& m);

}  // namespace sw::python
