// Fuzz target: bytes as an input video, read through io as every run reads one: open and probe
// (Demuxer via VideoReader), the demux-only scan (scan_frames, the frame index), and indexed
// decoding of a few frames, with a seek to the last keyframe when there is one.
//
// The bytes go to a file in this process's own temporary directory (the io layer opens inputs by
// name). The only expected failure is sw::Error; FFmpeg's libraries are not instrumented, so
// what this exercises is our handling of what they return (sizes, counts, timestamps).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/frame.hpp"
#include "io/frame_index.hpp"
#include "io/library_log.hpp"
#include "io/video_reader.hpp"

namespace {

constexpr int kFramesDecoded = 4;

// The file the bytes are written to, in a directory made once per process and removed at exit.
const std::string& input_path() {
  static const std::string path = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "sw-fuzz-video-XXXXXX").string();
    if (!::mkdtemp(dir.data())) std::abort();
    static const std::string remove_at_exit = dir;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(remove_at_exit, ignored);
    });
    return dir + "/input";
  }();
  return path;
}

void write_input(const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(input_path().c_str(), "wb");
  if (!f) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

void read_video(const std::string& path) {
  const sw::FrameIndex index = sw::io::scan_frames(path);
  sw::io::ReaderOptions options;
  options.index = &index;
  sw::io::VideoReader reader(path, options);
  sw::FrameView frame;
  for (int k = 0; k < kFramesDecoded && reader.next(frame); ++k) {
  }
  std::int64_t last_key = -1;
  for (std::size_t k = 0; k < index.keyframe.size(); ++k)
    if (index.keyframe[k]) last_key = static_cast<std::int64_t>(k);
  if (last_key > 0) {
    reader.seek_to_frame(last_key);
    reader.next(frame);
  }
  (void)reader.warnings();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (sw::io::set_library_log(false), true);
  (void)quiet;
  write_input(data, size);
  try {
    read_video(input_path());
  } catch (const sw::Error&) {
    // the expected outcome for bad bytes: one clear line
  }
  return 0;
}
