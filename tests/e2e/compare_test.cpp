// --compare FILE: the side-by-side video (input | stabilized) of stabilize and render. It has
// twice the output's width, the output's frame count and timestamps (a variable frame rate
// clip), its right half is the output and its left half the input (PSNR below the labels),
// and it is never one of the run's other files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "e2e/cli.hpp"
#include "io/video_reader.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

// PSNR of a w x h window of plane a at column ax against plane b at column bx (8-bit), below
// the labels (the top sixth of the frame).
double psnr(const PlaneView& a, int ax, const PlaneView& b, int bx, int w, int h) {
  double sum = 0;
  const int top = h / 6;
  for (int y = top; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double d =
          double(a.data[y * a.stride + ax + x]) - double(b.data[y * b.stride + bx + x]);
      sum += d * d;
    }
  }
  const double mse = sum / (double(w) * (h - top));
  return mse == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / mse);
}

void expect_side_by_side(const std::string& in, const std::string& out, const std::string& cmp) {
  io::ReaderOptions ro;
  ro.convert_to_8bit_yuv = true;
  io::VideoReader input(in, ro), output(out, ro), compare(cmp, ro);
  const int w = output.info().width, h = output.info().height;
  ASSERT_EQ(compare.info().width, 2 * w);
  ASSERT_EQ(compare.info().height, h);
  FrameView a, b, c;
  int frames = 0;
  double worst_right = 99, worst_left = 99;
  while (output.next(b)) {
    ASSERT_TRUE(input.next(a)) << "frame " << frames;
    ASSERT_TRUE(compare.next(c)) << "the compare video ends at frame " << frames;
    EXPECT_EQ(c.pts * compare.stream_params().time_base.num * output.stream_params().time_base.den,
              b.pts * output.stream_params().time_base.num * compare.stream_params().time_base.den)
        << "frame " << frames;
    if (frames % 5 == 0) {
      worst_right = std::min(worst_right, psnr(c.planes[0], w, b.planes[0], 0, w, h));
      worst_left = std::min(worst_left, psnr(c.planes[0], 0, a.planes[0], 0, w, h));
    }
    ++frames;
  }
  EXPECT_FALSE(compare.next(c)) << "the compare video has more frames than the output";
  EXPECT_GT(frames, 0);
  std::printf("%s: %d frames, PSNR right %.1f dB, left %.1f dB (worst)\n", cmp.c_str(), frames,
              worst_right, worst_left);
  EXPECT_GT(worst_right, 30.0);
  EXPECT_GT(worst_left, 30.0);
  // The halves are not interchangeable: the right half is not the input.
  io::VideoReader input2(in, ro), compare2(cmp, ro);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(input2.next(a) && compare2.next(c));
  EXPECT_LT(psnr(c.planes[0], w, a.planes[0], 0, w, h), 25.0);
}

TEST(Compare, StabilizeAndRenderWriteTheSideBySideVideo) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 320;
  spec.height = 240;
  spec.frames = 40;
  spec.variable_frame_rate = true;
  spec.shake_px = 6;
  const std::string in = dir.file("in.mp4");
  make_shaky_clip(in, spec);
  const auto run =
      run_stillwater({"stabilize", in, "-o", dir.file("out.mp4"), "-q", "--store",
                      dir.file("run.zarr"), "--compare", dir.file("cmp.mp4"), "--threads", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_side_by_side(in, dir.file("out.mp4"), dir.file("cmp.mp4"));

  const auto render =
      run_stillwater({"render", in, "--store", dir.file("run.zarr"), "-o", dir.file("out2.mp4"),
                      "-q", "--compare", dir.file("cmp2.mov")});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  expect_side_by_side(in, dir.file("out2.mp4"), dir.file("cmp2.mov"));
}

TEST(Compare, NeverAnotherFileOfTheRun) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 10;
  const std::string in = dir.file("in.mp4"), out = dir.file("out.mp4");
  make_shaky_clip(in, spec);
  for (const std::string& compare : {in, out, dir.file("cmp.mkv")}) {
    const auto r = run_stillwater({"stabilize", in, "-o", out, "-q", "-y", "--compare", compare});
    EXPECT_EQ(r.exit_code, 2) << compare << ": " << r.err;
    EXPECT_EQ(r.err_lines().size(), 1u) << r.err;
  }
}

}  // namespace
}  // namespace sw::test
