// Demuxer: avformat_open_input + avformat_find_stream_info, then our own choice of the video
// stream (av_find_best_stream would happily pick an MP4's cover art), then VideoInfo.
#include "io/demuxer.hpp"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "io/byte_source.hpp"

namespace sw::io {
namespace {

// True when the file starts like an ISO-BMFF file (MP4/MOV: an 'ftyp' box at offset 4). Used
// only to word the error for a recording whose index (moov) was never written.
bool looks_like_mp4(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof(head));
  return in.gcount() == 8 && std::memcmp(head + 4, "ftyp", 4) == 0;
}

Rational to_rational(AVRational r) {
  return Rational{r.num, r.den};
}

}  // namespace

Demuxer::Demuxer(const std::string& path) : path_(path) {
  open(path);
  video_index_ = choose_video_stream();
  describe_video_stream();
}

void Demuxer::open(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool url = has_url_opener(path);
  if (!url && !fs::exists(path, ec)) throw Error(path, "no such file");
  if (!url && fs::is_directory(path, ec))
    throw Error(path, "is a directory, expected a video file");

  std::string source_problem;
  int ret = open_input(ctx_, path, source_problem);
  if (ret < 0) {  // nothing is left allocated
    if (!source_problem.empty()) throw Error(path, source_problem);
    if (ret == AVERROR(ENOENT)) throw Error(path, "no such file");
    if (ret == AVERROR(EACCES) || ret == AVERROR(EPERM)) throw Error(path, "permission denied");
    if (ret == AVERROR_INVALIDDATA && looks_like_mp4(path))
      throw Error(path,
                  "not a video file (MP4/MOV without its index: the recording was cut off "
                  "before it was finished? " +
                      av_error_string(ret) + ")");
    throw Error(path, "not a video file (" + av_error_string(ret) + ")");
  }
  // The sizes the container claims: probing may reset a size its decoder refused to 0x0.
  for (unsigned i = 0; i < ctx_->nb_streams; ++i)
    header_sizes_.emplace_back(ctx_->streams[i]->codecpar->width,
                               ctx_->streams[i]->codecpar->height);
  // Probing decodes frames: with the pixel limit, so an absurd size fails instead of allocating.
  std::vector<AVDictionary*> decoder_options(ctx_->nb_streams, nullptr);
  for (auto& options : decoder_options)
    av_dict_set_int(&options, "max_pixels", kMaxPicturePixels, 0);
  ret = avformat_find_stream_info(ctx_.get(), decoder_options.data());
  for (auto& options : decoder_options) av_dict_free(&options);
  if (ret < 0 && !source_error(ctx_.get()).empty()) throw Error(path, source_error(ctx_.get()));
  if (ret < 0) throw Error(path, "not a video file (" + av_error_string(ret) + ")");
}

int Demuxer::choose_video_stream() const {
  // Prefer a stream we can decode, then the default one, then the largest picture. Cover art
  // and timed thumbnails are pictures attached to audio, not video.
  int best = -1;
  long long best_score = -1;
  bool undecodable = false;
  AVCodecID undecodable_id = AV_CODEC_ID_NONE;
  for (unsigned i = 0; i < ctx_->nb_streams; ++i) {
    const AVStream* st = ctx_->streams[i];
    if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if (st->disposition & (AV_DISPOSITION_ATTACHED_PIC | AV_DISPOSITION_TIMED_THUMBNAILS)) continue;
    const AVCodec* dec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!dec) {
      undecodable = true;
      undecodable_id = st->codecpar->codec_id;
      continue;
    }
    long long score = static_cast<long long>(st->codecpar->width) * st->codecpar->height;
    if (st->disposition & AV_DISPOSITION_DEFAULT) score += 1LL << 40;
    if (score > best_score) {
      best_score = score;
      best = static_cast<int>(i);
    }
  }
  if (best >= 0) return best;
  if (undecodable)
    throw Error(path_, std::string("unsupported codec ") + avcodec_get_name(undecodable_id));
  throw Error(path_, "no video stream");
}

void Demuxer::describe_video_stream() {
  const AVStream* st = ctx_->streams[video_index_];
  const AVCodecParameters* par = st->codecpar;
  const auto [claimed_width, claimed_height] = header_sizes_.at(video_index_);
  const int width = std::max(par->width, claimed_width);
  const int height = std::max(par->height, claimed_height);
  if (width > kMaxPictureSide || height > kMaxPictureSide ||
      static_cast<long long>(width) * height > kMaxPicturePixels)
    throw Error(path_, "picture size " + std::to_string(width) + "x" + std::to_string(height) +
                           " is beyond what stillwater reads (at most " +
                           std::to_string(kMaxPictureSide) + " per side and " +
                           std::to_string(kMaxPicturePixels / 1000000) +
                           " megapixels): a damaged header?");
  info_.path = path_;
  info_.width = par->width;
  info_.height = par->height;
  info_.codec = avcodec_get_name(par->codec_id);
  const auto fmt = static_cast<AVPixelFormat>(par->format);
  if (const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(fmt)) {
    info_.pix_fmt = desc->name;
    info_.bit_depth = desc->comp[0].depth;
  }
  info_.time_base = to_rational(st->time_base);
  info_.avg_frame_rate = to_rational(st->avg_frame_rate);
  info_.frame_count = st->nb_frames > 0 ? st->nb_frames : -1;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
    info_.duration_s = static_cast<double>(st->duration) * av_q2d(st->time_base);
  else if (ctx_->duration != AV_NOPTS_VALUE && ctx_->duration > 0)
    info_.duration_s = static_cast<double>(ctx_->duration) / AV_TIME_BASE;

  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix && size >= 9 * sizeof(int32_t)) {
    const double deg = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    // +0.0 turns a -0 into 0 so callers can compare with ==.
    info_.rotation_deg = std::isnan(deg) ? 0.0 : deg + 0.0;
  }

  // A guess only: libav's r_frame_rate is the lowest common rate that represents every
  // timestamp seen while probing, avg_frame_rate the mean; they differ for variable-rate clips
  // (phones), while rounding in CFR files keeps them within a fraction of a percent.
  const double r = av_q2d(st->r_frame_rate);
  const double avg = av_q2d(st->avg_frame_rate);
  info_.variable_frame_rate = r > 0 && avg > 0 && std::fabs(r / avg - 1.0) > 0.01;
}

Demuxer::ReadResult Demuxer::read(AVPacket* pkt) {
  for (;;) {
    const int ret = av_read_frame(ctx_.get(), pkt);
    if (ret >= 0) return ReadResult::packet;
    if (ret == AVERROR_EOF) return ReadResult::end;
    if (ret == AVERROR(EAGAIN)) continue;  // only network inputs do this
    read_error_ = source_error(ctx_.get());
    if (read_error_.empty()) read_error_ = av_error_string(ret);
    return ReadResult::error;
  }
}

}  // namespace sw::io
