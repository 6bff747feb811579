// Helpers for the io tests: a scratch directory, clips made by the ffmpeg CLI, and an
// independent libav read of a file's packets to compare our output against.
#pragma once

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/display.h>
}

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sw::io::testing {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("sw_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs `ffmpeg -v error -y <args>`; fails the calling test if ffmpeg fails.
inline void ffmpeg(const std::string& args) {
  const std::string cmd = "ffmpeg -nostdin -v error -y " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// Standard 2 s test clip (60 frames at 30 fps, 320x240) plus extra ffmpeg options. testsrc
// rather than testsrc2, which rounds odd sizes down to even.
inline std::string lavfi_video(int w = 320, int h = 240, double seconds = 2) {
  return "-f lavfi -i testsrc=size=" + std::to_string(w) + "x" + std::to_string(h) +
         ":rate=30:duration=" + std::to_string(seconds) + " ";
}

struct Packet {
  std::int64_t pts = 0;
  std::int64_t dts = 0;
  std::int64_t duration = 0;
  std::vector<std::uint8_t> data;
};

struct Stream {
  AVMediaType type = AVMEDIA_TYPE_UNKNOWN;
  std::string codec;
  std::string tag;  // fourcc
  AVRational time_base{0, 1};
  int width = 0;
  int height = 0;
  int pix_fmt = -1;
  int color_range = 0;
  double rotation = 0;
  std::map<std::string, std::string> metadata;
  std::vector<Packet> packets;

  // Presentation timestamps in ascending order.
  std::vector<std::int64_t> sorted_pts() const {
    std::vector<std::int64_t> v;
    for (const Packet& p : packets) v.push_back(p.pts);
    std::sort(v.begin(), v.end());
    return v;
  }
};

struct Container {
  std::map<std::string, std::string> metadata;
  std::vector<Stream> streams;
  const Stream* first(AVMediaType type) const {
    for (const Stream& s : streams)
      if (s.type == type) return &s;
    return nullptr;
  }
};

inline std::map<std::string, std::string> to_map(const AVDictionary* d) {
  std::map<std::string, std::string> m;
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(d, "", e, AV_DICT_IGNORE_SUFFIX))) m[e->key] = e->value;
  return m;
}

// Reads every packet of `path` with plain libav (not our code).
inline Container read_container(const std::string& path) {
  Container c;
  AVFormatContext* ctx = nullptr;
  if (avformat_open_input(&ctx, path.c_str(), nullptr, nullptr) < 0) {
    ADD_FAILURE() << "cannot open " << path;
    return c;
  }
  avformat_find_stream_info(ctx, nullptr);
  c.metadata = to_map(ctx->metadata);
  for (unsigned i = 0; i < ctx->nb_streams; ++i) {
    const AVStream* st = ctx->streams[i];
    Stream s;
    s.type = st->codecpar->codec_type;
    s.codec = avcodec_get_name(st->codecpar->codec_id);
    char tag[AV_FOURCC_MAX_STRING_SIZE] = {};
    s.tag = av_fourcc_make_string(tag, st->codecpar->codec_tag);
    s.time_base = st->time_base;
    s.width = st->codecpar->width;
    s.height = st->codecpar->height;
    s.pix_fmt = st->codecpar->format;
    s.color_range = st->codecpar->color_range;
    s.metadata = to_map(st->metadata);
    size_t size = 0;
    if (const uint8_t* m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size))
      s.rotation = av_display_rotation_get(reinterpret_cast<const int32_t*>(m));
    c.streams.push_back(s);
  }
  AVPacket* pkt = av_packet_alloc();
  while (av_read_frame(ctx, pkt) >= 0) {
    Packet p;
    p.pts = pkt->pts;
    p.dts = pkt->dts;
    p.duration = pkt->duration;
    p.data.assign(pkt->data, pkt->data + pkt->size);
    c.streams[pkt->stream_index].packets.push_back(std::move(p));
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  avformat_close_input(&ctx);
  return c;
}

// The first stream of `type` in `path` (type AVMEDIA_TYPE_UNKNOWN if there is none), by value so
// it outlives the Container it came from.
inline Stream first_stream(const std::string& path, AVMediaType type) {
  const Container c = read_container(path);
  const Stream* s = c.first(type);
  return s ? *s : Stream{};
}

}  // namespace sw::io::testing
