// Decode loop after FFmpeg's doc/examples/transcode.c: drain avcodec_receive_frame() until
// EAGAIN, then feed one packet; at the end of input send a null packet to flush, and stop at
// AVERROR_EOF. Damage is counted, never fatal: a packet the decoder rejects is skipped, a read
// error ends the stream early, and warnings() reports both.
#include "io/frame_source.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

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
    : demux_(path),
      pkt_(make_packet()),
      frame_(make_frame()),
      conv_(options.convert_to_8bit_yuv, path),
      keep_others_(keep_other_packets) {
  if (!keep_others_) {
    // Analysis never looks at audio or data: let the demuxer skip reading them.
    AVFormatContext* ctx = demux_.context();
    for (unsigned i = 0; i < ctx->nb_streams; ++i)
      if (static_cast<int>(i) != demux_.video_index()) ctx->streams[i]->discard = AVDISCARD_ALL;
  }
  open_decoder(options);
  if (!decode(frame_.get())) {
    std::string why = "no decodable video frames";
    if (decode_errors_ > 0)
      why += " (" + plural(decode_errors_, "packet", "packets") + " failed)";
    else if (!demux_.read_error().empty())
      why += " (" + demux_.read_error() + ")";
    throw Error(path, why);
  }
  first_pending_ = true;
  conv_.configure(*frame_);
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

void FrameSource::open_decoder(const ReaderOptions& options) {
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
  const int ret = avcodec_open2(dec_.get(), codec, nullptr);
  if (ret < 0)
    throw Error(path, "unsupported codec " + codec_name + " (" + av_error_string(ret) + ")");
}

void FrameSource::feed_one_packet() {
  const Demuxer::ReadResult r = demux_.read(pkt_.get());
  if (r != Demuxer::ReadResult::packet) {
    input_done_ = true;
    avcodec_send_packet(dec_.get(), nullptr);  // enter draining mode
    return;
  }
  if (pkt_->stream_index == demux_.video_index()) {
    ++video_packets_;
    const int ret = avcodec_send_packet(dec_.get(), pkt_.get());
    av_packet_unref(pkt_.get());
    if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) ++decode_errors_;
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
    if (ret >= 0) {
      if ((out->flags & AV_FRAME_FLAG_CORRUPT) || out->decode_error_flags) ++damaged_frames_;
      return true;
    }
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

bool FrameSource::next(FrameView& view) {
  if (ended_) return false;
  if (first_pending_) {
    first_pending_ = false;
  } else if (!decode(frame_.get())) {
    ended_ = true;
    return false;
  }
  repair_pts(frame_.get());
  conv_.to_view(*frame_, view);
  view.index = frames_++;
  view.pts = frame_->pts;
  return true;
}

std::vector<std::string> FrameSource::warnings() const {
  std::vector<std::string> w;
  const std::int64_t expected = demux_.info().frame_count;
  const std::string of = expected > 0 ? " of " + std::to_string(expected) : "";
  if (ended_ && !demux_.read_error().empty()) {
    w.push_back("stream ends early at frame " + std::to_string(frames_) + of +
                " (read error: " + demux_.read_error() + ")");
  } else if (ended_ && expected > 0 && video_packets_ < expected && frames_ < expected) {
    w.push_back("stream ends early at frame " + std::to_string(frames_) + of +
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
  if (conv_.reshaped_frames() > 0)
    w.push_back(plural(conv_.reshaped_frames(), "frame", "frames") + " changed size or format (" +
                conv_.first_reshape() + ") and were scaled to the first frame's " +
                std::to_string(conv_.width()) + "x" + std::to_string(conv_.height()));
  return w;
}

}  // namespace sw::io
