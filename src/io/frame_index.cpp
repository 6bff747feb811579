// scan_frames: av_read_frame over the video stream only (the other streams are discarded at the
// demuxer, so their data is not even read), then a sort by pts. No decoder is opened.
#include "io/frame_index.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/cancel.hpp"
#include "io/av_ptr.hpp"
#include "io/demuxer.hpp"

namespace sw::io {

FrameIndex scan_frames(const std::string& path, StopToken stop) {
  Demuxer demux(path);
  AVFormatContext* ctx = demux.context();
  const int vi = demux.video_index();
  for (unsigned i = 0; i < ctx->nb_streams; ++i)
    if (static_cast<int>(i) != vi) ctx->streams[i]->discard = AVDISCARD_ALL;
  const AVStream* st = demux.video_stream();
  // Without reordering, presentation order is decode order and a missing pts is the dts.
  const bool reorders = st->codecpar->video_delay > 0;

  std::vector<std::pair<std::int64_t, std::uint8_t>> frames;  // (pts, keyframe)
  // The header's frame count is a claim (4294967295 in a crafted MP4): reserve no more than the
  // file can hold, counting a packet as at least kMinPacketBytes of the file.
  constexpr std::int64_t kMinPacketBytes = 16;
  const std::int64_t file_size = ctx->pb ? avio_size(ctx->pb) : -1;
  const std::int64_t plausible = std::min<std::int64_t>(st->nb_frames, file_size / kMinPacketBytes);
  if (plausible > 0) frames.reserve(static_cast<std::size_t>(plausible));
  PacketPtr pkt = make_packet();
  while (demux.read(pkt.get()) == Demuxer::ReadResult::packet) {
    stop.throw_if_stopped(path);
    if (pkt->stream_index == vi && !(pkt->flags & AV_PKT_FLAG_DISCARD)) {
      std::int64_t pts = pkt->pts;
      if (pts == AV_NOPTS_VALUE && !reorders) pts = pkt->dts;
      if (pts != AV_NOPTS_VALUE) frames.emplace_back(pts, (pkt->flags & AV_PKT_FLAG_KEY) ? 1 : 0);
    }
    av_packet_unref(pkt.get());
  }
  // A read error ends the scan like it ends decoding: the index covers what can be read.
  if (frames.empty()) throw Error(path, "no video packets");
  // Stable: of packets with the same pts, the first in decode order is kept.
  std::stable_sort(frames.begin(), frames.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  FrameIndex index;
  index.time_base = Rational{st->time_base.num, st->time_base.den};
  index.pts.reserve(frames.size());
  index.keyframe.reserve(frames.size());
  for (const auto& [pts, key] : frames) {
    if (!index.pts.empty() && pts == index.pts.back()) continue;
    index.pts.push_back(pts);
    index.keyframe.push_back(key);
  }
  return index;
}

}  // namespace sw::io
