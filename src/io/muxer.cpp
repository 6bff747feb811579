// Stream copy after FFmpeg's doc/examples/remux.c (a stream map, codec_tag, rescaled
// timestamps), written to a temporary file that is renamed only when everything succeeded.
#include "io/muxer.hpp"

extern "C" {
#include <libavutil/opt.h>
}

#include <unistd.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>

#include "io/hdr_metadata.hpp"

namespace sw::io {
namespace fs = std::filesystem;
namespace {

void copy_side_data(const AVStream& in, AVStream* out, bool video, const std::string& path) {
  for (int i = 0; i < in.nb_side_data; ++i) {
    const AVPacketSideData& sd = in.side_data[i];
    // For the re-encoded video keep only what describes the picture: its geometry (the display
    // matrix keeps a portrait phone clip portrait) and its HDR colour volume; bitrate/CPB data
    // belong to the old stream.
    if (video && sd.type != AV_PKT_DATA_DISPLAYMATRIX && sd.type != AV_PKT_DATA_STEREO3D &&
        sd.type != AV_PKT_DATA_SPHERICAL && sd.type != AV_PKT_DATA_MASTERING_DISPLAY_METADATA &&
        sd.type != AV_PKT_DATA_CONTENT_LIGHT_LEVEL)
      continue;
    uint8_t* dst = av_stream_new_side_data(out, sd.type, sd.size);
    if (!dst) throw Error(path, "out of memory (stream side data)");
    std::memcpy(dst, sd.data, sd.size);
  }
}

// codec_tag = 0 lets the muxer pick its own tag, except where it has none for this codec
// (GoPro's gpmd/fdsc data tracks): then the input's tag is the only name the track has. This is
// the rule ffmpeg's own stream copy uses.
uint32_t output_codec_tag(const AVOutputFormat* fmt, const AVCodecParameters& par) {
  if (!fmt->codec_tag) return par.codec_tag;
  if (av_codec_get_id(fmt->codec_tag, par.codec_tag) == par.codec_id) return par.codec_tag;
  unsigned int tag = 0;
  if (!av_codec_get_tag2(fmt->codec_tag, par.codec_id, &tag)) return par.codec_tag;
  return 0;
}

std::string describe_stream(const AVStream& st, unsigned index) {
  char tag[AV_FOURCC_MAX_STRING_SIZE] = {};
  av_fourcc_make_string(tag, st.codecpar->codec_tag);
  const char* type = av_get_media_type_string(st.codecpar->codec_type);
  return "stream #" + std::to_string(index) + " (" + (type ? type : "unknown") + ", " +
         avcodec_get_name(st.codecpar->codec_id) +
         (st.codecpar->codec_tag ? "/" + std::string(tag) : "") + ")";
}

}  // namespace

Muxer::Muxer(const std::string& output_path, const char* format_name) : path_(output_path) {
  format_ = av_guess_format(format_name, output_path.c_str(), nullptr);
  if (!format_)
    throw Error(path_,
                "cannot tell the output format from the file name (expected an extension such "
                "as .mp4, .mov or .mkv)");
  const fs::path final_path(output_path);
  const fs::path dir = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  // Same file name inside the temporary directory, so messages still name the user's file.
  temp_dir_ = std::make_unique<TemporaryDir>(dir, final_path.filename().string());
  temp_path_ = temp_dir_->file(final_path.filename().string()).string();
}

Muxer::~Muxer() {
  close_file();  // temp_dir_ then removes whatever was not renamed into place
}

bool Muxer::wants_global_header() const {
  return format_->flags & AVFMT_GLOBALHEADER;
}

void Muxer::close_file() {
  if (ctx_ && ctx_->pb) avio_closep(&ctx_->pb);
}

int Muxer::build(const AVFormatContext* input, int video_index, const VideoStream& video,
                 const std::vector<bool>& copy, const std::string& file) {
  ctx_.reset();
  const unsigned n = input ? input->nb_streams : 1;
  if (!input) video_index = 0;
  map_.assign(n, -1);
  AVFormatContext* raw = nullptr;
  av_check(avformat_alloc_output_context2(&raw, format_, nullptr, path_.c_str()),
           "creating the output", path_);
  ctx_.reset(raw);  // ctx_ owns the output context (not its pb, see close_file)
  // Matroska and WebM write a random segment UID and the muxing date, so two runs of the same
  // command would differ; bit-exact mode leaves both out. (MP4/MOV write neither: their bytes
  // stay as they were.)
  const std::string_view name = format_->name;
  if (name.find("matroska") != std::string_view::npos ||
      name.find("webm") != std::string_view::npos)
    ctx_->flags |= AVFMT_FLAG_BITEXACT;
  if (input) av_dict_copy(&ctx_->metadata, input->metadata, 0);

  for (unsigned i = 0; i < n; ++i) {
    const bool is_video = static_cast<int>(i) == video_index;
    if (!is_video && !copy[i]) continue;
    AVStream* out = avformat_new_stream(ctx_.get(), nullptr);
    if (!out) throw Error(path_, "out of memory (stream)");
    map_[i] = out->index;
    if (input) {
      const AVStream& in = *input->streams[i];
      av_dict_copy(&out->metadata, in.metadata, 0);
      out->disposition = in.disposition;
      copy_side_data(in, out, is_video, path_);
    }
    if (is_video) {
      video_out_ = out->index;
      av_check(avcodec_parameters_copy(out->codecpar, video.par), "setting up the video stream",
               path_);
      out->codecpar->codec_tag = output_codec_tag(format_, *video.par);
      out->time_base = video.time_base;  // a hint: the muxer may choose another
      out->avg_frame_rate = video.frame_rate;
      out->sample_aspect_ratio = video.par->sample_aspect_ratio;
      add_hdr_side_data(out, video.hdr, path_);
      // The old stream's encoder name would now be wrong.
      av_dict_set(&out->metadata, "encoder", nullptr, 0);
    } else {
      const AVStream& in = *input->streams[i];
      av_check(avcodec_parameters_copy(out->codecpar, in.codecpar), "copying stream parameters",
               path_);
      out->codecpar->codec_tag = output_codec_tag(format_, *in.codecpar);
      out->time_base = in.time_base;
      out->avg_frame_rate = in.avg_frame_rate;
    }
  }

  // MP4/MOV store a start offset (a phone clip whose first pts is 1/60 s) as an edit list in the
  // movie timescale, 1000 by default, which would round every video pts. Use the video's clock,
  // scaled up as the mov muxer scales track timescales.
  if (ctx_->priv_data && av_opt_find(ctx_->priv_data, "movie_timescale", nullptr, 0, 0)) {
    std::int64_t timescale = video.time_base.den;
    while (timescale > 0 && timescale < 10000) timescale *= 2;
    if (timescale > 0 && timescale <= INT_MAX)
      av_opt_set_int(ctx_->priv_data, "movie_timescale", timescale, 0);
  }

  // "file:": a local name is a file even when it looks like a protocol ("12:30.mp4").
  int ret = avio_open(&ctx_->pb, ("file:" + file).c_str(), AVIO_FLAG_WRITE);
  if (ret < 0) throw Error(file, "cannot create the output file (" + av_error_string(ret) + ")");
  ret = avformat_write_header(ctx_.get(), nullptr);
  if (ret < 0) {
    close_file();
    std::error_code ec;
    fs::remove(file, ec);
    ctx_.reset();
  }
  return ret;
}

void Muxer::open(const AVFormatContext& input, int video_index, const AVCodecContext& enc,
                 std::vector<std::string>& warnings) {
  CodecParametersPtr par(avcodec_parameters_alloc());
  if (!par) throw Error(path_, "out of memory (codec parameters)");
  av_check(avcodec_parameters_from_context(par.get(), &enc), "setting up the video stream", path_);
  open(&input, video_index, VideoStream{par.get(), enc.time_base, enc.framerate, {}}, warnings);
}

void Muxer::open(const AVFormatContext* input, int video_index, const VideoStream& video,
                 std::vector<std::string>& warnings) {
  const unsigned n = input ? input->nb_streams : 1;
  std::vector<bool> copy(n, false);
  for (unsigned i = 0; input && i < n; ++i) {
    if (static_cast<int>(i) == video_index) continue;
    const AVCodecParameters& par = *input->streams[i]->codecpar;
    // A definite "no" from the format needs no trial (avformat_query_codec returns <0 when the
    // format cannot tell).
    if (par.codec_id != AV_CODEC_ID_NONE &&
        avformat_query_codec(format_, par.codec_id, FF_COMPLIANCE_NORMAL) == 0) {
      warnings.push_back("dropped " + describe_stream(*input->streams[i], i) + ": " +
                         format_->name + " cannot store it");
      continue;
    }
    copy[i] = true;
  }
  if (build(input, video_index, video, copy, temp_path_) >= 0) return;

  // Some stream was refused at write_header. Try each alone with the video, keep those the
  // muxer takes.
  std::vector<bool> none(n, false);
  int ret = build(input, video_index, video, none, temp_path_);
  if (ret < 0) throw Error(path_, "cannot write the video stream (" + av_error_string(ret) + ")");
  for (unsigned i = 0; i < n; ++i) {
    if (!copy[i]) continue;
    std::vector<bool> one(n, false);
    one[i] = true;
    if (build(input, video_index, video, one, temp_path_) < 0) {
      copy[i] = false;
      warnings.push_back("dropped " + describe_stream(*input->streams[i], i) + ": " +
                         format_->name + " cannot store it");
    }
  }
  ret = build(input, video_index, video, copy, temp_path_);
  if (ret < 0) throw Error(path_, "cannot write the header (" + av_error_string(ret) + ")");
}

void Muxer::write_video(AVPacket* pkt, AVRational enc_time_base) {
  AVStream* out = ctx_->streams[video_out_];
  av_packet_rescale_ts(pkt, enc_time_base, out->time_base);
  pkt->stream_index = video_out_;
  // av_interleaved_write_frame takes ownership of the packet's contents and resets it.
  av_check(av_interleaved_write_frame(ctx_.get(), pkt), "writing video", temp_path_);
}

void Muxer::write_copy(AVPacket* pkt, const AVFormatContext& input) {
  const int in_index = pkt->stream_index;
  const int out_index =
      in_index >= 0 && in_index < static_cast<int>(map_.size()) ? map_[in_index] : -1;
  if (out_index < 0 || out_index == video_out_) {
    av_packet_unref(pkt);
    return;
  }
  av_packet_rescale_ts(pkt, input.streams[in_index]->time_base,
                       ctx_->streams[out_index]->time_base);
  pkt->stream_index = out_index;
  pkt->pos = -1;
  // Takes ownership of the contents. A packet the muxer refuses (e.g. a timestamp going
  // backwards in a damaged audio track) is counted, not fatal: the video matters more.
  if (av_interleaved_write_frame(ctx_.get(), pkt) < 0) ++failed_copies_;
}

void Muxer::finish() {
  if (finished_) return;
  if (!ctx_) throw Error(path_, "output was never opened");
  av_check(av_write_trailer(ctx_.get()), "finishing the output", temp_path_);
  const int ret = avio_closep(&ctx_->pb);
  if (ret < 0) throw Error(temp_path_, "cannot close the output (" + av_error_string(ret) + ")");
  temp_dir_->move_out(fs::path(path_).filename().string(), path_);
  finished_ = true;
}

}  // namespace sw::io
