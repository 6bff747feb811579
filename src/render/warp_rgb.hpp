// One packed RGB frame warped by a frame's correction, as the render pass would show it: so a
// notebook (stillwater.warp) can look at any frame of the output without rendering the video.
//
// The geometry is the render's (render/warp.hpp: plane_map about the frame centre, output pixel
// q samples the input at T^-1(q), integer bilinear of render/bilinear.hpp), applied to each of
// R, G and B as a full-size plane. The border policy is the render's; `black` is RGB (0, 0, 0),
// what the render's limited-range black (Y 16, U V 128) decodes to. Full frame (fill_radius > 0)
// needs the neighbouring frames and is refused.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "render/warp.hpp"

namespace sw::render {

// `rgb`: height rows of 3 * width bytes (R G B), `stride` bytes apart (>= 3 * width). Returns
// the warped frame, height rows of 3 * width bytes, C order. Throws sw::Error for a bad size,
// stride or transform (render/warp.hpp's rules), or params.fill_radius > 0.
std::vector<std::uint8_t> warp_rgb(const std::uint8_t* rgb, int width, int height,
                                   std::size_t stride, const Transform2D& correction,
                                   const WarpParams& params);

}  // namespace sw::render
