// stillwater._core's commands: stabilize, analyze and render, each taking the command line's
// words (the Python layer turns keyword arguments into them) and returning the command's
// summary as a dict; and the option tables, so the Python layer knows flags from values.
#pragma once

#include <pybind11/pybind11.h>

namespace sw::python {

void register_commands(pybind11::module_& m);

}  // namespace sw::python
