// The crop the shot needs, no more (issue 13): a clip with no shake keeps its full picture
// under the default, and --max-zoom bounds every frame's zoom without showing a border, as
// the path CSV and `stillwater metrics` (cropping ratio, border share) both see it.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "e2e/cli.hpp"
#include "e2e/path_csv.hpp"
#include "path/crop.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

// `stillwater metrics IN OUT --json`, parsed.
nlohmann::json metrics(const std::string& in, const std::string& out) {
  const auto result = run_stillwater({"metrics", in, out, "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out);
}

double largest_zoom(const std::vector<Transform2D>& c) {
  double z = 0;
  for (const auto& t : c) z = std::max(z, t.zoom);
  return z;
}

TEST(FieldOfView, AClipWithNoShakeKeepsItsFullPicture) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 480;
  spec.height = 270;
  spec.frames = 120;
  spec.shake_px = 0;
  spec.shake_deg = 0;
  spec.pan_px_per_frame = 0.5;  // a steady pan: motion, but nothing to remove
  make_shaky_clip(dir.file("in.mp4"), spec);

  const auto corr = stabilize_corrections(dir, "out", {});
  ASSERT_EQ(corr.size(), std::size_t(spec.frames));
  EXPECT_LT(largest_zoom(corr), 1.005) << "the path's zoom";
  const auto m = metrics(dir.file("in.mp4"), dir.file("out.mp4"));
  EXPECT_GT(m["cropping"]["mean"].get<double>(), 0.99) << m.dump();
  EXPECT_EQ(m["output"]["border_fraction"]["max"].get<double>(), 0.0);
}

TEST(FieldOfView, MaxZoomBoundsEveryFrameAndShowsNoBorder) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 480;
  spec.height = 270;
  spec.frames = 100;
  spec.shake_px = 6;
  spec.shake_deg = 0.5;
  spec.seed = 23;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const path::FrameSize frame{spec.width, spec.height};

  // The default (l1, its window chosen under the bound) and the moving average, whose
  // corrections need far more than 1.05 and must be shrunk towards the camera to fit.
  const auto free = stabilize_corrections(dir, "ma-free", {"--smoother", "ma"});
  EXPECT_GT(largest_zoom(free), 1.06) << "ma: the shake must need more than the bound";
  for (const std::string smoother : {"l1", "ma"}) {
    const auto corr =
        stabilize_corrections(dir, smoother, {"--smoother", smoother, "--max-zoom", "1.05"});
    ASSERT_EQ(corr.size(), std::size_t(spec.frames));
    for (std::size_t i = 0; i < corr.size(); ++i) {
      ASSERT_LE(corr[i].zoom, 1.05) << smoother << ", frame " << i;
      ASSERT_TRUE(path::covers(corr[i], frame)) << smoother << ", frame " << i;
    }
    const auto m = metrics(dir.file("in.mp4"), dir.file(smoother + ".mp4"));
    EXPECT_EQ(m["output"]["border_fraction"]["max"].get<double>(), 0.0) << smoother;
    EXPECT_GT(m["cropping"]["worst"].get<double>(), 1 / 1.05 - 0.01) << smoother;
  }
}

TEST(FieldOfView, AZoomAboveTheBoundIsAUsageError) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 10;
  make_shaky_clip(dir.file("in.mp4"), spec);
  for (const auto& [option, value] :
       {std::pair{"--crop-zoom", "1.2"}, std::pair{"--zoom", "1.2"}}) {
    std::vector<std::string> args = {
        "stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--max-zoom", "1.1", option,
        value};
    if (std::string(option) == "--zoom") args.insert(args.end(), {"--crop", "none"});
    const auto result = run_stillwater(args);
    EXPECT_EQ(result.exit_code, 2) << option;
    EXPECT_NE(result.err.find(option), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("--max-zoom"), std::string::npos) << result.err;
  }
  const auto low = run_stillwater(
      {"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--max-zoom", "0.9"});
  EXPECT_EQ(low.exit_code, 2);
  EXPECT_NE(low.err.find("--max-zoom"), std::string::npos) << low.err;
}

}  // namespace
}  // namespace sw::test
