// `stillwater metrics IN OUT` on clips whose answer is known, and `stillwater report` loaded in
// Debian's headless Chromium.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "e2e/cli.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

nlohmann::json metrics(const std::string& in, const std::string& out) {
  const auto r = run_stillwater({"metrics", in, out, "--json", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

class Metrics : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("sw-metrics");
    ClipSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 90;
    make_shaky_clip(dir_->file("shaky.mp4"), spec);
    spec.shake_px = 0;
    spec.shake_deg = 0;
    spec.pan_px_per_frame = 0;
    make_shaky_clip(dir_->file("steady.mp4"), spec);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static TempDir* dir_;
};
TempDir* Metrics::dir_ = nullptr;

TEST_F(Metrics, SteadyOutputScoresNearOneAndShakyInputLower) {
  const auto m = metrics(file("shaky.mp4"), file("steady.mp4"));
  EXPECT_GT(m["output"]["stability"]["overall"].get<double>(), 0.9);
  EXPECT_LT(m["input"]["stability"]["overall"].get<double>(), 0.5);
}

TEST_F(Metrics, IdenticalCopyHasNoCropNoDistortionNoBorder) {
  const auto m = metrics(file("shaky.mp4"), file("shaky.mp4"));
  EXPECT_NEAR(m["cropping"]["mean"].get<double>(), 1, 1e-3);
  EXPECT_NEAR(m["cropping"]["worst"].get<double>(), 1, 1e-3);
  EXPECT_NEAR(m["distortion"]["mean"].get<double>(), 1, 1e-3);
  EXPECT_NEAR(m["distortion"]["worst"].get<double>(), 1, 1e-3);
  EXPECT_EQ(m["fitted_frames"].get<int>(), 90);
  EXPECT_EQ(m["output"]["border_fraction"]["max"].get<double>(), 0);
}

TEST_F(Metrics, ZoomedOutputHasCroppingOneOverZoom) {
  // Zoom 1.1 about the centre: scale up, crop the middle back to the original size.
  shell("ffmpeg -v error -y -i '" + file("shaky.mp4") +
        "' -vf 'scale=352:264:flags=bicubic,crop=320:240:16:12' -c:v libx264 -crf 12 '" +
        file("zoomed.mp4") + "'");
  const auto m = metrics(file("shaky.mp4"), file("zoomed.mp4"));
  EXPECT_NEAR(m["cropping"]["mean"].get<double>(), 1 / 1.1, 0.01);
  EXPECT_GT(m["distortion"]["worst"].get<double>(), 0.98);
}

TEST_F(Metrics, BlackBorderIsCounted) {
  // A 20 px black frame all around: 1 - 280 * 200 / (320 * 240) = 27% of the pixels.
  shell("ffmpeg -v error -y -i '" + file("shaky.mp4") +
        "' -vf 'crop=280:200,pad=320:240:20:20:black' -c:v libx264 -crf 12 '" + file("padded.mp4") +
        "'");
  const auto m = metrics(file("shaky.mp4"), file("padded.mp4"));
  EXPECT_NEAR(m["output"]["border_fraction"]["mean"].get<double>(), 0.271, 0.03);
  EXPECT_EQ(m["input"]["border_fraction"]["max"].get<double>(), 0);
}

TEST_F(Metrics, InputAloneStillWorks) {
  const auto r = run_stillwater({"metrics", file("shaky.mp4"), "--json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = nlohmann::json::parse(r.out);
  EXPECT_GT(m[0]["jitter"]["translation_px"].get<double>(), 2);
  EXPECT_LT(m[0]["stability"]["overall"].get<double>(), 0.5);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Headless Chromium as this machine runs it: no sandbox as root, no GPU, no background
// network traffic, a fresh profile.
std::string chromium(const TempDir& dir, const std::string& args) {
  return shell(std::string(kChromium) +
               " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
               "--disable-background-networking --disable-component-update --disable-sync "
               "--user-data-dir='" +
               dir.file("profile") + "' --virtual-time-budget=5000 " + args + " 2>/dev/null");
}

TEST_F(Metrics, ReportRendersInHeadlessChromium) {
  if (!std::filesystem::exists(kChromium)) {
    GTEST_SKIP() << kChromium << " is missing (scripts/install-deps.sh installs it)";
  }
  auto r = run_stillwater({"stabilize", file("shaky.mp4"), "-o", file("out.mp4"), "-y", "--store",
                           file("run.zarr"), "--report", file("stabilize.html"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_stillwater({"report", file("run.zarr"), "-o", file("report.html"), "--video",
                      file("out.mp4"), "--measure", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_text(file("report.html"));
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "the page must not load anything";
  EXPECT_NE(html.find("uPlot"), std::string::npos);

  for (const std::string page : {"report.html", "stabilize.html"}) {
    const std::string dom = chromium(*dir_, "--dump-dom 'file://" + file(page) + "'");
    std::smatch body;
    ASSERT_TRUE(std::regex_search(dom, body, std::regex("<body[^>]*>"))) << page;
    const std::string tag = body.str();
    EXPECT_NE(tag.find("data-ok=\"1\""), std::string::npos) << page << ": " << tag;
    EXPECT_NE(tag.find("data-charts=\"5\""), std::string::npos) << page << ": " << tag;
    EXPECT_NE(tag.find("data-drawn=\"5\""), std::string::npos) << page << ": " << tag;
    EXPECT_EQ(tag.find("data-errors"), std::string::npos) << page << ": " << tag;
    EXPECT_NE(dom.find("<pre id=\"sw-errors\"></pre>"), std::string::npos) << page;
    // Before/after frames: 4 moments (plus the worst outlier), two images each.
    std::ptrdiff_t images = 0;
    for (std::size_t p = dom.find("data:image/jpeg;base64,"); p != std::string::npos;
         p = dom.find("data:image/jpeg;base64,", p + 1))
      ++images;
    EXPECT_GE(images, 8) << page;
  }

  chromium(*dir_, "--window-size=1300,2400 --screenshot='" + file("report.png") + "' 'file://" +
                      file("report.html") + "'");
  ASSERT_TRUE(std::filesystem::exists(file("report.png")));
  EXPECT_GT(std::filesystem::file_size(file("report.png")), 100000u);
  if (const char* keep = std::getenv("SW_KEEP_REPORT")) {
    std::filesystem::copy_file(file("report.png"), std::string(keep) + ".png",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(file("report.html"), std::string(keep) + ".html",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace sw::test
