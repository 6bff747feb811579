// encode_jpeg: the bytes are a JPEG that ffmpeg decodes at the requested size, with the
// limited-range input's levels mapped to full range (black 16 -> 0, white 235 -> 255).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

extern "C" {
#include <libavutil/mem.h>
}

#include <climits>

#include "core/error.hpp"
#include "io/jpeg.hpp"
#include "io_test_util.hpp"

namespace sw::io {
namespace {

// A 4:2:0 frame: left half luma 16 (black), right half 235 (white), neutral chroma.
struct TwoTone {
  int w = 320, h = 180;
  std::vector<std::uint8_t> y, u, v;
  TwoTone() : y(w * h), u((w / 2) * (h / 2), 128), v((w / 2) * (h / 2), 128) {
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) y[r * w + c] = c < w / 2 ? 16 : 235;
  }
  FrameView view() const {
    FrameView f;
    f.planes[0] = PlaneView{y.data(), w, w, h, 1};
    f.planes[1] = PlaneView{u.data(), w / 2, w / 2, h / 2, 1};
    f.planes[2] = PlaneView{v.data(), w / 2, w / 2, h / 2, 1};
    f.chroma_shift_x = f.chroma_shift_y = 1;
    f.bit_depth = 8;
    return f;
  }
};

// Decodes a JPEG file to full-range grey with the ffmpeg CLI.
std::vector<std::uint8_t> decode_grey(const std::string& jpeg, int w, int h) {
  const std::string cmd = "ffmpeg -nostdin -v error -i " + jpeg + " -f rawvideo -pix_fmt gray -";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::vector<std::uint8_t> grey(static_cast<std::size_t>(w * h) + 1);
  const std::size_t got = std::fread(grey.data(), 1, grey.size(), pipe);
  pclose(pipe);
  grey.resize(got);
  return grey;
}

TEST(Jpeg, DecodesAtTheRequestedWidthWithFullRangeLevels) {
  testing::TempDir dir;
  const TwoTone frame;
  const std::string bytes = encode_jpeg(frame.view(), 160, 82);
  ASSERT_GT(bytes.size(), 4u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0xFF);  // SOI marker
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0xD8);
  const std::string path = dir / "f.jpg";
  std::ofstream(path, std::ios::binary) << bytes;
  const auto grey = decode_grey(path, 160, 90);
  ASSERT_EQ(grey.size(), 160u * 90u);    // 320x180 scaled to 160 wide keeps 16:9
  EXPECT_LE(grey[45 * 160 + 20], 3);     // black
  EXPECT_GE(grey[45 * 160 + 140], 252);  // white
}

TEST(Jpeg, HigherQualityIsLarger) {
  const TwoTone frame;
  FrameView f = frame.view();
  std::vector<std::uint8_t> noisy(frame.y);
  for (std::size_t i = 0; i < noisy.size(); ++i)
    noisy[i] = static_cast<std::uint8_t>(16 + (i * 7919) % 219);
  f.planes[0].data = noisy.data();
  EXPECT_GT(encode_jpeg(f, 0, 95).size(), encode_jpeg(f, 0, 40).size());
}

// libav reports an allocation it cannot make as null: with libav's per-allocation cap lowered
// step by step, each allocation in turn fails, and every one must end in sw::Error (or, above
// every allocation's size, in a JPEG), never in a null dereference.
TEST(Jpeg, FailedAllocationsAreErrorsNotCrashes) {
  const TwoTone frame;
  int errors = 0, encoded = 0;
  for (std::size_t cap = 0; cap <= (std::size_t{1} << 20); cap = cap == 0 ? 16 : cap * 2) {
    av_max_alloc(cap);
    try {
      encoded += encode_jpeg(frame.view(), 160, 82).size() > 4 ? 1 : 0;
    } catch (const Error&) {
      ++errors;
    }
    av_max_alloc(INT_MAX);
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(encoded, 0);
}

}  // namespace
}  // namespace sw::io
