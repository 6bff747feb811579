// stillwater stabilize on clips with repeated frames (content at 24 fps shown at 60 in a 2:3
// pattern, path/repeats.cpp): the repeats are found exactly and the output moves evenly; and
// on clips without repeats, none is found, a still camera over noise or a moving subject
// included.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "e2e/cli.hpp"
#include "e2e/path_csv.hpp"
#include "path/crop.hpp"
#include "report/jitter.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

struct Stabilized {
  Table table;
  std::vector<Transform2D> correction;
};

Stabilized stabilize(const TempDir& dir, const ClipSpec& spec, const std::string& name,
                     std::vector<std::string> extra = {}) {
  const std::string in = dir.file(name + ".mp4");
  make_shaky_clip(in, spec);
  std::vector<std::string> args = {"stabilize",
                                   in,
                                   "-o",
                                   dir.file(name + "-out.mp4"),
                                   "-q",
                                   "--path-csv",
                                   dir.file(name + ".csv")};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_stillwater(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Stabilized run;
  run.table = read_path_csv(dir.file(name + ".csv"));
  run.correction = corrections(run.table);
  return run;
}

std::vector<std::uint8_t> repeat_column(const Table& t) {
  std::vector<std::uint8_t> r;
  for (const double v : t.at("repeat")) r.push_back(v == 1 ? 1 : 0);
  return r;
}

std::int64_t count(const std::vector<std::uint8_t>& v) {
  return std::count(v.begin(), v.end(), 1);
}

ClipSpec pulldown_spec() {
  ClipSpec spec;
  spec.width = 480;
  spec.height = 270;
  spec.frames = 150;
  spec.fps_num = 60;
  spec.shake_px = 3;
  spec.shake_deg = 0.3;
  spec.pan_px_per_frame = 2;
  spec.pulldown = true;
  spec.seed = 23;
  return spec;
}

TEST(Repeats, A23ClipHasItsRepeatsFoundAndMovesEvenly) {
  TempDir dir;
  const ClipSpec spec = pulldown_spec();
  const ClipTruth truth = clip_truth(spec);
  const Stabilized on = stabilize(dir, spec, "on");
  const Stabilized off = stabilize(dir, spec, "off", {"--repeats", "off"});
  ASSERT_EQ(on.correction.size(), truth.camera.size());

  const std::vector<std::uint8_t> expected = repeats_truth(spec);
  EXPECT_EQ(count(expected), 90);
  EXPECT_EQ(repeat_column(on.table), expected);
  EXPECT_EQ(count(repeat_column(off.table)), 0);

  const path::FrameSize frame{spec.width, spec.height};
  for (std::size_t i = 0; i < on.correction.size(); ++i)
    EXPECT_TRUE(path::covers(on.correction[i], frame)) << "frame " << i;
  // The output's camera path (each picture's true camera moved by its correction): its
  // frame-to-frame residual jitter, against the input's.
  std::vector<path::Vec3> input;
  for (const auto& c : truth.camera) input.push_back({c.dx, c.dy, c.da});
  const double j_in = report::residual_jitter(input, spec.width, spec.height).corner_px;
  const double j_on =
      report::residual_jitter(output_path(truth, on.correction), spec.width, spec.height).corner_px;
  const double j_off =
      report::residual_jitter(output_path(truth, off.correction), spec.width, spec.height)
          .corner_px;
  EXPECT_LT(j_on, 0.25 * j_in) << "input " << j_in << " px, off " << j_off << " px";
  // Where every pair is measured, the L1 path already put each picture where the smooth path
  // is (its correction is taken against the picture's own position); planning in camera time
  // must not make that worse. Where pairs between repeats are unmeasured, --repeats off fails
  // (tests/path/repeats_test.cpp, OutputMovesEvenlyThroughUnmeasuredPairsBetweenRepeats).
  EXPECT_LE(j_on, 1.02 * j_off) << "input " << j_in << " px";
}

TEST(Repeats, NoneFoundWithoutRepeatsNorInAStillShotWhosePictureChanges) {
  TempDir dir;
  ClipSpec shaky;
  shaky.width = 320;
  shaky.height = 180;
  shaky.frames = 60;
  shaky.seed = 4;
  ClipSpec noisy = shaky;  // a tripod shot of a still scene: sensor noise alone changes it
  noisy.shake_px = noisy.shake_deg = noisy.pan_px_per_frame = 0;
  noisy.noise = 2;
  // Lossless, so the noise is in every frame: at crf 16 x264 codes less and less of it towards
  // the stream's end, and its last frame then does repeat the picture (0.02 levels apart).
  noisy.crf = 0;
  ClipSpec subject = noisy;  // a tripod shot of a small moving subject, no noise
  subject.noise = 0;
  subject.crf = 16;
  subject.moving_subject = true;
  for (const auto& [name, spec] :
       {std::pair{"shaky", shaky}, std::pair{"noisy", noisy}, std::pair{"subject", subject}}) {
    const Stabilized run = stabilize(dir, spec, name);
    const auto repeat = repeat_column(run.table);
    std::string found;
    for (std::size_t i = 0; i < repeat.size(); ++i)
      if (repeat[i])
        found +=
            " " + std::to_string(i) + " (" + std::to_string(run.table.at("picture_diff")[i]) + ")";
    EXPECT_EQ(count(repeat), 0) << name << ": frames (picture difference)" << found;
  }
}

}  // namespace
}  // namespace sw::test
