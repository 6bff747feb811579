// Encoder: the output video encoder of VideoTranscoder and SegmentEncoder, configured from the
// input's VideoStreamParams (so both set up their encoders identically).
//
// Time base = the input video stream's, and each frame keeps its input pts, so variable frame
// rate stays variable and timestamps are identical. The caller fills planar YUV with the input's
// chroma subsampling at the input's depth (VideoStreamParams::bit_depth: 8 bits, or 16-bit
// words); the encoder takes EncodeOptions::pix_fmt (default: that chroma at 8 bits, 10 bits
// for deeper input), converted by swscale where it differs. With 4:2:0/4:2:2 an odd
// width/height is cut to even (the MutableFrameView handed to the caller already has the
// output size).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "io/av_ptr.hpp"
#include "io/encode_options.hpp"
#include "io/stream_params.hpp"

namespace sw::io {

class Encoder {
 public:
  // Receives each encoded packet (time base: context()->time_base); may take its contents.
  using PacketSink = std::function<void(AVPacket*)>;

  // closed_gop: every keyframe is an IDR that nothing before it refers to, and the first frame
  // is one (what a segment piece needs to be decodable on its own).
  Encoder(const EncodeOptions& options, const VideoStreamParams& params, bool global_header,
          const std::string& output_path, std::vector<std::string>& warnings,
          bool closed_gop = false);

  const AVCodecContext& context() const { return *enc_; }

  // The frame to fill next, made writable (the encoder may still hold the previous one).
  MutableFrameView& begin_frame();
  // Encodes the frame filled since begin_frame() with the given input timestamp/duration.
  void encode(std::int64_t pts, std::int64_t duration, const PacketSink& sink);
  // Drains the encoder at the end of the stream.
  void flush(const PacketSink& sink);

 private:
  void choose_format(const AVCodec* codec, const EncodeOptions& options,
                     const VideoStreamParams& params, std::vector<std::string>& warnings);
  void drain(const PacketSink& sink);

  std::string path_;
  CodecContextPtr enc_;
  AVPixelFormat fill_format_ = AV_PIX_FMT_NONE;  // what the caller fills
  AVPixelFormat enc_format_ = AV_PIX_FMT_NONE;   // what the encoder takes
  FramePtr fill_;
  FramePtr converted_;  // only when enc_format_ != fill_format_
  SwsPtr sws_;
  MutableFrameView view_;
  int fill_desc_step_ = 1;  // bytes per sample of fill_
  PacketPtr pkt_;
  // Packet durations by pts: encoders with delay (x264) do not carry them from frame to packet,
  // and the muxer needs the last frame's to get the stream duration right.
  std::map<std::int64_t, std::int64_t> durations_;
};

}  // namespace sw::io
