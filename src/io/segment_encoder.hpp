// Rendering in segments: each segment's frames are encoded into a small piece file by its own
// SegmentEncoder (one per thread or rank), and assemble_pieces() stream-copies the pieces, in
// order, together with every other stream of the input, into the final output.
//
// A piece is decodable on its own: a fresh encoder whose first frame is an IDR keyframe and
// whose GOPs are closed, so concatenating the pieces' packets gives a valid stream. Pieces are
// MP4 (ISO-BMFF) whatever their file name says: of libav's containers it is the one that keeps
// both pts and dts exactly on the stream's own clock (Matroska rounds timestamps to 1 ms, and
// Matroska and NUT store no dts at all, so a reader would have to re-derive them).
//
// Frames keep their input pts, so the assembled video has exactly the input's timestamps.
// With the default EncodeOptions a piece's bytes depend only on its frames, pts and options
// (see EncodeOptions::x264_deterministic_simd), so any split into segments and any number of
// threads give the same pieces for the same segments.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/frame.hpp"
#include "io/encode_options.hpp"
#include "io/stream_params.hpp"

namespace sw::io {

class SegmentEncoder {
 public:
  // params: from VideoReader::stream_params() of the input (the same set-up the transcoder
  // uses). Nothing appears at piece_path before finish(): the piece is written to a temporary
  // name beside it, removed if the encoder is destroyed without finish().
  // Throws sw::Error{piece_path, ...} (unknown encoder, cannot create the file, ...).
  SegmentEncoder(const std::string& piece_path, const EncodeOptions& options,
                 const VideoStreamParams& params);
  ~SegmentEncoder();
  SegmentEncoder(const SegmentEncoder&) = delete;
  SegmentEncoder& operator=(const SegmentEncoder&) = delete;

  // The frame to fill next: YUV with the input's chroma subsampling and depth
  // (VideoStreamParams::bit_depth: bytes, or 16-bit words), at the output size
  // (an odd 4:2:0 size is cut by one column/row to even, as the transcoder does).
  MutableFrameView& begin_frame();
  // Encodes the frame filled since begin_frame(). pts: the input frame's, on the input's time
  // base, increasing. duration: on the same time base (the last frame's is what the output's
  // last frame lasts); 0 repeats the previous frame's.
  void encode(std::int64_t pts, std::int64_t duration = 0);
  // Copies a frame of the params' depth (a FrameView from a reader of the same input) and
  // encodes it with its own pts.
  void encode(const FrameView& frame, std::int64_t duration = 0);

  // Drains the encoder, writes the piece and renames it onto piece_path.
  void finish();

  std::int64_t frames() const;
  const std::vector<std::string>& warnings() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Writes output_path from the pieces (in presentation order) and the input they were rendered
// from: the pieces' video packets stream-copied in order, and every other stream of the input
// copied packet for packet with its metadata, the container metadata and the display matrix,
// exactly as VideoTranscoder writes them. The video's codec parameters and extradata are the
// first piece's; every piece must have identical extradata (the same encoder settings), else
// this throws naming the first piece that differs.
//
// Timestamps: pts are the pieces' (the input's). dts stay strictly increasing and <= pts across
// piece boundaries: with a constant frame rate a piece's first dts (pts minus the encoder's
// B-frame delay) already follows the previous piece's last dts; with a variable frame rate it
// may not, and such a dts is raised to one tick after the previous one (counted in `warnings`).
//
// Written to a temporary name beside output_path and renamed at the end; on any error
// (sw::Error{file, problem}: a missing, unreadable or mismatched piece, pieces out of order, a
// write failure) nothing is left at output_path.
void assemble_pieces(const std::string& input_path, const std::vector<std::string>& piece_paths,
                     const std::string& output_path, std::vector<std::string>& warnings,
                     StopToken stop = process_stop_token());

}  // namespace sw::io
