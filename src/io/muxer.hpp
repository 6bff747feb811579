// Muxer: the output container of VideoTranscoder, of segment pieces and of their assembly.
//
// The format is guessed from the final path's extension (or forced by name); the bytes go to a
// file in a temporary directory beside the final path (core/temporary.hpp, so the rename is
// atomic and a crash's leftover is recognisably ours) and finish() renames it onto the final
// path. Destroyed before finish(), it removes the temporary: nothing partial ever appears at the
// final path.
//
// Streams keep the input's order: the encoded video, and every other stream copied packet for
// packet. A stream the output format cannot hold (a GoPro tmcd track in .mp4, any data track in
// .mkv) is dropped with a warning instead of failing the run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/temporary.hpp"
#include "io/av_ptr.hpp"
#include "io/stream_params.hpp"

namespace sw::io {

class Muxer {
 public:
  // format_name forces a container ("mp4") whatever the extension; null guesses it.
  explicit Muxer(const std::string& output_path, const char* format_name = nullptr);
  ~Muxer();
  Muxer(const Muxer&) = delete;
  Muxer& operator=(const Muxer&) = delete;

  // Whether encoders must put their headers in extradata (MP4, MKV) rather than in-band.
  bool wants_global_header() const;
  const std::string& temp_path() const { return temp_path_; }

  // Creates the temporary file and writes the header: the encoded video (from `enc`) at the
  // position of input stream `video_index`, and copies of every other stream that the format
  // accepts. Dropped streams are reported in `warnings`.
  void open(const AVFormatContext& input, int video_index, const AVCodecContext& enc,
            std::vector<std::string>& warnings);

  // The output video stream, described without an encoder (stream copy of segment pieces).
  struct VideoStream {
    const AVCodecParameters* par = nullptr;  // codec, size, colour, extradata
    AVRational time_base{0, 1};              // of the packets given to write_video()
    AVRational frame_rate{0, 1};
    HdrMetadata hdr;  // written as stream side data unless copied from the input already
  };
  // As above; `input` may be null: then the output holds the video alone, without metadata.
  void open(const AVFormatContext* input, int video_index, const VideoStream& video,
            std::vector<std::string>& warnings);

  // Writes an encoded video packet (time base: the encoder's). Takes the packet's contents.
  void write_video(AVPacket* pkt, AVRational enc_time_base);
  // Writes a packet of input stream pkt->stream_index unchanged, or drops it if that stream is
  // not copied. Takes the packet's contents.
  void write_copy(AVPacket* pkt, const AVFormatContext& input);
  std::int64_t failed_copies() const { return failed_copies_; }

  // Writes the trailer, closes the file and renames it onto the final path.
  void finish();

 private:
  // Builds an output context with the video and the input streams in `copy`, opens `file` and
  // writes the header. Returns the libav error on failure (and leaves nothing open or behind).
  int build(const AVFormatContext* input, int video_index, const VideoStream& video,
            const std::vector<bool>& copy, const std::string& file);
  void close_file();

  std::string path_;
  std::unique_ptr<TemporaryDir> temp_dir_;
  std::string temp_path_;
  const AVOutputFormat* format_ = nullptr;
  OutputFormatPtr ctx_;
  std::vector<int> map_;  // input stream index -> output stream index, or -1
  int video_out_ = -1;
  bool finished_ = false;
  std::int64_t failed_copies_ = 0;
};

}  // namespace sw::io
