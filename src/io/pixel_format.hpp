// Pixel formats by libav name, for checking --pix-fmt where the command line is read (libav-free).
#pragma once

#include <string>

namespace sw::io {

// Whether libav has a pixel format of that name ("yuv420p10le"); the encoder still decides
// whether it takes it.
bool known_pixel_format(const std::string& name);

}  // namespace sw::io
