// S3 over libcurl. libcurl 7.88 signs with SigV4 itself (CURLOPT_AWS_SIGV4), with quirks that
// decide how every request here is built (each found against a server that checks signatures):
//   1. curl never adds x-amz-content-sha256, which S3 requires: we send the SHA-256 of the body
//      (the empty-body hash for GET/HEAD/DELETE); curl signs it and uses it as the payload hash.
//   2. We never pass "Expect:" to drop curl's automatic Expect: 100-continue: curl would still
//      list "expect" in SignedHeaders and the signature would fail.
//   3. curl signs the query string exactly as written, so we write it canonical: keys sorted,
//      values RFC 3986-encoded, and "uploads=" rather than "uploads".
//   4. POST bodies go through POSTFIELDS with an explicit Content-Type (curl's form default
//      would be signed and is wrong for XML).
// Servers are not trusted: redirects are never followed, retries are bounded, a reply body is
// kept only as far as it can be meant (a ranged GET's bytes, the start of an error), and
// every server string is sanitized before it reaches a message (s3/s3_response.hpp).
#include "s3/s3_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/markup.hpp"
#include "core/sha256.hpp"
#include "core/trace.hpp"
#include "s3/s3_response.hpp"

namespace sw::s3 {

namespace {

constexpr std::string_view kScheme = "s3://";
// Far more than a run store holds; a bound on what a listing may make us keep.
constexpr std::size_t kMaxListedKeys = 10'000'000;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// curl_global_init is not thread-safe, so it runs exactly once, before the first handle.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One easy handle per thread, reset before each request; keeping it keeps the connection
// cache, so consecutive requests of a thread reuse their TCP (and TLS) connection.
class ThreadHandle {
 public:
  ~ThreadHandle() {
    if (handle_) curl_easy_cleanup(handle_);
  }
  CURL* get() {
    if (!handle_) handle_ = curl_easy_init();
    if (!handle_) throw Error("s3", "cannot create a curl handle");
    curl_easy_reset(handle_);
    return handle_;
  }

 private:
  CURL* handle_ = nullptr;
};

thread_local ThreadHandle t_handle;

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (!next) throw Error("s3", "out of memory (curl headers)");
    list = next;
  }
};

const char* reason_phrase(long status) {
  switch (status) {
    case 301:
      return " Moved Permanently";
    case 307:
      return " Temporary Redirect";
    case 400:
      return " Bad Request";
    case 401:
      return " Unauthorized";
    case 403:
      return " Forbidden";
    case 404:
      return " Not Found";
    case 405:
      return " Method Not Allowed";
    case 409:
      return " Conflict";
    case 412:
      return " Precondition Failed";
    case 416:
      return " Range Not Satisfiable";
    case 429:
      return " Too Many Requests";
    case 500:
      return " Internal Server Error";
    case 501:
      return " Not Implemented";
    case 503:
      return " Service Unavailable";
    default:
      return "";
  }
}

std::string after_attempts(int attempts) {
  return attempts > 1 ? " after " + std::to_string(attempts) + " attempts" : "";
}

[[noreturn]] void throw_http(const S3Url& object, const S3Client::Response& r) {
  const std::string code = s3_error_code(r.body);
  throw Error(object.str(), "HTTP " + std::to_string(r.status) + reason_phrase(r.status) +
                                (code.empty() ? "" : " (" + code + ")") +
                                after_attempts(r.attempts));
}

bool retryable(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

std::string transfer_problem(CURLcode rc, const char* detail) {
  // curl's detail may quote what the server sent.
  const std::string why = sanitize_server_text(detail[0] ? detail : curl_easy_strerror(rc), 200);
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
    return "cannot connect (" + why + ")";
  if (rc == CURLE_OPERATION_TIMEDOUT) return "timed out (" + why + ")";
  return "transfer failed (" + why + ")";
}

// A part number and upload id, as a canonical query string (keys sorted).
std::string part_query(int part, const std::string& upload_id) {
  return "partNumber=" + std::to_string(part) + "&uploadId=" + uri_encode(upload_id, false);
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

bool is_s3_url(std::string_view text) {
  return text.starts_with(kScheme);
}

S3Url S3Url::parse(const std::string& url) {
  if (!is_s3_url(url)) throw Error(url, "expected s3://BUCKET/KEY, got another scheme");
  const std::string rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  S3Url out;
  out.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) out.key = rest.substr(slash + 1);
  if (out.bucket.empty()) throw Error(url, "expected s3://BUCKET/KEY, got no bucket name");
  // To S3 "a/./b" and "a/b" are two keys, but HTTP clients (curl among them) collapse dot
  // segments and a reader takes them for one path: such a key could name the input while
  // comparing unequal to it. A trailing '/' (a store prefix) is the one empty segment allowed.
  std::string_view rest_of_key = out.key;
  if (rest_of_key.ends_with('/')) rest_of_key.remove_suffix(1);
  for (std::size_t start = 0; !out.key.empty() && start <= rest_of_key.size();) {
    const std::size_t end = std::min(rest_of_key.find('/', start), rest_of_key.size());
    const std::string_view segment = rest_of_key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..")
      throw Error(url, "expected s3://BUCKET/KEY without empty, \".\" or \"..\" path segments");
    start = end + 1;
  }
  return out;
}

std::string S3Url::str() const {
  return std::string(kScheme) + bucket + "/" + key;
}

S3Config S3Config::from_environment(const std::string& endpoint_override) {
  S3Config c;
  c.access_key = env("AWS_ACCESS_KEY_ID");
  c.secret_key = env("AWS_SECRET_ACCESS_KEY");
  c.session_token = env("AWS_SESSION_TOKEN");
  if (const std::string region = env("AWS_REGION"); !region.empty()) c.region = region;
  c.endpoint = endpoint_override.empty() ? env("AWS_ENDPOINT_URL") : endpoint_override;
  while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
  return c;
}

struct S3Client::Request {
  const char* method = "GET";
  S3Url object;       // key empty: a bucket-level request (ListObjectsV2)
  std::string query;  // canonical: keys sorted, values encoded
  std::span<const std::uint8_t> body;
  std::string content_type;      // POST only
  std::string range;             // "bytes=first-last"
  std::size_t range_length = 0;  // last - first + 1: the most a 206 reply may carry
  // Streams a successful response body somewhere else than Response::body (a file); `restart`
  // runs before every attempt, so a retried download starts over.
  std::function<void(const char*, std::size_t)> sink;
  std::function<void()> restart;
};

S3Client::S3Client(S3Config config) : config_(std::move(config)) {
  global_init();
}

std::string S3Client::object_url(const S3Url& object, const std::string& query) const {
  std::string url;
  if (!config_.endpoint.empty()) {
    url = config_.endpoint + "/" + object.bucket;
    if (!object.key.empty()) url += "/" + uri_encode(object.key, true);
  } else {
    url = "https://" + object.bucket + ".s3." + config_.region + ".amazonaws.com/" +
          uri_encode(object.key, true);
  }
  if (!query.empty()) url += "?" + query;
  return url;
}

namespace {

// An error reply is read for its <Code>; S3's are well under 1 KiB.
constexpr std::size_t kMaxErrorBody = 64 << 10;

struct Transfer {
  CURL* handle = nullptr;
  S3Client::Response* response = nullptr;
  const std::function<void(const char*, std::size_t)>* sink = nullptr;
  std::span<const std::uint8_t> upload;
  std::size_t uploaded = 0;
  std::size_t range_length = 0;  // a ranged GET: its reply must be a 206 of at most this
  std::string sink_error;
  std::string reply_problem;  // why the reply was cut short (it is not what was asked for)
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
  std::string& body = t->response->body;
  if (status >= 300) {  // the start of an error's XML, for the message, never into a sink
    body.append(data, std::min(n, kMaxErrorBody - std::min(kMaxErrorBody, body.size())));
    return n;
  }
  if (t->range_length > 0) {
    // A server that ignores Range sends the whole object; reading it for every part the caller
    // reads would download the object again and again.
    if (status != 206) {
      t->reply_problem =
          "the server ignored the Range header (HTTP " + std::to_string(status) +
          " with the whole object instead of 206 Partial Content); reading an object in parts "
          "needs ranged GETs";
      return 0;  // aborts the transfer
    }
    if (body.size() + n > t->range_length) {
      t->reply_problem =
          "a 206 reply longer than the " + std::to_string(t->range_length) + " bytes asked for";
      return 0;
    }
  }
  if (*t->sink) {
    try {
      (*t->sink)(data, n);
    } catch (const std::exception& e) {
      t->sink_error = e.what();
      return 0;  // aborts the transfer
    }
  } else {
    body.append(data, n);
  }
  return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = std::min(size * count, t->upload.size() - t->uploaded);
  std::memcpy(buffer, t->upload.data() + t->uploaded, n);
  t->uploaded += n;
  return n;
}

// A rewind (curl resends the body after a redirect or an auth round trip).
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::size_t>(offset) > t->upload.size())
    return CURL_SEEKFUNC_FAIL;
  t->uploaded = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// The value of header `name` ("etag:") in `line`, trimmed; nullopt for another header.
std::optional<std::string_view> header_value(std::string_view line, std::string_view name) {
  if (line.size() < name.size() || strncasecmp(line.data(), name.data(), name.size()) != 0)
    return std::nullopt;
  line.remove_prefix(name.size());
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
    line.remove_suffix(1);
  return line;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (const auto etag = header_value(line, "etag:")) t->response->etag = *etag;
  if (const auto range = header_value(line, "content-range:")) t->response->content_range = *range;
  return n;
}

}  // namespace

S3Client::Response S3Client::perform(const Request& request) const {
  const S3Url& object = request.object;
  if (config_.access_key.empty() || config_.secret_key.empty()) {
    throw Error(object.str(),
                "no S3 credentials (expected AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
                "environment)");
  }
  trace::Span span("s3", std::string(request.method) + " " + object.key);
  const std::string url = object_url(object, request.query);
  const std::string sigv4 = "aws:amz:" + config_.region + ":s3";
  const std::string userpwd = config_.access_key + ":" + config_.secret_key;
  const std::string payload_hash = sha256_hex(request.body);
  const std::string method = request.method;

  double backoff = config_.first_backoff_s;
  for (int attempt = 1;; ++attempt) {
    Response response;
    Transfer t;
    t.handle = t_handle.get();
    t.response = &response;
    t.sink = &request.sink;
    t.upload = request.body;
    t.range_length = request.range_length;
    if (request.restart) request.restart();
    CURL* h = t.handle;
    char errors[CURL_ERROR_SIZE] = {};
    HeaderList headers;
    headers.add("x-amz-content-sha256: " + payload_hash);
    if (!config_.session_token.empty())
      headers.add("x-amz-security-token: " + config_.session_token);
    if (!request.range.empty()) headers.add("Range: " + request.range);
    if (!request.content_type.empty()) headers.add("Content-Type: " + request.content_type);

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(h, CURLOPT_USERPWD, userpwd.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errors);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: we are multi-threaded
    // A redirect is answered as an error (S3's own mean a wrong region or endpoint), never
    // followed: following would re-sign for another host and could loop.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, config_.connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, config_.stall_timeout_s);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    if (method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (method == "PUT") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(h, CURLOPT_READDATA, &t);
      curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(h, CURLOPT_SEEKDATA, &t);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else if (method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(
          h, CURLOPT_POSTFIELDS,
          request.body.empty() ? "" : reinterpret_cast<const char*>(request.body.data()));
    } else if (method != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method);
    }

    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
      curl_off_t length = -1;
      curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
      response.content_length = length;
      response.attempts = attempt;
      const bool transient = response.status >= 500 || response.status == 429;
      if (!transient || attempt >= config_.max_attempts) return response;
    } else {
      if (!t.reply_problem.empty()) throw Error(object.str(), t.reply_problem);
      if (!t.sink_error.empty())
        throw Error(object.str(), "cannot store the download (" + t.sink_error + ")");
      if (!retryable(rc) || attempt >= config_.max_attempts)
        throw Error(object.str(), transfer_problem(rc, errors) + after_attempts(attempt));
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
    backoff *= 2;
  }
}

std::optional<Bytes> S3Client::get(const S3Url& object) const {
  Request r;
  r.object = object;
  const Response response = perform(r);
  if (response.status == 404 && s3_error_code(response.body) != "NoSuchBucket") return std::nullopt;
  if (response.status != 200) throw_http(object, response);
  return Bytes(response.body.begin(), response.body.end());
}

Bytes S3Client::get_range(const S3Url& object, std::int64_t offset, std::size_t length) const {
  if (length == 0) return {};
  Request r;
  r.object = object;
  r.range = "bytes=" + std::to_string(offset) + "-" +
            std::to_string(offset + static_cast<std::int64_t>(length) - 1);
  r.range_length = length;
  const Response response = perform(r);
  if (response.status == 416) return {};
  if (response.status == 206) {
    const std::string problem = partial_reply_problem(parse_content_range(response.content_range),
                                                      offset, length, response.body.size());
    if (!problem.empty()) throw Error(object.str(), problem);
    return Bytes(response.body.begin(), response.body.end());
  }
  // A 200 with a body was cut short in perform(); an empty one is an empty object.
  if (response.status == 200 && response.body.empty()) return {};
  throw_http(object, response);
}

void S3Client::get_to_file(const S3Url& object, const std::filesystem::path& file) const {
  std::ofstream out;
  Request r;
  r.object = object;
  r.restart = [&] {
    out.close();
    out.open(file, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(file.string(), "cannot create");
  };
  r.sink = [&](const char* data, std::size_t n) {
    out.write(data, static_cast<std::streamsize>(n));
    if (!out) throw std::runtime_error("cannot write " + file.string());
  };
  const Response response = perform(r);
  if (response.status != 200) throw_http(object, response);
  out.close();
  if (!out) throw Error(file.string(), "cannot write");
}

std::optional<std::int64_t> S3Client::head(const S3Url& object) const {
  Request r;
  r.method = "HEAD";
  r.object = object;
  const Response response = perform(r);
  if (response.status == 404) return std::nullopt;
  if (response.status != 200) throw_http(object, response);
  return std::max<std::int64_t>(0, response.content_length);
}

void S3Client::put(const S3Url& object, std::span<const std::uint8_t> bytes) const {
  if (bytes.size() > kPartSize) {
    put_multipart(object, static_cast<std::int64_t>(bytes.size()),
                  [&](std::int64_t offset, std::span<std::uint8_t> part) {
                    std::memcpy(part.data(), bytes.data() + offset, part.size());
                  });
    return;
  }
  Request r;
  r.method = "PUT";
  r.object = object;
  r.body = bytes;
  const Response response = perform(r);
  if (response.status != 200) throw_http(object, response);
}

void S3Client::put_file(const S3Url& object, const std::filesystem::path& file) const {
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(file, ec));
  if (ec) throw Error(file.string(), "cannot read (" + ec.message() + ")");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string(), "cannot read");
  auto read = [&](std::int64_t offset, std::span<std::uint8_t> part) {
    in.seekg(offset);
    in.read(reinterpret_cast<char*>(part.data()), static_cast<std::streamsize>(part.size()));
    if (in.gcount() != static_cast<std::streamsize>(part.size()))
      throw Error(file.string(), "short read (the file changed while uploading?)");
  };
  if (size > static_cast<std::int64_t>(kPartSize)) {
    put_multipart(object, size, read);
    return;
  }
  Bytes bytes(static_cast<std::size_t>(size));
  read(0, bytes);
  put(object, bytes);
}

void S3Client::put_multipart(
    const S3Url& object, std::int64_t size,
    const std::function<void(std::int64_t, std::span<std::uint8_t>)>& read_part) const {
  Request initiate;
  initiate.method = "POST";
  initiate.object = object;
  initiate.query = "uploads=";
  initiate.content_type = "application/octet-stream";
  const Response started = perform(initiate);
  if (started.status != 200) throw_http(object, started);
  const auto ids = xml_values(started.body, "UploadId");
  if (ids.empty() || ids.front().empty())
    throw Error(object.str(), "multipart upload started without an UploadId in the reply");
  const std::string upload_id = ids.front();

  try {
    std::string parts = "<CompleteMultipartUpload>";
    Bytes buffer;
    int number = 1;
    for (std::int64_t offset = 0; offset < size; offset += kPartSize, ++number) {
      throw_if_cancelled(object.str());  // the catch below aborts the upload
      buffer.resize(static_cast<std::size_t>(
          std::min<std::int64_t>(static_cast<std::int64_t>(kPartSize), size - offset)));
      read_part(offset, buffer);
      Request part;
      part.method = "PUT";
      part.object = object;
      part.query = part_query(number, upload_id);
      part.body = buffer;
      const Response sent = perform(part);
      if (sent.status != 200) throw_http(object, sent);
      parts += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" +
               escape_markup(sent.etag) + "</ETag></Part>";
    }
    parts += "</CompleteMultipartUpload>";
    Request complete;
    complete.method = "POST";
    complete.object = object;
    complete.query = "uploadId=" + uri_encode(upload_id, false);
    complete.content_type = "application/xml";
    complete.body = {reinterpret_cast<const std::uint8_t*>(parts.data()), parts.size()};
    const Response done = perform(complete);
    // S3 may answer 200 and still report a failure in the body.
    if (done.status != 200 || !xml_elements(done.body, "Error").empty()) throw_http(object, done);
  } catch (...) {
    Request abort;
    abort.method = "DELETE";
    abort.object = object;
    abort.query = "uploadId=" + uri_encode(upload_id, false);
    try {
      perform(abort);
    } catch (const Error&) {  // the original failure is the one worth reporting
    }
    throw;
  }
}

void S3Client::remove(const S3Url& object) const {
  Request r;
  r.method = "DELETE";
  r.object = object;
  const Response response = perform(r);
  if (response.status != 204 && response.status != 200 && response.status != 404)
    throw_http(object, response);
  if (response.status == 404 && s3_error_code(response.body) == "NoSuchBucket")
    throw_http(object, response);
}

void S3Client::create_bucket(const std::string& bucket) const {
  Request r;
  r.method = "PUT";
  r.object = {bucket, ""};
  const Response response = perform(r);
  if (response.status == 200 || s3_error_code(response.body) == "BucketAlreadyOwnedByYou") return;
  throw_http(r.object, response);
}

std::vector<std::string> S3Client::list(const std::string& bucket, const std::string& prefix,
                                        int page_size, std::size_t limit) const {
  std::vector<std::string> keys;
  std::string token;
  std::set<std::string> seen_tokens;
  const std::string listing = S3Url{bucket, prefix}.str();
  for (;;) {
    Request r;
    r.object = {bucket, ""};
    if (!token.empty()) r.query = "continuation-token=" + uri_encode(token, false) + "&";
    r.query += "list-type=2&max-keys=" + std::to_string(page_size) +
               "&prefix=" + uri_encode(prefix, false);
    const Response response = perform(r);
    if (response.status != 200) throw_http({bucket, prefix}, response);
    ListPage page = parse_list_page(response.body);
    for (std::string& key : page.keys) {
      keys.push_back(std::move(key));
      if (limit > 0 && keys.size() >= limit) return keys;
    }
    if (!page.truncated) break;
    // A listing that would never end: S3 puts at least one key on every truncated page, and
    // never hands out the same continuation token twice.
    if (page.keys.empty())
      throw Error(listing,
                  "listing page is truncated but lists no keys (the server never ends it)");
    if (page.next_token.empty())
      throw Error(listing, "listing is truncated but has no NextContinuationToken");
    if (!seen_tokens.insert(page.next_token).second)
      throw Error(listing, "listing repeats a continuation token (the server never ends it)");
    if (keys.size() > kMaxListedKeys)
      throw Error(listing, "listing has more than " + std::to_string(kMaxListedKeys) + " keys");
    token = std::move(page.next_token);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace sw::s3
