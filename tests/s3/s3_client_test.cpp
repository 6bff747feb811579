// S3Client and S3Backend against real servers: the signature-verifying test server (every
// request's SigV4 signature and payload hash checked) and s3rver (real listing pages). Also the
// small XML extraction and URL parsing the client relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/error.hpp"
#include "s3/s3_client.hpp"
#include "s3/s3_response.hpp"
#include "s3/s3_server.hpp"
#include "store/s3_backend.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

using s3::Bytes;
using s3::S3Client;
using s3::S3Config;
using s3::S3Url;

Bytes random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(S3Xml, ExtractsValuesAndDecodesEntities) {
  const std::string xml =
      "<ListBucketResult><KeyCount>2</KeyCount><Contents><Key>a&amp;b &lt;c&gt; &#233;&#x4e2d;"
      "</Key></Contents><Contents><Key>d/e</Key></Contents><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>t+/=</NextContinuationToken><Empty/></ListBucketResult>";
  EXPECT_EQ(s3::xml_values(xml, "Key"),
            (std::vector<std::string>{"a&b <c> \xc3\xa9\xe4\xb8\xad", "d/e"}));
  EXPECT_EQ(s3::xml_values(xml, "KeyCount"), std::vector<std::string>{"2"});
  EXPECT_EQ(s3::xml_values(xml, "IsTruncated"), std::vector<std::string>{"true"});
  EXPECT_EQ(s3::xml_values(xml, "NextContinuationToken"), std::vector<std::string>{"t+/="});
  EXPECT_EQ(s3::xml_values(xml, "Empty"), std::vector<std::string>{""});
  EXPECT_TRUE(s3::xml_values(xml, "Missing").empty());
}

TEST(S3Url, ParsesBucketAndKey) {
  const S3Url u = S3Url::parse("s3://bucket/runs/a");
  EXPECT_EQ(u.bucket, "bucket");
  EXPECT_EQ(u.key, "runs/a");
  EXPECT_EQ(S3Url::parse("s3://bucket").key, "");
  EXPECT_EQ(u.str(), "s3://bucket/runs/a");
  EXPECT_THROW(S3Url::parse("s3:///key"), Error);
  EXPECT_THROW(S3Url::parse("http://x/y"), Error);
  EXPECT_EQ(s3::uri_encode("a b/é~+", true), "a%20b/%C3%A9~%2B");
  EXPECT_EQ(s3::uri_encode("run1/", false), "run1%2F");
}

// S3 keys are plain strings: "b/./x.mp4" is another object than "b/x.mp4" for S3 but the same
// file for a user, so an output could silently replace its input. Such keys are refused.
TEST(S3Url, RefusesDotAndEmptyPathSegments) {
  for (const char* url : {"s3://b/./x.mp4", "s3://b/a/../x.mp4", "s3://b/..", "s3://b/.",
                          "s3://b//x.mp4", "s3://b/a//x.mp4", "s3://b/a/.", "s3://b/a/./"}) {
    SCOPED_TRACE(url);
    try {
      S3Url::parse(url);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(std::string(url) + ": ", 0), 0u) << what;
      EXPECT_NE(what.find("\".\""), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
  // A store prefix may end with '/'; dots inside a name are fine.
  EXPECT_EQ(S3Url::parse("s3://b/runs/r1/").key, "runs/r1/");
  EXPECT_EQ(S3Url::parse("s3://b/").key, "");
  EXPECT_EQ(S3Url::parse("s3://b/a.b/..c/x..mp4").key, "a.b/..c/x..mp4");
}

class S3ClientTest : public ::testing::TestWithParam<S3Server::Kind> {
 protected:
  void SetUp() override {
    server = S3Server::start(GetParam(), data.file("s3rver"), "TESTKEY", "TESTSECRET");
    if (!server) GTEST_SKIP() << S3Server::kSkipWithoutS3rver;
    client = std::make_unique<S3Client>(client_config(*server));
    if (GetParam() == S3Server::Kind::sigv4) client->create_bucket("bucket");
  }
  TempDir data;
  std::unique_ptr<S3Server> server;
  std::unique_ptr<S3Client> client;
};

TEST_P(S3ClientTest, RoundTripHeadRangeRemove) {
  const S3Url object{"bucket", "dir/an object é+&.bin"};
  const Bytes bytes = random_bytes(100000, 1);
  client->put(object, bytes);
  EXPECT_EQ(client->head(object), std::int64_t(100000));
  EXPECT_EQ(client->get(object), bytes);
  const Bytes middle = client->get_range(object, 1000, 5000);
  EXPECT_EQ(middle, Bytes(bytes.begin() + 1000, bytes.begin() + 6000));
  const Bytes tail = client->get_range(object, 99990, 100);  // clipped at the end
  EXPECT_EQ(tail, Bytes(bytes.begin() + 99990, bytes.end()));
  EXPECT_TRUE(client->get_range(object, 100000, 10).empty());  // past the end
  client->put({"bucket", "empty"}, {});
  EXPECT_EQ(client->head({"bucket", "empty"}), std::int64_t(0));
  EXPECT_EQ(client->get({"bucket", "empty"}), Bytes());

  client->remove(object);
  EXPECT_EQ(client->head(object), std::nullopt);
  EXPECT_EQ(client->get(object), std::nullopt);
  client->remove(object);  // removing a missing key is fine
}

TEST_P(S3ClientTest, MultipartUploadAboveEightMiB) {
  const S3Url object{"bucket", "big.bin"};
  const Bytes bytes = random_bytes(S3Client::kPartSize * 2 + 12345, 2);
  client->put(object, bytes);
  EXPECT_EQ(client->head(object), static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(client->get(object), bytes);
  // A range across the first part boundary.
  const auto at = static_cast<std::int64_t>(S3Client::kPartSize) - 10;
  EXPECT_EQ(client->get_range(object, at, 20), Bytes(bytes.begin() + at, bytes.begin() + at + 20));

  // The same through a file, and back to a file.
  const std::string file = data.file("big.bin");
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  client->put_file({"bucket", "big-file.bin"}, file);
  client->get_to_file({"bucket", "big-file.bin"}, data.file("back.bin"));
  EXPECT_EQ(std::filesystem::file_size(data.file("back.bin")), bytes.size());
  EXPECT_EQ(client->get({"bucket", "big-file.bin"}), bytes);
}

TEST_P(S3ClientTest, ListsWithPrefixAndPages) {
  std::vector<std::string> want;
  for (int i = 0; i < 23; ++i) {
    char key[64];
    std::snprintf(key, sizeof key, "run1/k %03d&x", i);
    client->put({"bucket", key}, random_bytes(3, i));
    want.push_back(key);
  }
  client->put({"bucket", "run10/other"}, random_bytes(3, 99));
  client->put({"bucket", "zzz"}, random_bytes(3, 98));
  // Pages of 5 keys: 5 requests with continuation tokens, each signed canonical query checked
  // by the verifying server.
  EXPECT_EQ(client->list("bucket", "run1/", 5), want);
  EXPECT_EQ(client->list("bucket", "run1/", 1000), want);
  EXPECT_EQ(client->list("bucket", "run1/", 5, 7).size(), 7u);
  EXPECT_EQ(client->list("bucket", "run1").size(), 24u);
  EXPECT_TRUE(client->list("bucket", "nothing/").empty());

  store::S3Backend backend(std::make_shared<S3Client>(client_config(*server)), {"bucket", "run1"});
  EXPECT_FALSE(backend.empty());
  EXPECT_EQ(backend.list("k 00").size(), 10u);
  EXPECT_EQ(backend.list("").front(), "k 000&x");
  EXPECT_EQ(backend.describe("a/.zarray"), "s3://bucket/run1/a/.zarray");
  backend.put("g/.zgroup", random_bytes(5, 3));
  EXPECT_TRUE(backend.exists("g/.zgroup"));
  EXPECT_EQ(backend.get("g/.zgroup"), random_bytes(5, 3));
  EXPECT_EQ(backend.get("g/missing"), std::nullopt);
  backend.remove("g/.zgroup");
  EXPECT_FALSE(backend.exists("g/.zgroup"));
  EXPECT_TRUE(
      store::S3Backend(std::make_shared<S3Client>(client_config(*server)), {"bucket", "new"})
          .empty());
}

TEST_P(S3ClientTest, MissingBucketIs404NoSuchBucket) {
  const std::string e = error_of([&] { client->get({"no-such-bucket", "k"}); });
  EXPECT_NE(e.find("s3://no-such-bucket/k"), std::string::npos) << e;
  EXPECT_NE(e.find("HTTP 404"), std::string::npos) << e;
  EXPECT_NE(e.find("NoSuchBucket"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  const std::string l = error_of([&] { client->list("no-such-bucket", "p/"); });
  EXPECT_NE(l.find("NoSuchBucket"), std::string::npos) << l;
}

INSTANTIATE_TEST_SUITE_P(Servers, S3ClientTest,
                         ::testing::Values(S3Server::Kind::sigv4, S3Server::Kind::s3rver),
                         [](const auto& info) {
                           return info.param == S3Server::Kind::sigv4 ? "sigv4" : "s3rver";
                         });

TEST(S3ClientErrors, WrongSecretIsOneLine403NamingTheObject) {
  const auto server = S3Server::sigv4("TESTKEY", "TESTSECRET");
  S3Client good(client_config(*server));
  good.create_bucket("bucket");
  S3Config bad_config = client_config(*server);
  bad_config.secret_key = "WRONG";
  S3Client bad(bad_config);
  const std::string e = error_of([&] { bad.put({"bucket", "x/y.bin"}, random_bytes(10, 1)); });
  EXPECT_EQ(e, "s3://bucket/x/y.bin: HTTP 403 Forbidden (SignatureDoesNotMatch)");
  EXPECT_NE(error_of([&] { bad.head({"bucket", "x"}); }).find("HTTP 403"), std::string::npos);
  EXPECT_TRUE(good.list("bucket", "").empty());
}

TEST(S3ClientErrors, SessionTokenIsSignedAndSent) {
  const auto server = S3Server::sigv4("TESTKEY", "TESTSECRET");
  S3Config c = client_config(*server);
  c.session_token = "token/with+chars=";
  S3Client client(c);
  client.create_bucket("bucket");
  client.put({"bucket", "k"}, random_bytes(10, 1));
  EXPECT_EQ(client.get({"bucket", "k"}), random_bytes(10, 1));
}

TEST(S3ClientErrors, UnreachableEndpointFailsAfterRetries) {
  S3Config c;
  c.access_key = "k";
  c.secret_key = "s";
  c.endpoint = "http://127.0.0.1:1";
  c.max_attempts = 3;
  c.first_backoff_s = 0.05;
  S3Client client(c);
  const auto start = std::chrono::steady_clock::now();
  const std::string e = error_of([&] { client.get({"bucket", "k"}); });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(e.rfind("s3://bucket/k: cannot connect (", 0), 0u) << e;
  EXPECT_GE(seconds, 0.15);  // two backoffs: 0.05 + 0.1
}

TEST(S3ClientErrors, MissingCredentialsAreNamed) {
  S3Config c;
  c.endpoint = "http://127.0.0.1:1";
  const std::string e = error_of([&] { S3Client(c).get({"b", "k"}); });
  EXPECT_NE(e.find("AWS_ACCESS_KEY_ID"), std::string::npos) << e;
}

TEST(S3ClientErrors, FromEnvironment) {
  ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  ::setenv("AWS_REGION", "eu-west-3", 1);
  ::setenv("AWS_ENDPOINT_URL", "http://env:9000/", 1);
  S3Config c = S3Config::from_environment();
  EXPECT_EQ(c.access_key, "AK");
  EXPECT_EQ(c.region, "eu-west-3");
  EXPECT_EQ(c.endpoint, "http://env:9000");
  EXPECT_EQ(S3Config::from_environment("http://cli:1").endpoint, "http://cli:1");
  ::unsetenv("AWS_REGION");
  EXPECT_EQ(S3Config::from_environment().region, "us-east-1");
}

}  // namespace
}  // namespace sw::test
