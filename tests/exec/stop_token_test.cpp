// A pass stops on the StopToken it is given (core/cancel.hpp), not on a global: the analysis
// runner throws "interrupted" with exit code 130 on the first frame once its token's flag is
// set, while the process's own interrupt flag stays clear.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "core/error.hpp"
#include "exec/analysis_runner.hpp"

namespace sw::exec {
namespace {

// Frames without pictures, forever: the runner must stop before it measures one.
class EndlessSource final : public SegmentSource {
 public:
  void seek_to_frame(std::int64_t frame) override { next_ = frame; }
  bool next(FrameView& frame) override {
    frame = {};
    frame.index = next_++;
    return true;
  }

 private:
  std::int64_t next_ = 0;
};

TEST(StopToken, AnalysisStopsOnTheTokenItIsGiven) {
  std::atomic<bool> flag{true};
  AnalysisRun run;
  run.make_source = [](int) { return std::make_unique<EndlessSource>(); };
  run.width = 64;
  run.height = 48;
  run.stop = StopToken(flag);
  const SegmentPlan plan = plan_segments(std::vector<std::uint8_t>(10, 1), 5);
  try {
    run_analysis(run, plan);
    FAIL() << "a stopped run went on";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::interrupted);
    EXPECT_EQ(e.problem(), "interrupted");
  }
  EXPECT_FALSE(g_cancel.load());
}

TEST(StopToken, DefaultNeverStops) {
  EXPECT_FALSE(StopToken().stop_requested());
  EXPECT_NO_THROW(StopToken().throw_if_stopped("x"));
}

}  // namespace
}  // namespace sw::exec
