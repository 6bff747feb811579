// `stillwater metrics IN OUT` on clips whose answer is known, and `stillwater report` loaded in
// Debian's headless Chromium.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "e2e/cli.hpp"
#include "support/file_text.hpp"
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
  EXPECT_NEAR(m["border_added"]["max"].get<double>(), 0.271, 0.03);
  EXPECT_EQ(m["border_added"]["frames"].get<std::int64_t>(),
            m["output"]["frames"].get<std::int64_t>());
}

TEST_F(Metrics, FullRangeBlackAddedOnSomeFramesIsCounted) {
  // vid.stab's crop=black writes Y = 0 into limited-range video; here a 16 px full-range black
  // bar on the second half of the 90 frames only.
  shell("ffmpeg -v error -y -i '" + file("shaky.mp4") +
        "' -vf \"geq=lum='if(lt(X,16)*gte(N,45),0,lum(X,Y))':cb='if(lt(X,8)*gte(N,45),128,cb(X,Y))'"
        ":cr='if(lt(X,8)*gte(N,45),128,cr(X,Y))'\" -c:v libx264 -crf 12 '" +
        file("bar.mp4") + "'");
  const auto m = metrics(file("shaky.mp4"), file("bar.mp4"));
  EXPECT_EQ(m["input"]["border_fraction"]["max"].get<double>(), 0);
  EXPECT_NEAR(m["border_added"]["max"].get<double>(), 16.0 / 320, 0.01);
  EXPECT_NEAR(static_cast<double>(m["border_added"]["frames"].get<std::int64_t>()), 45, 1);
}

TEST_F(Metrics, InputAloneStillWorks) {
  const auto r = run_stillwater({"metrics", file("shaky.mp4"), "--json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto m = nlohmann::json::parse(r.out);
  EXPECT_GT(m[0]["jitter"]["translation_px"].get<double>(), 2);
  EXPECT_LT(m[0]["stability"]["overall"].get<double>(), 0.5);
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

// A file name is data, never markup: an input named like an HTML element with a script in an
// attribute appears in the report's title, its data and the "input not available" note, and
// must run nowhere. In the page source, the embedded JSON holds no '<' at all; in Chromium,
// no <img> from the name exists and its onerror never ran.
TEST_F(Metrics, InputNamedLikeMarkupIsOnlyText) {
  if (!std::filesystem::exists(kChromium)) {
    GTEST_SKIP() << kChromium << " is missing (scripts/install-deps.sh installs it)";
  }
  const std::string name = "<img src=x onerror=document.body.dataset.pwned=1>.mp4";
  std::filesystem::copy_file(file("shaky.mp4"), file(name),
                             std::filesystem::copy_options::overwrite_existing);
  auto r = run_stillwater({"analyze", file(name), "--store", file("markup.zarr"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::filesystem::remove(file(name));  // the report then says the input is not available
  r = run_stillwater({"report", file("markup.zarr"), "-o", file("markup.html"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const std::string html = read_text(file("markup.html"));
  const auto data_start = html.find("<script id=\"sw-data\" type=\"application/json\">");
  ASSERT_NE(data_start, std::string::npos);
  const auto json_start = html.find('>', data_start) + 1;
  const std::string json = html.substr(json_start, html.find("</script>", json_start) - json_start);
  EXPECT_EQ(json.find('<'), std::string::npos) << "the embedded JSON must escape '<'";
  EXPECT_NE(json.find("\\u003cimg src=x onerror"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  // The data is still the name, exactly.
  EXPECT_EQ(nlohmann::json::parse(json)["run"]["input"]["name"].get<std::string>(), name);

  const std::string dom = chromium(*dir_, "--dump-dom 'file://" + file("markup.html") + "'");
  std::smatch body;
  ASSERT_TRUE(std::regex_search(dom, body, std::regex("<body[^>]*>")));
  EXPECT_EQ(body.str().find("data-pwned"), std::string::npos) << body.str();
  EXPECT_NE(body.str().find("data-ok=\"1\""), std::string::npos) << body.str();
  EXPECT_EQ(dom.find("<img src=\"x\""), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror"), std::string::npos) << "the name shows as text";
}

}  // namespace
}  // namespace sw::test
