// VideoTranscoder wires FrameSource (the same decode path as VideoReader), the caller's frame
// function, Encoder and Muxer. Packets of the other streams are queued by the source as it
// demuxes and written before the frame they preceded, so the output keeps the input's order and
// av_interleaved_write_frame only has to absorb the encoder's delay.
#include "io/video_transcoder.hpp"

#include "io/encoder.hpp"
#include "io/frame_source.hpp"
#include "io/muxer.hpp"

namespace sw::io {
namespace {

ReaderOptions source_options(int decoder_threads) {
  ReaderOptions o;
  o.decoder_threads = decoder_threads;
  o.convert_to_8bit_yuv = true;  // the encoder takes 8-bit YUV
  return o;
}

#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
std::int64_t frame_duration(const AVFrame& f) {
  return f.duration;
}
#else
std::int64_t frame_duration(const AVFrame& f) {
  return f.pkt_duration;
}
#endif

}  // namespace

struct VideoTranscoder::Impl {
  Impl(const std::string& input_path, const std::string& output_path, const EncodeOptions& encode,
       int decoder_threads)
      : source(input_path, source_options(decoder_threads), true),
        muxer(output_path),
        encoder(encode, source.stream_params(), muxer.wants_global_header(), output_path,
                own_warnings) {
    muxer.open(*source.demuxer().context(), source.demuxer().video_index(), encoder.context(),
               own_warnings);
  }

  void write_queued_packets() {
    auto& queue = source.other_packets();
    while (!queue.empty()) {
      muxer.write_copy(queue.front().get(), *source.demuxer().context());
      queue.pop_front();
    }
  }

  std::vector<std::string> own_warnings;  // declared first: the members below fill it
  FrameSource source;
  Muxer muxer;
  Encoder encoder;
  bool ran = false;
};

VideoTranscoder::VideoTranscoder(const std::string& input_path, const std::string& output_path,
                                 const EncodeOptions& encode, int decoder_threads)
    : impl_(std::make_unique<Impl>(input_path, output_path, encode, decoder_threads)) {}

VideoTranscoder::~VideoTranscoder() = default;

const VideoInfo& VideoTranscoder::info() const {
  return impl_->source.info();
}

std::int64_t VideoTranscoder::run(const FrameFn& process) {
  Impl& m = *impl_;
  if (m.ran) throw Error(m.source.info().path, "the input was already transcoded");
  m.ran = true;
  const AVRational enc_tb = m.encoder.context().time_base;
  const Encoder::PacketSink sink = [&](AVPacket* pkt) { m.muxer.write_video(pkt, enc_tb); };
  std::int64_t written = 0;
  FrameView in;
  std::int64_t last_duration = 0;
  while (m.source.next(in)) {
    m.write_queued_packets();
    MutableFrameView& out = m.encoder.begin_frame();
    process(in, out);
    std::int64_t duration = frame_duration(m.source.current_frame());
    if (duration <= 0) duration = last_duration;
    last_duration = duration;
    m.encoder.encode(in.pts, duration, sink);
    ++written;
  }
  m.write_queued_packets();
  m.encoder.flush(sink);
  return written;
}

void VideoTranscoder::finish() {
  impl_->muxer.finish();
}

std::vector<std::string> VideoTranscoder::warnings() const {
  std::vector<std::string> w = impl_->source.warnings();
  w.insert(w.end(), impl_->own_warnings.begin(), impl_->own_warnings.end());
  if (const std::int64_t n = impl_->muxer.failed_copies(); n > 0)
    w.push_back(std::to_string(n) + " copied packets were refused by the muxer (dropped)");
  return w;
}

}  // namespace sw::io
