// Video frames as Zarr v2 arrays, the layout the original Python pipeline used with Dask:
// frame k of an (N, H, W, 3) "|u1" RGB array (or an (N, H, W) luma array) is the slab [k].
//
// ZarrFrameSource reads such an array, e.g. one written by `dask.array.to_zarr`, as the input
// of analysis: it hands out 8-bit luma FrameViews, numbered like the frames of a video
// (frame k = slab k), with a FrameIndex of pts = k on time base 1/fps.
// FrameArrayWriter writes frames into a run store (`--store-frames luma|rgb`), one frame per
// chunk as `dask.array.to_zarr` writes a (1, H, W, ...)-chunked array, so zarr-python and Dask
// open it directly.
//
// Spec: https://zarr.readthedocs.io/en/stable/spec/v2.html; the array layer is store/zarr_array.
// Colour conversions (RGB -> luma, YUV -> RGB) are in store/frame_color.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"
#include "store/zarr_array.hpp"

namespace sw::store {

// The frame rate assumed when a frames array's .zattrs has no "fps".
inline constexpr int kDefaultFramesFps = 30;
// The largest frames array read: 2^24 frames (over 77 hours at 60 fps), 16384 pixels a side.
inline constexpr std::uint64_t kMaxFrames = 1ull << 24;
inline constexpr std::uint64_t kMaxFrameSide = 16384;
// The frame rates a frames array may have ("fps" in .zattrs): num and den of frames_fps() then
// stay within int and the fraction non-zero.
inline constexpr double kMinFramesFps = 0.001;
inline constexpr double kMaxFramesFps = 1e6;

// fps (kMinFramesFps..kMaxFramesFps) as the nearest fraction with a denominator of at most 1001,
// so 29.97002997 is 30000/1001 and 12.5 is 25/2: a frames array's frame rate (and that of
// frames handed over in memory, exec/caller_frames_input.hpp).
Rational frames_fps(double fps);

// Reads an (N, H, W, 3) uint8 RGB frames array as 8-bit luma frames.
//
// Any chunking is accepted (chunks of several frames, or frames split in tiles); the frames of
// one chunk along N are decoded together and cached, so reading in order decodes every chunk
// once. read(k) accepts any k, so a segment can start anywhere; a jump to another chunk costs
// that chunk's decode. Memory: one decoded chunk row along N (chunks[0] RGB frames) plus one
// luma frame.
//
// Not thread-safe (read() reuses the cache and the luma buffer): give each worker its own
// source, as each segment has its own video reader.
class ZarrFrameSource {
 public:
  // The array's own directory (the one holding .zarray), as `dask.array.to_zarr(x, dir)` makes.
  explicit ZarrFrameSource(const std::filesystem::path& array_dir);
  // An array inside a group directory: group_dir/array_name/.zarray (`to_zarr(x, dir, name)`).
  ZarrFrameSource(const std::filesystem::path& group_dir, const std::string& array_name);
  // The array at `path` in any backend; `subject` names it in errors (default: describe(path)).
  ZarrFrameSource(std::shared_ptr<Backend> backend, const std::string& path,
                  std::string subject = {});

  std::int64_t frame_count() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // From .zattrs "fps" (a positive number, as frames_fps() turns it into a fraction), else
  // kDefaultFramesFps.
  Rational fps() const { return fps_; }

  // pts[k] = k, every frame a keyframe (any frame is a valid start), time_base = 1 / fps().
  FrameIndex frame_index() const;

  // Fills `view` with frame k: planes[0] is its luma (see rgb_to_luma in frame_color.hpp), W x H,
  // stride W, owned by this source and valid until the next read(). planes[1] and planes[2] are
  // empty (null data, zero size): analysis reads luma only. bit_depth 8, index = pts = k.
  // Throws sw::Error for k outside [0, N) and for damaged chunks.
  void read(std::int64_t k, FrameView& view);

  const Array& array() const { return array_; }

 private:
  void load_chunk_row(std::uint64_t row);

  std::string subject_;
  Array array_;
  std::int64_t frames_ = 0;
  int width_ = 0;
  int height_ = 0;
  Rational fps_{kDefaultFramesFps, 1};
  std::uint64_t frames_per_chunk_ = 1;
  // The frames of chunk row cached_row_ along N, (n, H, W, 3) in C order.
  std::vector<std::uint8_t> cache_;
  std::int64_t cached_row_ = -1;
  std::vector<std::uint8_t> luma_;
};

// What a frames array holds per frame.
enum class FrameLayout {
  luma,  // (N, H, W)    |u1: 8-bit luma
  rgb,   // (N, H, W, 3) |u1: packed RGB
};

// Creates a frames array at `path` in `backend` (replacing any .zarray there) and writes
// frames into it, one chunk per frame.
//
// The .zarray is zarr-python's for (N, H, W[, 3]) |u1 with chunks (1, H, W[, 3]), fill 0, no
// dimension_separator, so it is byte-for-byte what `dask.array.to_zarr` writes for such frames.
// With fps > 0 the array's .zattrs gets {"fps": fps}, which ZarrFrameSource reads back.
//
// write() for different k may run on several threads at once: each frame is its own chunk and
// the backend writes each chunk atomically, so a crash leaves every frame either complete or
// missing (a missing frame reads as zeros, the fill value).
class FrameArrayWriter {
 public:
  FrameArrayWriter(std::shared_ptr<Backend> backend, const std::string& path, FrameLayout layout,
                   std::uint64_t frames, int width, int height,
                   Compressor compressor = Compressor::blosc("lz4", 5, 1), double fps = 0);

  // Writes frame k from `data`: height rows of width (luma) or 3 * width (rgb) bytes, each row
  // `stride` bytes after the previous one (stride >= the row's bytes).
  void write(std::uint64_t k, const std::uint8_t* data, std::size_t stride) const;

  FrameLayout layout() const { return layout_; }
  const Array& array() const { return array_; }

 private:
  std::string subject_;  // the array's location, for errors
  Array array_;
  FrameLayout layout_;
  int width_;
  int height_;
};

}  // namespace sw::store
