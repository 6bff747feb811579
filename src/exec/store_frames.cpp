#include "exec/store_frames.hpp"

#include <vector>

#include "core/error.hpp"
#include "store/frame_color.hpp"

namespace sw::exec {

std::unique_ptr<store::FrameArrayWriter> keep_frames(Prepared& run, const RunOptions& options,
                                                     AnalysisRun& job) {
  if (!run.store || options.store_frames == StoreFrames::none) return nullptr;
  const auto n = static_cast<std::uint64_t>(run.index.size());
  const double fps = run.info.avg_frame_rate.value();
  std::unique_ptr<store::FrameArrayWriter> frames;
  if (options.store_frames == StoreFrames::luma) {
    const auto g =
        motion::analysis_geometry(run.info.width, run.info.height, options.motion.analysis_width);
    frames = std::make_unique<store::FrameArrayWriter>(run.store->backend_ptr(), "luma",
                                                       store::FrameLayout::luma, n, g.width,
                                                       g.height, run.store->compressor(), fps);
    job.on_frame = [writer = frames.get()](const FrameView& f, const motion::MotionEstimator& e) {
      const PlaneView p = e.analysis_luma();
      writer->write(static_cast<std::uint64_t>(f.index), p.data,
                    static_cast<std::size_t>(p.stride));
    };
  } else {
    if (const std::string why = run.source->cannot_store_rgb(); !why.empty())
      throw Error(run.input, why);
    frames = std::make_unique<store::FrameArrayWriter>(
        run.store->backend_ptr(), "frames", store::FrameLayout::rgb, n, run.info.width,
        run.info.height, run.store->compressor(), fps);
    const auto row_bytes = static_cast<std::size_t>(run.info.width) * 3;
    job.on_frame = [writer = frames.get(), row_bytes](const FrameView& f,
                                                      const motion::MotionEstimator&) {
      thread_local std::vector<std::uint8_t> rgb;
      store::yuv_to_rgb(f, rgb);
      writer->write(static_cast<std::uint64_t>(f.index), rgb.data(), row_bytes);
    };
  }
  return frames;
}

}  // namespace sw::exec
