// Decode loop after FFmpeg's doc/examples/transcode.c: drain avcodec_receive_frame() until
// EAGAIN, then feed one packet; at the end of input send a null packet to flush, and stop at
// AVERROR_EOF. Damage is counted, never fatal: a packet the decoder rejects is skipped, a read
// error ends the stream early, and warnings() reports both.
#include "io/frame_source.hpp"

#include <algorithm>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "core/cancel.hpp"
#include "io/hdr_metadata.hpp"

namespace sw::io {
namespace {

// After this many decode errors in a row without a frame we stop: the decoder is not going to
// recover, and looping further would only spin.
constexpr int kMaxConsecutiveErrors = 1000;

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

FrameSource::FrameSource(const std::string& path, const ReaderOptions& options,
                         bool keep_other_packets)
    : path_(path),
      options_(options),
      demux_(path),
      pkt_(make_packet()),
      frame_(make_frame()),
      conv_(options.convert_to_8bit_yuv, path),
      keep_others_(keep_other_packets),
      index_(options.index) {
  options_.index = nullptr;  // index_ is the one copy; options_ is kept to reopen the decoder
  open_input();
  open_decoder();
  if (!decode_next()) {
    std::string why = "no decodable video frames";
    if (decode_errors_ > 0)
      why += " (" + plural(decode_errors_, "packet", "packets") + " failed)";
    else if (unindexed_frames_ > 0)
      why += " (" + plural(unindexed_frames_, "decoded frame is", "decoded frames are") +
             " not in the frame index)";
    else if (!demux_.read_error().empty())
      why += " (" + demux_.read_error() + ")";
    throw Error(path, why);
  }
  first_pending_ = true;
  conv_.configure(*frame_);
  // HEVC/H.264 carry HDR10 metadata in SEI, which the decoder attaches to frames: frame 0's is
  // the stream's (every reader decodes it here, so every reader of a run agrees).
  hdr_ = hdr_metadata_of(*demux_.video_stream(), frame_.get());
  VideoInfo& info = demux_.info();
  if (info.width <= 0 || info.height <= 0) {
    info.width = frame_->width;
    info.height = frame_->height;
  }
  if (info.pix_fmt.empty()) {
    if (const AVPixFmtDescriptor* d =
            av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame_->format))) {
      info.pix_fmt = d->name;
      info.bit_depth = d->comp[0].depth;
    }
  }
}

void FrameSource::open_input() {
  if (keep_others_) return;
  // Analysis never looks at audio or data: let the demuxer skip reading them.
  AVFormatContext* ctx = demux_.context();
  for (unsigned i = 0; i < ctx->nb_streams; ++i)
    if (static_cast<int>(i) != demux_.video_index()) ctx->streams[i]->discard = AVDISCARD_ALL;
}

void FrameSource::open_decoder() {
  const ReaderOptions& options = options_;
  const AVStream* st = demux_.video_stream();
  const std::string& path = demux_.path();
  const std::string codec_name = avcodec_get_name(st->codecpar->codec_id);
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  if (!codec) throw Error(path, "unsupported codec " + codec_name);
  dec_.reset(avcodec_alloc_context3(codec));
  if (!dec_) throw Error(path, "out of memory (decoder)");
  av_check(avcodec_parameters_to_context(dec_.get(), st->codecpar), "reading codec parameters",
           path);
  // Timestamps stay on the stream's clock; the decoder needs it for best_effort_timestamp.
  dec_->pkt_timebase = st->time_base;
  // Frame threading only: it delivers bit-identical pixels for any thread count (slice
  // threading may not for every codec).
  dec_->thread_count = options.decoder_threads;
  dec_->thread_type = FF_THREAD_FRAME;
  if (options.skip_loop_filter) dec_->skip_loop_filter = AVDISCARD_ALL;
  dec_->max_pixels = kMaxPicturePixels;  // a frame beyond it is a decode error, not an allocation
  const int ret = avcodec_open2(dec_.get(), codec, nullptr);
  if (ret < 0)
    throw Error(path, "unsupported codec " + codec_name + " (" + av_error_string(ret) + ")");
}

void FrameSource::send_video_packet(AVPacket* pkt) {
  ++video_packets_;
  const int ret = avcodec_send_packet(dec_.get(), pkt);
  av_packet_unref(pkt);
  if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) ++decode_errors_;
}

void FrameSource::feed_one_packet() {
  const Demuxer::ReadResult r = demux_.read(pkt_.get());
  if (r != Demuxer::ReadResult::packet) {
    input_done_ = true;
    avcodec_send_packet(dec_.get(), nullptr);  // enter draining mode
    return;
  }
  if (pkt_->stream_index == demux_.video_index()) {
    send_video_packet(pkt_.get());
  } else if (keep_others_) {
    PacketPtr copy = make_packet();
    av_packet_move_ref(copy.get(), pkt_.get());  // the queue now owns the packet's data
    others_.push_back(std::move(copy));
  } else {
    av_packet_unref(pkt_.get());
  }
}

bool FrameSource::decode(AVFrame* out) {
  int consecutive_errors = 0;
  for (;;) {
    const int ret = avcodec_receive_frame(dec_.get(), out);  // unrefs `out` first
    if (ret >= 0) return true;
    if (ret == AVERROR_EOF) return false;
    if (ret != AVERROR(EAGAIN)) {
      ++decode_errors_;
      if (++consecutive_errors >= kMaxConsecutiveErrors) return false;
      continue;
    }
    if (input_done_) return false;  // EAGAIN while draining: nothing more will come
    feed_one_packet();
  }
}

void FrameSource::repair_pts(AVFrame* f) {
  std::int64_t pts = f->best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE) {
    if (last_pts_ == AV_NOPTS_VALUE) {
      const AVStream* st = demux_.video_stream();
      pts = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    } else {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
      std::int64_t step = f->duration;
#else
      std::int64_t step = f->pkt_duration;
#endif
      if (step <= 0) {
        const AVStream* st = demux_.video_stream();
        if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
          step = av_rescale_q(1, av_inv_q(st->avg_frame_rate), st->time_base);
      }
      pts = last_pts_ + (step > 0 ? step : 1);
    }
    ++synthesized_pts_;
  } else if (last_pts_ != AV_NOPTS_VALUE && pts <= last_pts_) {
    // The encoder and muxer need strictly increasing timestamps; move the frame just after its
    // predecessor so that the following frames keep their own times.
    pts = last_pts_ + 1;
    ++reordered_pts_;
  }
  f->pts = pts;
  last_pts_ = pts;
}

bool FrameSource::decode_next() {
  for (;;) {
    if (!decode(frame_.get())) return false;
    // Counted only for frames that are delivered: after a seek, the skipped leading pictures
    // of an open GOP are expected to be damaged.
    const bool damaged = (frame_->flags & AV_FRAME_FLAG_CORRUPT) || frame_->decode_error_flags;
    if (!index_) {
      if (damaged) ++damaged_frames_;
      return true;
    }
    const std::vector<std::int64_t>& pts = index_->pts;
    const std::int64_t t = frame_->best_effort_timestamp;
    const auto it = std::lower_bound(pts.begin(), pts.end(), t);
    if (t == AV_NOPTS_VALUE || it == pts.end() || *it != t) {
      ++unindexed_frames_;
      continue;
    }
    const std::int64_t k = it - pts.begin();
    // Before the seek target: leading pictures of an open GOP, or the frames between an earlier
    // keyframe the container seeked to and the wanted one. Not delivered, not an error.
    if (k < min_index_ || k <= last_index_) continue;
    if (damaged) ++damaged_frames_;
    index_of_current_ = k;
    frame_->pts = t;
    return true;
  }
}

bool FrameSource::next(FrameView& view) {
  if (ended_) return false;
  options_.stop.throw_if_stopped(path_);
  if (first_pending_) {
    first_pending_ = false;
  } else if (!decode_next()) {
    ended_ = true;
    return false;
  }
  conv_.to_view(*frame_, view);
  if (index_) {
    last_index_ = index_of_current_;
    view.index = index_of_current_;
    ++frames_;
  } else {
    repair_pts(frame_.get());
    view.index = frames_++;
  }
  view.pts = frame_->pts;
  return true;
}

void FrameSource::seek_to_frame(std::int64_t k) {
  if (!index_) throw Error(path_, "seeking needs a frame index (ReaderOptions::index)");
  const std::int64_t n = static_cast<std::int64_t>(index_->size());
  if (k < 0 || k >= n)
    throw Error(path_, "cannot seek to frame " + std::to_string(k) + ": the video has " +
                           std::to_string(n) + " frames");
  std::int64_t key = k;
  while (key > 0 && !index_->keyframe[key]) --key;

  // Nothing delivered yet and the frame decoded at open is at or after the keyframe: decoding
  // from the start already is decoding from that keyframe (segment 0, usually).
  if (first_pending_ && frames_ == 0 && index_of_current_ >= key) {
    min_index_ = key;
    return;
  }
  first_pending_ = false;
  ended_ = false;
  input_done_ = false;
  others_.clear();
  min_index_ = key;
  last_index_ = -1;
  if (!seek_demuxer(index_->pts[key])) restart_from_beginning();
}

bool FrameSource::seek_demuxer(std::int64_t target_pts) {
  AVFormatContext* ctx = demux_.context();
  const int vi = demux_.video_index();
  avcodec_flush_buffers(dec_.get());
  if (av_seek_frame(ctx, vi, target_pts, AVSEEK_FLAG_BACKWARD) < 0) return false;
  demux_.clear_read_error();
  // The first video packet after the seek must be a keyframe at or before the target, else the
  // seek was approximate and decoding from here could miss references or the target itself.
  for (;;) {
    if (demux_.read(pkt_.get()) != Demuxer::ReadResult::packet) return false;
    if (pkt_->stream_index != vi) {
      av_packet_unref(pkt_.get());
      continue;
    }
    const bool good =
        (pkt_->flags & AV_PKT_FLAG_KEY) && pkt_->pts != AV_NOPTS_VALUE && pkt_->pts <= target_pts;
    if (!good) {
      av_packet_unref(pkt_.get());
      return false;
    }
    send_video_packet(pkt_.get());
    return true;
  }
}

void FrameSource::restart_from_beginning() {
  ++seek_restarts_;
  // A fresh demuxer and decoder: the state after a failed or approximate seek is not trusted.
  const VideoInfo info = demux_.info();  // keeps what the first frame filled in
  demux_ = Demuxer(path_);
  demux_.info() = info;
  open_input();
  open_decoder();
}

VideoStreamParams FrameSource::stream_params() const {
  const AVStream* in = demux_.video_stream();
  const AVCodecContext& dec = *dec_;
  VideoStreamParams p;
  p.width = conv_.width();
  p.height = conv_.height();
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(conv_.format());
  p.chroma_shift_x = d ? d->log2_chroma_w : 1;
  p.chroma_shift_y = d ? d->log2_chroma_h : 1;
  p.bit_depth = d ? d->comp[0].depth : 8;
  p.time_base = {in->time_base.num, in->time_base.den};
  const AVRational rate = in->avg_frame_rate.num > 0 ? in->avg_frame_rate : in->r_frame_rate;
  p.frame_rate = {rate.num, rate.den};
  const AVRational sar =
      av_guess_sample_aspect_ratio(demux_.context(), const_cast<AVStream*>(in), nullptr);
  p.sample_aspect_ratio = {sar.num, sar.den};
  if (conv_.from_rgb()) {
    // swscale made BT.601 limited-range YUV out of RGB/gray; say so instead of copying "RGB".
    p.color_space = AVCOL_SPC_SMPTE170M;
    p.color_range = AVCOL_RANGE_MPEG;
  } else {
    p.color_space = dec.colorspace;
    const bool jpeg_format = dec.pix_fmt == AV_PIX_FMT_YUVJ420P ||
                             dec.pix_fmt == AV_PIX_FMT_YUVJ422P ||
                             dec.pix_fmt == AV_PIX_FMT_YUVJ444P;
    p.color_range = jpeg_format ? AVCOL_RANGE_JPEG : dec.color_range;
  }
  p.color_primaries = dec.color_primaries;
  p.color_trc = dec.color_trc;
  p.chroma_location = dec.chroma_sample_location;
  p.hdr = hdr_;
  p.codec_name = avcodec_get_name(in->codecpar->codec_id);
  p.bit_rate = in->codecpar->bit_rate > 0 ? in->codecpar->bit_rate : demux_.context()->bit_rate;
  return p;
}

std::vector<std::string> FrameSource::warnings() const {
  std::vector<std::string> w;
  const std::int64_t expected =
      index_ ? static_cast<std::int64_t>(index_->size()) : demux_.info().frame_count;
  const std::string of = expected > 0 ? " of " + std::to_string(expected) : "";
  // With an index, the end is where the index says; a reader that seeked has read fewer
  // packets and delivered fewer frames than the file has, which is not an early end.
  const std::int64_t reached = index_ ? last_index_ + 1 : frames_;
  const bool short_of_index = index_ && reached < expected;
  if (ended_ && !demux_.read_error().empty()) {
    w.push_back("stream ends early at frame " + std::to_string(reached) + of +
                " (read error: " + demux_.read_error() + ")");
  } else if (ended_ && expected > 0 &&
             (index_ ? short_of_index : video_packets_ < expected && frames_ < expected)) {
    w.push_back("stream ends early at frame " + std::to_string(reached) + of +
                " (truncated file?)");
  }
  if (decode_errors_ > 0)
    w.push_back(plural(decode_errors_, "packet", "packets") + " could not be decoded (skipped)");
  if (damaged_frames_ > 0)
    w.push_back(plural(damaged_frames_, "frame was", "frames were") +
                " damaged (the decoder concealed the errors)");
  if (synthesized_pts_ > 0)
    w.push_back(plural(synthesized_pts_, "frame had", "frames had") +
                " no timestamp (synthesized from the previous frame's)");
  if (reordered_pts_ > 0)
    w.push_back(plural(reordered_pts_, "frame had a timestamp", "frames had timestamps") +
                " not after the previous frame's (moved to just after it)");
  if (unindexed_frames_ > 0)
    w.push_back(plural(unindexed_frames_, "decoded frame has a timestamp",
                       "decoded frames have timestamps") +
                " not in the frame index (dropped)");
  if (seek_restarts_ > 0)
    w.push_back(plural(seek_restarts_, "seek was", "seeks were") +
                " not exact and decoded from the start of the file instead (slow, correct)");
  if (conv_.reshaped_frames() > 0)
    w.push_back(plural(conv_.reshaped_frames(), "frame", "frames") + " changed size or format (" +
                conv_.first_reshape() + ") and were scaled to the first frame's " +
                std::to_string(conv_.width()) + "x" + std::to_string(conv_.height()));
  return w;
}

}  // namespace sw::io
