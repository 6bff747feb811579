// stillwater._core's store access for stillwater.Run: a run store's per-frame arrays as numpy
// arrays, read with the store's own reader (store/zarr_array.hpp: a directory or s3://, the
// dtypes and bytes as stored), and the path recomputed in memory from its motions with the
// path options (path::plan_path, as `render --replan` plans it).
#pragma once

#include <pybind11/pybind11.h>

namespace sw::python {

void register_run_arrays(pybind11::module_& m);

}  // namespace sw::python
