// SegmentEncoder = Encoder (closed GOPs, global header) + Muxer (MP4, video only); assembly =
// the pieces' packets and the input's other streams merged in dts order into one Muxer, the
// same Muxer set-up (stream copy, metadata, display matrix, movie timescale) as VideoTranscoder.
#include "io/segment_encoder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/cancel.hpp"
#include "io/av_ptr.hpp"
#include "io/demuxer.hpp"
#include "io/encoder.hpp"
#include "io/hdr_metadata.hpp"
#include "io/muxer.hpp"

namespace sw::io {
namespace {

Muxer::VideoStream video_stream_of(const AVCodecContext& enc, const HdrMetadata& hdr,
                                   CodecParametersPtr& holder, const std::string& path) {
  holder.reset(avcodec_parameters_alloc());
  if (!holder) throw Error(path, "out of memory (codec parameters)");
  av_check(avcodec_parameters_from_context(holder.get(), &enc), "setting up the video stream",
           path);
  return Muxer::VideoStream{holder.get(), enc.time_base, enc.framerate, hdr};
}

}  // namespace

struct SegmentEncoder::Impl {
  Impl(const std::string& piece_path, const EncodeOptions& options, const VideoStreamParams& params)
      : muxer(piece_path, "mp4"),
        encoder(options, params, muxer.wants_global_header(), piece_path, warnings, true) {
    CodecParametersPtr par;
    muxer.open(nullptr, 0, video_stream_of(encoder.context(), params.hdr, par, piece_path),
               warnings);
    sink = [this](AVPacket* pkt) { muxer.write_video(pkt, encoder.context().time_base); };
  }

  std::vector<std::string> warnings;  // declared first: the members below fill it
  Muxer muxer;
  Encoder encoder;
  Encoder::PacketSink sink;
  std::int64_t frames = 0;
  std::int64_t last_duration = 0;
  bool finished = false;
};

SegmentEncoder::SegmentEncoder(const std::string& piece_path, const EncodeOptions& options,
                               const VideoStreamParams& params)
    : impl_(std::make_unique<Impl>(piece_path, options, params)) {}

SegmentEncoder::~SegmentEncoder() = default;

MutableFrameView& SegmentEncoder::begin_frame() {
  return impl_->encoder.begin_frame();
}

void SegmentEncoder::encode(std::int64_t pts, std::int64_t duration) {
  Impl& m = *impl_;
  if (duration <= 0) duration = m.last_duration;
  m.last_duration = duration;
  m.encoder.encode(pts, duration, m.sink);
  ++m.frames;
}

void SegmentEncoder::encode(const FrameView& frame, std::int64_t duration) {
  MutableFrameView& out = begin_frame();
  for (int p = 0; p < 3; ++p) {
    const PlaneView& s = frame.planes[p];
    const MutablePlaneView& d = out.planes[p];
    if (s.bytes_per_sample != d.bytes_per_sample || s.width < d.width || s.height < d.height)
      throw Error("", "SegmentEncoder::encode: expected a frame of " +
                          std::to_string(d.bytes_per_sample) + "-byte samples of at least " +
                          std::to_string(out.planes[0].width) + "x" +
                          std::to_string(out.planes[0].height));
    for (int y = 0; y < d.height; ++y)
      std::memcpy(d.data + static_cast<std::ptrdiff_t>(y) * d.stride,
                  s.data + static_cast<std::ptrdiff_t>(y) * s.stride,
                  static_cast<std::size_t>(d.width) * d.bytes_per_sample);
  }
  encode(frame.pts, duration);
}

void SegmentEncoder::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  m.encoder.flush(m.sink);
  m.muxer.finish();
  m.finished = true;
}

std::int64_t SegmentEncoder::frames() const {
  return impl_->frames;
}

const std::vector<std::string>& SegmentEncoder::warnings() const {
  return impl_->warnings;
}

namespace {

// One piece opened for reading: its only stream must be video.
class Piece {
 public:
  Piece(const std::string& path, bool probe) : path_(path), pkt_(make_packet()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(path, "segment piece is missing");
    std::string problem;  // opened as any input: a file, a container, nothing else
    int ret = open_input(ctx_, path, problem);
    if (ret < 0)
      throw Error(path, "segment piece is not readable (" +
                            (problem.empty() ? av_error_string(ret) : problem) + ")");
    // Probing decodes a few frames; only the first piece's parameters are used, the others are
    // checked against it through the extradata.
    if (probe) {
      ret = avformat_find_stream_info(ctx_.get(), nullptr);
      if (ret < 0)
        throw Error(path, "segment piece is not readable (" + av_error_string(ret) + ")");
    }
    if (ctx_->nb_streams != 1 || ctx_->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
      throw Error(path, "not a segment piece (expected one video stream)");
  }

  const std::string& path() const { return path_; }
  const AVStream& stream() const { return *ctx_->streams[0]; }

  // The next packet, or null at the end; throws on a read error (a damaged piece).
  AVPacket* next() {
    av_packet_unref(pkt_.get());
    const int ret = av_read_frame(ctx_.get(), pkt_.get());
    if (ret == AVERROR_EOF) return nullptr;
    if (ret < 0) throw Error(path_, "segment piece is damaged (" + av_error_string(ret) + ")");
    return pkt_.get();
  }

 private:
  std::string path_;
  InputPtr ctx_;
  PacketPtr pkt_;
};

bool same_extradata(const AVCodecParameters& a, const AVCodecParameters& b) {
  return a.extradata_size == b.extradata_size &&
         (a.extradata_size == 0 || std::memcmp(a.extradata, b.extradata, a.extradata_size) == 0);
}

void check_compatible(const Piece& first, const Piece& p) {
  const AVCodecParameters& a = *first.stream().codecpar;
  const AVCodecParameters& b = *p.stream().codecpar;
  if (a.codec_id != b.codec_id || a.width != b.width || a.height != b.height)
    throw Error(p.path(), std::string("segment piece does not match the first piece (") +
                              avcodec_get_name(b.codec_id) + " " + std::to_string(b.width) + "x" +
                              std::to_string(b.height) + " vs " + avcodec_get_name(a.codec_id) +
                              " " + std::to_string(a.width) + "x" + std::to_string(a.height) + ")");
  if (!same_extradata(a, b))
    throw Error(p.path(),
                "segment piece has different codec headers (extradata) than the first piece " +
                    first.path() + ": the pieces were encoded with different settings");
}

// The input's packets of every stream but the video, in demux order.
class OtherStreams {
 public:
  explicit OtherStreams(Demuxer& demux) : demux_(demux), pkt_(make_packet()) {
    AVFormatContext* ctx = demux.context();
    ctx->streams[demux.video_index()]->discard = AVDISCARD_ALL;
    advance();
  }
  AVPacket* current() { return done_ ? nullptr : pkt_.get(); }
  void advance() {
    for (;;) {
      av_packet_unref(pkt_.get());
      if (demux_.read(pkt_.get()) != Demuxer::ReadResult::packet) {
        done_ = true;
        return;
      }
      if (pkt_->stream_index != demux_.video_index()) return;
    }
  }

 private:
  Demuxer& demux_;
  PacketPtr pkt_;
  bool done_ = false;
};

}  // namespace

void assemble_pieces(const std::string& input_path, const std::vector<std::string>& piece_paths,
                     const std::string& output_path, std::vector<std::string>& warnings,
                     StopToken stop) {
  if (piece_paths.empty()) throw Error(output_path, "no segment pieces to assemble");
  Demuxer input(input_path);
  const AVStream& in_video = *input.video_stream();
  const AVRational in_tb = in_video.time_base;

  // Open and check every piece before anything is written.
  std::vector<std::unique_ptr<Piece>> pieces;
  for (std::size_t i = 0; i < piece_paths.size(); ++i) {
    pieces.push_back(std::make_unique<Piece>(piece_paths[i], i == 0));
    if (i > 0) check_compatible(*pieces[0], *pieces[i]);
  }

  Muxer muxer(output_path);
  const AVRational rate =
      in_video.avg_frame_rate.num > 0 ? in_video.avg_frame_rate : in_video.r_frame_rate;
  // HDR side data: the input stream's is copied; where the input had it only in frames (SEI),
  // the pieces' streams carry what their encoders were given.
  muxer.open(input.context(), input.video_index(),
             Muxer::VideoStream{pieces[0]->stream().codecpar, in_tb, rate,
                                hdr_metadata_of(pieces[0]->stream(), nullptr)},
             warnings);

  OtherStreams others(input);
  const AVFormatContext& in_ctx = *input.context();
  // Copied packets are written as soon as the video has reached their time, so that the
  // muxer's interleaving queue stays short.
  auto write_others_until = [&](std::int64_t dts, AVRational tb, bool all) {
    for (AVPacket* o = others.current(); o; o = others.current()) {
      const std::int64_t t = o->dts != AV_NOPTS_VALUE ? o->dts : o->pts;
      if (!all && t != AV_NOPTS_VALUE &&
          av_compare_ts(t, in_ctx.streams[o->stream_index]->time_base, dts, tb) > 0)
        return;
      muxer.write_copy(o, in_ctx);
      others.advance();
    }
  };

  std::int64_t last_dts = AV_NOPTS_VALUE;
  std::int64_t last_pts = AV_NOPTS_VALUE;
  std::int64_t raised = 0;
  for (const auto& piece : pieces) {
    const AVRational piece_tb = piece->stream().time_base;
    std::int64_t piece_max_pts = AV_NOPTS_VALUE;
    std::int64_t packets = 0;
    while (AVPacket* pkt = piece->next()) {
      stop.throw_if_stopped(output_path);
      if (pkt->pts == AV_NOPTS_VALUE || pkt->dts == AV_NOPTS_VALUE)
        throw Error(piece->path(), "segment piece has a packet without timestamps");
      // The piece's clock is the input's scaled up by the MP4 muxer: back to the input's.
      av_packet_rescale_ts(pkt, piece_tb, in_tb);
      ++packets;
      if (last_pts != AV_NOPTS_VALUE && pkt->pts <= last_pts)
        throw Error(piece->path(), "segment piece has a frame at pts " + std::to_string(pkt->pts) +
                                       ", not after the previous piece's last frame (" +
                                       std::to_string(last_pts) + "): pieces out of order?");
      piece_max_pts =
          piece_max_pts == AV_NOPTS_VALUE ? pkt->pts : std::max(piece_max_pts, pkt->pts);
      if (last_dts != AV_NOPTS_VALUE && pkt->dts <= last_dts) {
        pkt->dts = last_dts + 1;
        ++raised;
        if (pkt->dts > pkt->pts)
          throw Error(piece->path(),
                      "segment piece's timestamps cannot follow the previous piece's (dts " +
                          std::to_string(pkt->dts) + " > pts " + std::to_string(pkt->pts) + ")");
      }
      last_dts = pkt->dts;
      write_others_until(pkt->dts, in_tb, false);
      muxer.write_video(pkt, in_tb);
    }
    if (packets == 0) throw Error(piece->path(), "segment piece has no video packets");
    last_pts = piece_max_pts;
  }
  write_others_until(0, in_tb, true);
  muxer.finish();
  if (raised > 0)
    warnings.push_back(std::to_string(raised) +
                       " video dts raised to follow the previous piece's (variable frame rate)");
  if (const std::int64_t n = muxer.failed_copies(); n > 0)
    warnings.push_back(std::to_string(n) + " copied packets were refused by the muxer (dropped)");
}

}  // namespace sw::io
