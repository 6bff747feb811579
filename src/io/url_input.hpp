// Opening a libavformat input that is either a local file or a URL served by a registered
// ByteSource opener (io/byte_source.hpp). Internal to src/io: used by the demuxer.
//
// A URL input reads through a custom, seekable AVIOContext: read_packet serves libav from a
// read-ahead buffer refilled with one ranged read of up to 1 MiB (an HTTP GET for S3), and seek
// answers AVSEEK_SIZE from the source's size, so the MP4 demuxer can jump to its index at the
// end without downloading the file.
#pragma once

#include <memory>
#include <string>

#include "io/av_ptr.hpp"

namespace sw::io {

// Closes an input context and, when it reads through a custom AVIOContext (AVFMT_FLAG_CUSTOM_IO,
// which avformat_close_input leaves alone), frees that context and the ByteSource behind it.
struct InputDeleter {
  void operator()(AVFormatContext* ctx) const;
};
using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;

// avformat_open_input(name) for a local file; through the registered opener for a URL (whose
// own sw::Error, e.g. "HTTP 403 ...", propagates). Returns 0, or the AVERROR with nothing left
// allocated; when the failure came from the byte source, source_error holds its problem (and
// for a refused format, the one-line problem to report).
//
// Only real video containers are read (a whitelist of demuxers: no HLS or concat playlists, no
// image2 patterns, nothing that opens further files), a local name is always a file ("file:"
// prefixed, so "12:30.mp4" is not a protocol) and the only protocol a local input may use is
// "file"; a URL input, read through our own AVIOContext, may use none.
int open_input(InputPtr& out, const std::string& name, std::string& source_error);

// The problem of the byte source's last failed read behind ctx, or "" (local files, no error).
std::string source_error(const AVFormatContext* ctx);

}  // namespace sw::io
