// The packed frame is split into three full-size planes (the sampler reads one sample a tap),
// each warped through the luma plane's map, and packed again. The cost (two copies of the
// frame) does not matter for one frame looked at in a notebook.
#include "render/warp_rgb.hpp"

#include <string>

#include "core/error.hpp"
#include "render/bilinear.hpp"

namespace sw::render {

std::vector<std::uint8_t> warp_rgb(const std::uint8_t* rgb, int width, int height,
                                   std::size_t stride, const Transform2D& correction,
                                   const WarpParams& params) {
  if (width <= 0 || height <= 0) {
    throw Error("warp", "expected a frame of at least 1x1 pixels, got " + std::to_string(width) +
                            "x" + std::to_string(height));
  }
  const auto row = static_cast<std::size_t>(width) * 3;
  if (stride < row) {
    throw Error("warp", "expected rows of at least " + std::to_string(row) + " bytes, got " +
                            std::to_string(stride));
  }
  if (params.fill_radius > 0) {
    throw Error("warp", "expected no fill radius (full frame needs the neighbouring frames), got " +
                            std::to_string(params.fill_radius));
  }
  check_transform(correction);

  const auto pixels = static_cast<std::size_t>(width) * height;
  std::vector<std::uint8_t> planes(pixels * 3), warped(pixels * 3);
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* src = rgb + y * stride;
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c) planes[c * pixels + y * width + x] = src[3 * x + c];
  }
  for (int c = 0; c < 3; ++c) {
    const PlaneView in{planes.data() + c * pixels, width, width, height, 1};
    const MutablePlaneView out{warped.data() + c * pixels, width, width, height, 1};
    warp_plane_bilinear(in, out, plane_map(correction, 0, 0, in, out), params.border, 0);
  }
  std::vector<std::uint8_t> result(pixels * 3);
  for (std::size_t i = 0; i < pixels; ++i)
    for (int c = 0; c < 3; ++c) result[3 * i + c] = warped[c * pixels + i];
  return result;
}

}  // namespace sw::render
