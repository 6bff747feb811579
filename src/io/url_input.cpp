#include "io/url_input.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/byte_source.hpp"

extern "C" {
#include <libavutil/avstring.h>
#include <libavutil/dict.h>
}

namespace sw::io {

namespace {

constexpr std::size_t kReadAhead = 1u << 20;  // bytes fetched per request
constexpr int kAvioBufferSize = 64 << 10;     // libav's own buffer in front of ours

// The demuxers an input may be read with: containers and elementary streams whose bytes are all
// in the one file. Left out on purpose: playlists and scripts that open further files or URLs
// (hls, dash, concat, image2 with its %d patterns, sdp/rtsp, tee), devices (lavfi) and
// audio-only or subtitle formats. A name here matches any of a demuxer's names.
constexpr const char* kVideoContainers =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,asf,ogg,mxf,nut,ivf,dv,"
    "h264,hevc,m4v,mpegvideo,obu,yuv4mpegpipe,gif";

struct DictionaryDeleter {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};
using DictionaryPtr = std::unique_ptr<AVDictionary, DictionaryDeleter>;

// The opaque state of a custom AVIOContext.
struct UrlReader {
  std::unique_ptr<ByteSource> source;
  std::int64_t size = 0;
  std::int64_t pos = 0;
  std::vector<std::uint8_t> ahead;  // bytes [ahead_start, ahead_start + ahead.size())
  std::int64_t ahead_start = 0;
  std::string error;
};

// libav calls these from C: no exception may escape, so a failure is kept for the message and
// reported to libav as EIO.
int read_packet(void* opaque, std::uint8_t* buf, int buf_size) {
  auto* r = static_cast<UrlReader*>(opaque);
  if (r->pos >= r->size) return AVERROR_EOF;
  try {
    const auto ahead_end = [r] {
      return r->ahead_start + static_cast<std::int64_t>(r->ahead.size());
    };
    if (r->pos < r->ahead_start || r->pos >= ahead_end()) {
      const auto want = static_cast<std::size_t>(
          std::min<std::int64_t>(static_cast<std::int64_t>(kReadAhead), r->size - r->pos));
      r->ahead.resize(want);
      r->ahead_start = r->pos;
      r->ahead.resize(r->source->read_at(r->pos, r->ahead.data(), want));
      if (r->ahead.empty()) return AVERROR_EOF;
    }
    const auto n = static_cast<int>(std::min<std::int64_t>(buf_size, ahead_end() - r->pos));
    std::memcpy(buf, r->ahead.data() + (r->pos - r->ahead_start), static_cast<std::size_t>(n));
    r->pos += n;
    return n;
  } catch (const Error& e) {
    r->error = e.problem();
  } catch (const std::exception& e) {
    r->error = e.what();
  }
  return AVERROR(EIO);
}

std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
  auto* r = static_cast<UrlReader*>(opaque);
  if (whence & AVSEEK_SIZE) return r->size;
  std::int64_t target = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET:
      target = offset;
      break;
    case SEEK_CUR:
      target = r->pos + offset;
      break;
    case SEEK_END:
      target = r->size + offset;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (target < 0) return AVERROR(EINVAL);
  r->pos = target;
  return target;
}

void free_custom_io(AVIOContext* pb) {
  if (!pb) return;
  delete static_cast<UrlReader*>(pb->opaque);
  av_freep(&pb->buffer);  // avio may have replaced the buffer we gave it; this is the current one
  avio_context_free(&pb);
}

// The long name of the format libav recognises in a local file when it is not one of ours
// ("Apple HTTP Live Streaming"), or "". Reads only the head of that one file.
std::string refused_format(const std::string& name) {
  AVIOContext* pb = nullptr;
  if (avio_open(&pb, ("file:" + name).c_str(), AVIO_FLAG_READ) < 0) return "";
  const AVInputFormat* format = nullptr;
  av_probe_input_buffer2(pb, &format, "", nullptr, 0, 0);
  avio_closep(&pb);
  if (!format || av_match_list(format->name, kVideoContainers, ',') > 0) return "";
  return format->long_name ? format->long_name : format->name;
}

}  // namespace

void InputDeleter::operator()(AVFormatContext* ctx) const {
  AVIOContext* custom = (ctx->flags & AVFMT_FLAG_CUSTOM_IO) ? ctx->pb : nullptr;
  avformat_close_input(&ctx);
  free_custom_io(custom);
}

int open_input(InputPtr& out, const std::string& name, std::string& source_error) {
  AVFormatContext* raw = nullptr;
  AVIOContext* custom = nullptr;
  AVDictionary* options = nullptr;
  av_dict_set(&options, "format_whitelist", kVideoContainers, 0);
  // A local input opens one file and nothing else. A URL input reads through our own
  // AVIOContext and needs no protocol at all ("none" names none).
  av_dict_set(&options, "protocol_whitelist", has_url_opener(name) ? "none" : "file", 0);
  DictionaryPtr owned_options(options);
  if (std::unique_ptr<ByteSource> source = open_url(name)) {
    auto reader = std::make_unique<UrlReader>();
    reader->size = source->size();
    reader->source = std::move(source);
    raw = avformat_alloc_context();
    auto* buffer = static_cast<std::uint8_t*>(av_malloc(kAvioBufferSize));
    if (raw && buffer) {
      custom =
          avio_alloc_context(buffer, kAvioBufferSize, 0, reader.get(), read_packet, nullptr, seek);
    }
    if (!custom) {
      av_free(buffer);
      avformat_free_context(raw);
      throw Error(name, "out of memory (custom I/O context)");
    }
    reader.release();  // owned by `custom` from here on (freed by free_custom_io)
    raw->pb = custom;
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  }
  // On failure avformat_open_input frees `raw` but, with custom I/O, not `custom`. A local name
  // is always a file, even one that looks like a protocol ("12:30.mp4").
  const std::string url = custom ? name : "file:" + name;
  options = owned_options.release();
  const int ret = avformat_open_input(&raw, url.c_str(), nullptr, &options);
  owned_options.reset(options);
  if (ret < 0) {
    if (custom) source_error = static_cast<UrlReader*>(custom->opaque)->error;
    if (!custom && ret == AVERROR(EINVAL)) {
      const std::string format = refused_format(name);
      if (!format.empty())
        source_error = "not a video file (" + format +
                       "; only video containers are read, never playlists or other formats "
                       "that pull in further files)";
    }
    free_custom_io(custom);
    return ret;
  }
  out.reset(raw);
  return 0;
}

std::string source_error(const AVFormatContext* ctx) {
  if (!ctx || !(ctx->flags & AVFMT_FLAG_CUSTOM_IO) || !ctx->pb) return "";
  return static_cast<const UrlReader*>(ctx->pb->opaque)->error;
}

}  // namespace sw::io
