// S3Client: the few S3 REST calls stillwater needs (GetObject whole or ranged, HeadObject,
// PutObject, multipart upload, DeleteObject, ListObjectsV2), on any S3-compatible service (AWS,
// MinIO, Ceph, R2), over libcurl with its built-in SigV4 signing.
//
// API reference: https://docs.aws.amazon.com/AmazonS3/latest/API/ (the operations above);
// signing: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
//
// Configuration comes the way AWS tools take it (S3Config::from_environment): AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (default us-east-1), AWS_ENDPOINT_URL.
// With an endpoint (a local MinIO, Ceph, R2, a test server), URLs are path-style
// (ENDPOINT/bucket/key); without one they are AWS's virtual-hosted style
// (https://bucket.s3.REGION.amazonaws.com/key).
//
// Failures: connection errors, 5xx and 429 are retried with exponential backoff (5 tries, 0.2 s
// doubling); a request that still fails throws sw::Error(s3://bucket/key, "HTTP 403 Forbidden
// (SignatureDoesNotMatch)") or ("cannot connect (...)"): one line naming the object and the
// status, server text sanitized. Redirects are not followed. Stalled transfers are cut by
// connect and low-speed timeouts, listings that never end are detected, so nothing hangs.
//
// Thread-safe: every request uses the calling thread's own curl handle (kept for connection
// reuse); a client may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sw::s3 {

using Bytes = std::vector<std::uint8_t>;

// "s3://bucket/key/prefix" -> {bucket, "key/prefix"}. The key may be empty ("s3://bucket").
struct S3Url {
  std::string bucket;
  std::string key;

  // Throws sw::Error(url, "expected s3://BUCKET/KEY, got ...") for anything else, and for a key
  // with an empty, "." or ".." path segment ("a//b", "a/./b"; a trailing '/' is allowed).
  static S3Url parse(const std::string& url);
  std::string str() const;  // "s3://bucket/key"
};

bool is_s3_url(std::string_view text);

struct S3Config {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // sent as x-amz-security-token when set
  std::string region = "us-east-1";
  std::string endpoint;  // "http://127.0.0.1:9000"; empty = AWS (virtual-hosted URLs)
  int max_attempts = 5;
  double first_backoff_s = 0.2;  // doubles after every failed attempt
  long connect_timeout_s = 10;
  long stall_timeout_s = 60;  // a transfer making no progress for this long fails

  // From the AWS_* environment variables (see above); endpoint_override (--s3-endpoint), when
  // not empty, replaces AWS_ENDPOINT_URL. Credentials are checked when a request is made.
  static S3Config from_environment(const std::string& endpoint_override = {});
};

class S3Client {
 public:
  // Objects up to this size are sent with one PUT; larger ones as a multipart upload in parts
  // of this size (S3 allows 10000 parts, so up to 78 GiB).
  static constexpr std::size_t kPartSize = 8u << 20;

  explicit S3Client(S3Config config);

  const S3Config& config() const { return config_; }

  // The whole object, or nullopt when there is no such key (404 NoSuchKey).
  std::optional<Bytes> get(const S3Url& object) const;
  // Up to `length` bytes from `offset` (fewer at the end of the object; none past it).
  Bytes get_range(const S3Url& object, std::int64_t offset, std::size_t length) const;
  // Downloads the object into `file` (replaced). Throws when the key does not exist.
  void get_to_file(const S3Url& object, const std::filesystem::path& file) const;
  // The object's size, or nullopt when it does not exist.
  std::optional<std::int64_t> head(const S3Url& object) const;
  // Stores bytes under the key: one PUT up to kPartSize, a multipart upload above it. A failed
  // multipart upload is aborted, so the key never shows part of the bytes.
  void put(const S3Url& object, std::span<const std::uint8_t> bytes) const;
  // As put(), streaming a local file (parts are read one at a time: memory is one part).
  void put_file(const S3Url& object, const std::filesystem::path& file) const;
  // Deleting a missing key is not an error (S3 semantics).
  void remove(const S3Url& object) const;
  // Creates a bucket in the default region form (no location body): for local servers and
  // tests; an existing bucket of ours is not an error.
  void create_bucket(const std::string& bucket) const;
  // Keys of `bucket` starting with `prefix` (full keys, sorted as S3 returns them: by UTF-8
  // bytes), following continuation tokens. page_size is max-keys per request (S3 caps it at
  // 1000); limit > 0 stops after that many keys.
  std::vector<std::string> list(const std::string& bucket, const std::string& prefix,
                                int page_size = 1000, std::size_t limit = 0) const;

  struct Response {
    long status = 0;
    std::string body;
    std::int64_t content_length = -1;
    std::string etag;
    std::string content_range;  // raw header value, for ranged GETs
    int attempts = 1;           // tries it took (transient failures are retried)
  };

 private:
  struct Request;
  Response perform(const Request& request) const;
  std::string object_url(const S3Url& object, const std::string& query) const;
  void put_multipart(
      const S3Url& object, std::int64_t size,
      const std::function<void(std::int64_t offset, std::span<std::uint8_t>)>& read_part) const;

  S3Config config_;
};

// RFC 3986 percent-encoding of everything but unreserved characters (and "/" when keep_slash),
// as SigV4's canonical URI and query string require.
std::string uri_encode(std::string_view text, bool keep_slash);

}  // namespace sw::s3
