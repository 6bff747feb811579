#include "exec/input_kind.hpp"

#include <filesystem>

#include "core/trace.hpp"
#include "exec/video_source.hpp"
#include "io/frame_index.hpp"
#include "store/frame_array.hpp"

namespace sw::exec {

namespace fs = std::filesystem;

void open_input(const std::string& input, Prepared& run, StopToken stop) {
  run.input = input;
  run.zarr_frames = is_zarr_frames(input);
  if (run.zarr_frames) {
    store::ZarrFrameSource frames{fs::path(input)};
    run.info.path = input;
    run.info.width = frames.width();
    run.info.height = frames.height();
    run.info.pix_fmt = "rgb24";
    run.info.codec = "zarr";
    run.index = frames.frame_index();
    run.info.time_base = run.index.time_base;
    run.info.avg_frame_rate = frames.fps();
    run.info.frame_count = static_cast<std::int64_t>(run.index.size());
  } else {
    // Opening a reader first gives the precise error for a bad file (and decodes frame 0).
    trace::Span span("demux", "scan " + fs::path(input).filename().string());
    io::ReaderOptions probe_options;
    probe_options.stop = stop;
    const io::VideoReader probe(input, probe_options);
    run.info = probe.info();
    run.warnings = probe.warnings();
    run.index = io::scan_frames(input, stop);
    span.add_frames(static_cast<std::int64_t>(run.index.size()));
  }
}

SourceFactory analysis_sources(const Prepared& run, const io::ReaderOptions& reader) {
  return run.zarr_frames ? zarr_source_factory(run.input)
                         : video_source_factory(run.input, run.index, reader);
}

}  // namespace sw::exec
