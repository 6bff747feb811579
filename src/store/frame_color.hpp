// Colour conversions between the frames arrays (RGB, luma) and decoded video (planar YUV).
//
// Both directions use BT.601 limited range ("TV" range, Y in 16..235), the matrix libav's
// swscale applies when it turns RGB into yuv420p without a colour description, so the luma
// analysed from an RGB frames array is the luma the analysis would see if the same frames came
// in as an RGB video (io/frame_convert converts those with swscale).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/frame.hpp"

namespace sw::store {

// BT.601 limited-range luma, Y = 16 + (65.738 R + 129.057 G + 25.064 B) / 256, rounded, in the
// 15-bit fixed point swscale uses (libswscale/input.c: RY = round(0.299 * 219/255 * 2^15), ...):
//   Y = (8414 R + 16519 G + 3208 B + (16 << 15) + (1 << 14)) >> 15
// The result is always in 16..235. tests/store/frame_color_test.cpp checks it against
// swscale's rgb24 -> yuv420p output (equal, or within 1 where swscale truncates instead of
// rounding).
constexpr int kLumaR = 8414;
constexpr int kLumaG = 16519;
constexpr int kLumaB = 3208;
constexpr int kLumaShift = 15;
constexpr int kLumaOffset = (16 << kLumaShift) + (1 << (kLumaShift - 1));

constexpr std::uint8_t rgb_to_luma(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  return static_cast<std::uint8_t>((kLumaR * r + kLumaG * g + kLumaB * b + kLumaOffset) >>
                                   kLumaShift);
}

// Converts width x height packed RGB pixels (rows rgb_stride bytes apart) into luma (rows
// luma_stride bytes apart) with rgb_to_luma.
void rgb_to_luma(const std::uint8_t* rgb, std::size_t rgb_stride, int width, int height,
                 std::uint8_t* luma, std::size_t luma_stride);

// Converts a planar YUV frame (4:2:0, 4:2:2 or 4:4:4; 8-bit, or 16-bit words of bit_depth
// bits) into packed RGB, width x height x 3 bytes in C order (rgb is resized).
//
// BT.601 limited range, as OpenCV's COLOR_YUV2RGB_I420 computes it (R = 1.164 (Y - 16) +
// 1.596 (V - 128), ...; 20-bit fixed point, results clamped to 0..255). 8-bit 4:2:0 frames of
// even size go through cv::cvtColor(COLOR_YUV2RGB_I420) itself. Every other frame uses the
// same fixed-point formula here, with each chroma sample applied to the pixels it covers (as
// I420 does) and samples of more than 8 bits first rounded to 8 (v + 2^(d-9)) >> (d-8); a test
// checks that this path equals cvtColor on 4:2:0 frames, so the two never disagree.
// Stored RGB frames are thus 8-bit whatever the video's depth: they are for looking at and for
// the Python tools, not for re-encoding.
void yuv_to_rgb(const FrameView& frame, std::vector<std::uint8_t>& rgb);

}  // namespace sw::store
