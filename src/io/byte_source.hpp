// ByteSource: random-access bytes of an input that is not a local file (an s3:// object), and
// the table of URL openers io consults when it opens an input.
//
// io knows nothing about S3 or any other store: a stage that can serve a URL scheme implements
// ByteSource and the program registers an opener for the scheme's prefix once, at start-up,
// with set_url_opener() (explicitly: no self-registering statics). Every place io opens an
// input (the demuxer: VideoReader, scan_frames, VideoTranscoder, assemble_pieces) then accepts
// such URLs and reads them through a seekable libavformat AVIOContext (io/url_input.hpp).
// No libav types here, so implementers need not include libav.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sw::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Total size in bytes.
  virtual std::int64_t size() = 0;
  // Copies up to n bytes from offset into buf and returns how many it copied (0 at or past the
  // end). Throws sw::Error on failure. Called from one thread at a time.
  virtual std::size_t read_at(std::int64_t offset, std::uint8_t* buf, std::size_t n) = 0;
};

// Opens url (throwing sw::Error when it cannot: "no such file", "HTTP 403 ...").
using ByteSourceOpener = std::function<std::unique_ptr<ByteSource>(const std::string& url)>;

// Inputs whose name starts with prefix ("s3://") are opened with opener from now on; a second
// call for the same prefix replaces the first. Thread-safe, but meant for start-up.
void set_url_opener(const std::string& prefix, ByteSourceOpener opener);

// True when a registered opener serves this input name.
bool has_url_opener(const std::string& name);

// Opens name with its registered opener, or returns null when none serves it.
std::unique_ptr<ByteSource> open_url(const std::string& name);

}  // namespace sw::io
