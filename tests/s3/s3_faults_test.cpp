// S3Client against a misbehaving server (tests/s3/sigv4_server.py --fault ...): listings that
// never end, ranged GETs answered with the whole object or with bytes that do not match their
// Content-Range, error replies full of terminal escapes, redirect loops and endless 503s. Each
// must end in one clear line, after a bounded number of requests.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "io/s3_source.hpp"
#include "s3/s3_client.hpp"
#include "s3/s3_server.hpp"
#include "s3/shared_client.hpp"

namespace sw::test {
namespace {

using s3::Bytes;
using s3::S3Client;
using s3::S3Config;
using s3::S3Url;

// Quick retries: the fault tests count requests, not wait for back-off.
S3Config config_for(const S3Server& server) {
  S3Config c = client_config(server);
  c.max_attempts = 3;
  c.first_backoff_s = 0.01;
  return c;
}

Bytes random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

// A client that loops forever must fail the test, not hang the suite: past the deadline the
// process reports and exits.
class Deadline {
 public:
  explicit Deadline(std::chrono::seconds limit)
      : watchdog_([this, limit] {
          std::unique_lock lock(mutex_);
          if (!done_cv_.wait_for(lock, limit, [this] { return done_; })) {
            std::cerr << "still running after " << limit.count() << " s: endless loop\n";
            std::_Exit(1);
          }
        }) {}
  ~Deadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    watchdog_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread watchdog_;
};

// The message of the sw::Error f throws (a test failure when it throws none).
std::string error_of(const std::function<void()>& f) {
  Deadline deadline(std::chrono::seconds(60));
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "(no error)";
}

bool printable_line(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

// A server with `fault`, a bucket "bucket" and, under "obj", `size` seeded random bytes.
struct Faulty {
  Faulty(const std::string& fault, std::size_t size = 0)
      : server(S3Server::sigv4("FKEY", "FSECRET", {fault})), client(config_for(*server)) {
    client.create_bucket("bucket");
    if (size > 0) client.put(object, random_bytes(size, 7));
  }
  long long requests() const { return server->stats().at("requests"); }

  std::unique_ptr<S3Server> server;
  S3Client client;
  S3Url object{"bucket", "obj"};
};

TEST(S3Faults, AlternatingContinuationTokensFail) {
  Faulty f("list-token-loop");
  for (const char* key : {"a", "b", "c"}) f.client.put({"bucket", key}, random_bytes(3, 1));
  const std::string e = error_of([&] { f.client.list("bucket", "", 2); });
  EXPECT_NE(e.find("continuation token"), std::string::npos) << e;
  EXPECT_NE(e.find("s3://bucket/"), std::string::npos) << e;
  EXPECT_TRUE(printable_line(e)) << e;
}

TEST(S3Faults, EndlessEmptyListingPagesFail) {
  Faulty f("list-endless");
  const std::string e = error_of([&] { f.client.list("bucket", "run/"); });
  EXPECT_NE(e.find("s3://bucket/run/"), std::string::npos) << e;
  EXPECT_TRUE(printable_line(e)) << e;
}

// A server that ignores Range would otherwise send the whole object for every read of the
// ByteSource: the first read fails, after one GET.
TEST(S3Faults, RangedGetAnsweredWithWholeObjectFailsOnce) {
  Faulty f("ignore-range", 3u << 20);
  s3::configure(config_for(*f.server));
  auto source = io::s3_url_opener()("s3://bucket/obj");
  const long long before = f.requests();
  std::vector<std::uint8_t> buf(1u << 20);
  const std::string e = error_of([&] {
    for (int i = 0; i < 3; ++i)
      source->read_at(static_cast<std::int64_t>(i) << 20, buf.data(), buf.size());
  });
  EXPECT_NE(e.find("Range"), std::string::npos) << e;
  EXPECT_NE(e.find("s3://bucket/obj"), std::string::npos) << e;
  EXPECT_EQ(f.requests() - before, 1);
  s3::configure(S3Config{});
}

class S3PartialReply : public ::testing::TestWithParam<std::string> {};

TEST_P(S3PartialReply, MismatchWithContentRangeFails) {
  Faulty f(GetParam(), 100000);
  const std::string e = error_of([&] { f.client.get_range(f.object, 1000, 5000); });
  EXPECT_NE(e.find("s3://bucket/obj: "), std::string::npos) << e;
  EXPECT_NE(e.find("206"), std::string::npos) << e;
  EXPECT_TRUE(printable_line(e)) << e;
}

INSTANTIATE_TEST_SUITE_P(Faults, S3PartialReply,
                         ::testing::Values("range-shifted", "range-short", "range-long"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The server's Code and Message are full of escape sequences and 5000 characters long.
TEST(S3Faults, ServerStringsAreSanitizedAndCapped) {
  Faulty f("hostile-error");
  const std::string e = error_of([&] { f.client.get({"bucket", "k"}); });
  EXPECT_TRUE(printable_line(e)) << e;
  EXPECT_LT(e.size(), 300u) << e;
  EXPECT_NE(e.find("HTTP 403"), std::string::npos) << e;
  EXPECT_NE(e.find("s3://bucket/k"), std::string::npos) << e;
}

TEST(S3Faults, RedirectLoopIsNotFollowed) {
  Faulty f("redirect-loop");
  const long long before = f.requests();
  const std::string e = error_of([&] { f.client.get({"bucket", "k"}); });
  EXPECT_NE(e.find("HTTP 307"), std::string::npos) << e;
  EXPECT_EQ(f.requests() - before, 1);
}

TEST(S3Faults, ServiceUnavailableIsRetriedABoundedNumberOfTimes) {
  Faulty f("always-503");
  const long long before = f.requests();
  const std::string e = error_of([&] { f.client.get({"bucket", "k"}); });
  EXPECT_NE(e.find("HTTP 503"), std::string::npos) << e;
  EXPECT_NE(e.find("SlowDown"), std::string::npos) << e;
  EXPECT_NE(e.find("3 attempts"), std::string::npos) << e;
  EXPECT_EQ(f.requests() - before, 3);
}

}  // namespace
}  // namespace sw::test
