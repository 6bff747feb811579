#include "report/filled_area.hpp"

#include <cmath>
#include <cstring>

namespace sw::report {

bool uncovered(const Transform2D& c, int in_w, int in_h, int out_w, int out_h, double x, double y) {
  const double ox = x - 0.5 * (out_w - 1) - c.dx, oy = y - 0.5 * (out_h - 1) - c.dy;
  const double cs = std::cos(c.da), sn = std::sin(c.da), iz = 1.0 / c.zoom;
  const double px = iz * (cs * ox + sn * oy), py = iz * (-sn * ox + cs * oy);
  return std::abs(px) > 0.5 * (in_w - 1) || std::abs(py) > 0.5 * (in_h - 1);
}

OwnedFrame tint_uncovered(const FrameView& out, const Transform2D& c, int in_w, int in_h,
                          double& share) {
  OwnedFrame f;
  f.view = out;
  for (int p = 0; p < 3; ++p) {
    const PlaneView& src = out.planes[p];
    const auto row = static_cast<std::size_t>(src.width) * src.bytes_per_sample;
    f.planes[p].resize(row * static_cast<std::size_t>(src.height));
    for (int y = 0; y < src.height; ++y) {
      std::memcpy(f.planes[p].data() + row * static_cast<std::size_t>(y),
                  src.data + static_cast<std::ptrdiff_t>(y) * src.stride, row);
    }
    f.view.planes[p].data = f.planes[p].data();
    f.view.planes[p].stride = static_cast<int>(row);
  }
  const int w = out.planes[0].width, h = out.planes[0].height;
  std::int64_t count = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) count += uncovered(c, in_w, in_h, w, h, x, y);
  }
  share = w > 0 && h > 0 ? double(count) / (double(w) * h) : 0;
  // A chroma sample stands for a block of 2^shift luma pixels: test the block's centre.
  const double sx = 1 << out.chroma_shift_x, sy = 1 << out.chroma_shift_y;
  for (int p = 1; p < 3 && out.planes[p].bytes_per_sample == 1; ++p) {
    const int cw = out.planes[p].width, ch = out.planes[p].height;
    for (int y = 0; y < ch; ++y) {
      std::uint8_t* line = f.planes[p].data() + static_cast<std::size_t>(y) * cw;
      for (int x = 0; x < cw; ++x) {
        if (uncovered(c, in_w, in_h, w, h, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5))
          line[x] = static_cast<std::uint8_t>((line[x] + 240 + 1) / 2);
      }
    }
  }
  return f;
}

}  // namespace sw::report
