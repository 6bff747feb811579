// FrameSource: the one decode path, shared by VideoReader and VideoTranscoder so that both
// number frames identically: frame k is the k-th frame out of the decoder, or, with a
// FrameIndex, the frame whose pts is the index's k-th (then seek_to_frame() is available).
//
// Demuxer -> decoder (send/receive loop) -> timestamp repair -> FrameConverter -> FrameView.
// The first frame is decoded in the constructor, so an input without a single decodable frame
// fails at open, not halfway through a run. Packets of the other streams are either dropped
// (analysis) or queued in demux order for the transcoder to copy.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "io/av_ptr.hpp"
#include "io/demuxer.hpp"
#include "io/frame_convert.hpp"
#include "io/stream_params.hpp"
#include "io/video_reader.hpp"

namespace sw::io {

class FrameSource {
 public:
  FrameSource(const std::string& path, const ReaderOptions& options, bool keep_other_packets);

  const VideoInfo& info() const { return demux_.info(); }
  Demuxer& demuxer() { return demux_; }
  const AVCodecContext& decoder() const { return *dec_; }
  const FrameConverter& converter() const { return conv_; }
  // The encoder set-up for the delivered frames (after the first frame was decoded).
  VideoStreamParams stream_params() const;

  // See VideoReader::next().
  bool next(FrameView& view);
  std::int64_t frames_read() const { return frames_; }
  // See VideoReader::seek_to_frame().
  void seek_to_frame(std::int64_t k);
  // The decoded frame behind the last view (its pts is the repaired one).
  const AVFrame& current_frame() const { return *frame_; }
  std::vector<std::string> warnings() const;

  // Packets of the other streams read so far, oldest first (only with keep_other_packets).
  std::deque<PacketPtr>& other_packets() { return others_; }

 private:
  void open_input();
  void open_decoder();
  bool decode(AVFrame* out);
  // decode(), and in indexed mode skips frames that are not in the index or before the seek
  // target; sets index_of_current_.
  bool decode_next();
  void feed_one_packet();
  void send_video_packet(AVPacket* pkt);
  void repair_pts(AVFrame* frame);
  // The seek of seek_to_frame(): true when the demuxer now starts at a keyframe whose pts is
  // at or before `target_pts` (the packet that proved it has been sent to the decoder).
  bool seek_demuxer(std::int64_t target_pts);
  void restart_from_beginning();

  std::string path_;
  ReaderOptions options_;
  Demuxer demux_;
  CodecContextPtr dec_;
  PacketPtr pkt_;
  FramePtr frame_;  // the frame the current view points into
  FrameConverter conv_;
  HdrMetadata hdr_;  // of the stream, or of frame 0
  bool keep_others_;
  std::deque<PacketPtr> others_;

  bool first_pending_ = false;  // frame_ holds frame 0, decoded by the constructor
  bool input_done_ = false;     // demuxer hit the end (or an error) and the decoder was flushed
  bool ended_ = false;          // next() has returned false
  std::int64_t frames_ = 0;
  std::int64_t video_packets_ = 0;
  std::int64_t decode_errors_ = 0;
  std::int64_t damaged_frames_ = 0;
  std::int64_t synthesized_pts_ = 0;
  std::int64_t reordered_pts_ = 0;
  std::int64_t last_pts_ = AV_NOPTS_VALUE;

  // Indexed mode.
  const FrameIndex* index_ = nullptr;
  std::int64_t index_of_current_ = -1;  // index position of the frame in frame_
  std::int64_t min_index_ = 0;          // frames before this one (the seek target) are skipped
  std::int64_t last_index_ = -1;        // last index delivered (or skipped as too early)
  std::int64_t unindexed_frames_ = 0;
  std::int64_t seek_restarts_ = 0;
};

}  // namespace sw::io
