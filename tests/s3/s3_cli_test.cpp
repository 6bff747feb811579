// The stillwater binary with s3:// stores, inputs and outputs, against real servers: the same
// store arrays and output bytes as a local run, zarr-python reading the S3 store through boto3,
// and a wrong secret failing with one line and nothing written to the bucket.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "s3/s3_client.hpp"
#include "s3/s3_server.hpp"
#include "s3/s3_store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;
using s3::S3Client;
using s3::S3Config;
using s3::S3Url;

// A clip and a local --store run of it, made once for every test of the suite.
struct LocalRun {
  TempDir dir{"sw-s3-local"};
  std::string input, output, store;
};

LocalRun& local_run() {
  static LocalRun* run = [] {
    auto* r = new LocalRun;
    ClipSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 60;
    spec.gop = 20;
    spec.seed = 5;
    spec.audio = true;
    r->input = r->dir.file("in.mp4");
    r->output = r->dir.file("out.mp4");
    r->store = r->dir.file("run.zarr");
    make_shaky_clip(r->input, spec);
    const auto res = run_stillwater({"stabilize", r->input, "-o", r->output, "--store", r->store,
                                     "--segment-frames", "20", "-q"});
    if (res.exit_code != 0) throw std::runtime_error("local run failed: " + res.err);
    return r;
  }();
  return *run;
}

class S3Cli : public ::testing::TestWithParam<S3Server::Kind> {
 protected:
  void SetUp() override {
    server = S3Server::start(GetParam(), data.file("s3rver"), "CLIKEY", "CLISECRET");
    if (!server) GTEST_SKIP() << S3Server::kSkipWithoutS3rver;
    S3Config c;
    c.access_key = server->key();
    c.secret_key = server->secret();
    c.endpoint = server->endpoint();
    client = std::make_unique<S3Client>(c);
    if (GetParam() == S3Server::Kind::sigv4) client->create_bucket("bucket");
    set_credentials(server->secret());
  }

  void set_credentials(const std::string& secret) {
    ::setenv("AWS_ACCESS_KEY_ID", server->key().c_str(), 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", secret.c_str(), 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    ::unsetenv("AWS_ENDPOINT_URL");
  }

  RunResult stillwater(std::vector<std::string> args) {
    args.insert(args.end(), {"--s3-endpoint", server->endpoint(), "--segment-frames", "20", "-q"});
    return run_stillwater(args);
  }

  std::map<std::string, std::string> s3_array_bytes(const std::string& prefix) {
    return test::s3_array_bytes(*client, "bucket", prefix);
  }

  std::string object(const std::string& key) {
    const auto bytes = client->get({"bucket", key});
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("(missing)");
  }

  TempDir data{"sw-s3-cli"};
  std::unique_ptr<S3Server> server;
  std::unique_ptr<S3Client> client;
};

// The per-frame numbers a report page carries (its <script id="sw-data"> JSON), without the
// store's description (which names the store and the build).
nlohmann::json report_numbers(const std::string& html_file) {
  const std::string html = file_bytes(html_file);
  const std::string open = "<script id=\"sw-data\" type=\"application/json\">";
  const std::size_t begin = html.find(open);
  if (begin == std::string::npos) return nullptr;
  const std::size_t end = html.find("</script>", begin);
  nlohmann::json data =
      nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
  data.erase("run");
  return data;
}

void expect_same_arrays(const std::map<std::string, std::string>& got,
                        const std::map<std::string, std::string>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [name, bytes] : want) {
    EXPECT_FALSE(bytes.empty()) << name;
    EXPECT_TRUE(got.at(name) == bytes) << "array " << name << " differs";
  }
}

TEST_P(S3Cli, StoreOnS3EqualsLocalStore) {
  const LocalRun& local = local_run();
  const auto r = stillwater(
      {"stabilize", local.input, "-o", data.file("out.mp4"), "--store", "s3://bucket/run1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_arrays(s3_array_bytes("run1"), array_bytes(local.store));
  EXPECT_TRUE(file_bytes(data.file("out.mp4")) == file_bytes(local.output));
  // The pieces live in the store, as in a local one.
  EXPECT_EQ(client->list("bucket", "run1/_progress/render/piece_").size(), 3u);

  // Run again: everything resumes from the bucket (pieces downloaded), same bytes.
  const auto again = stillwater(
      {"stabilize", local.input, "-o", data.file("again.mp4"), "--store", "s3://bucket/run1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(file_bytes(data.file("again.mp4")) == file_bytes(local.output));

  // And the local-store rules hold: a prefix with other things in it is refused.
  client->put({"bucket", "notastore/x"}, {});
  const auto refused = stillwater(
      {"stabilize", local.input, "-o", data.file("x.mp4"), "--store", "s3://bucket/notastore"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not a stillwater store"), std::string::npos) << refused.err;
}

TEST_P(S3Cli, S3InputAndOutputEqualLocal) {
  const LocalRun& local = local_run();
  client->put_file({"bucket", "clips/in.mp4"}, local.input);
  const auto r = stillwater({"stabilize", "s3://bucket/clips/in.mp4", "-o",
                             "s3://bucket/clips/out.mp4", "--store", data.file("run.zarr")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_arrays(array_bytes(data.file("run.zarr")), array_bytes(local.store));
  EXPECT_TRUE(object("clips/out.mp4") == file_bytes(local.output));

  // An existing output object needs -y; the input object is never overwritten.
  const auto exists =
      stillwater({"stabilize", "s3://bucket/clips/in.mp4", "-o", "s3://bucket/clips/out.mp4"});
  EXPECT_EQ(exists.exit_code, 1);
  EXPECT_NE(exists.err.find("already exists (use -y to overwrite)"), std::string::npos)
      << exists.err;
  const auto same =
      stillwater({"stabilize", "s3://bucket/clips/in.mp4", "-o", "s3://bucket/clips/in.mp4", "-y"});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("is the input object"), std::string::npos) << same.err;
  // The same object spelled with dot segments (HTTP clients collapse them, so these would name
  // the input object) is refused before anything is rendered.
  for (const char* dotted : {"s3://bucket/clips/./in.mp4", "s3://bucket/x/../clips/in.mp4"}) {
    const auto r2 = stillwater({"stabilize", "s3://bucket/clips/in.mp4", "-o", dotted, "-y"});
    EXPECT_NE(r2.exit_code, 0) << dotted;
    ASSERT_EQ(r2.err_lines().size(), 1u) << r2.err;
    EXPECT_NE(r2.err.find(dotted), std::string::npos) << r2.err;
    EXPECT_TRUE(object("clips/in.mp4") == file_bytes(local.input)) << dotted << " replaced it";
  }
  const auto missing =
      stillwater({"stabilize", "s3://bucket/clips/nope.mp4", "-o", data.file("n.mp4")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "stillwater: s3://bucket/clips/nope.mp4: no such file\n");
  // Only what we put there, and the one output: no temporaries, no pieces.
  EXPECT_EQ(client->list("bucket", ""),
            (std::vector<std::string>{"clips/in.mp4", "clips/out.mp4"}));
}

// Batch (cli/batch.hpp) into an s3:// prefix, with a store per input under another one: each
// object and store is the single local run's.
TEST_P(S3Cli, BatchIntoAPrefixEqualsLocalRuns) {
  const LocalRun& local = local_run();
  client->put_file({"bucket", "clips/in.mp4"}, local.input);
  fs::copy_file(local.input, data.file("b.mp4"));
  const auto no_slash = stillwater(
      {"stabilize", "s3://bucket/clips/in.mp4", data.file("b.mp4"), "-o", "s3://bucket/batch"});
  EXPECT_EQ(no_slash.exit_code, 2);
  EXPECT_NE(no_slash.err.find("expected an s3:// prefix ending with '/'"), std::string::npos)
      << no_slash.err;
  const auto r = stillwater({"stabilize", "s3://bucket/clips/in.mp4", data.file("b.mp4"), "-o",
                             "s3://bucket/batch/", "--store", "s3://bucket/stores"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string name : {"in", "b"}) {
    EXPECT_TRUE(object("batch/" + name + ".mp4") == file_bytes(local.output)) << name;
    expect_same_arrays(s3_array_bytes("stores/" + name + ".zarr"), array_bytes(local.store));
  }
}

TEST_P(S3Cli, ZarrPythonReadsTheS3Store) {
  const LocalRun& local = local_run();
  const auto r = stillwater({"analyze", local.input, "--store", "s3://bucket/runs/a"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string script =
      "import boto3, zarr, numpy as np\n"
      "from botocore.config import Config\n"
      "from botocore.exceptions import ClientError\n"
      "from collections.abc import MutableMapping\n"
      "s3 = boto3.client('s3', endpoint_url='" +
      server->endpoint() +
      "',\n"
      "    aws_access_key_id='" +
      server->key() + "', aws_secret_access_key='" + server->secret() +
      "', region_name='us-east-1',\n"
      "    config=Config(s3={'addressing_style': 'path'}, signature_version='s3v4'))\n"
      "class S3Map(MutableMapping):\n"
      "    def __init__(self, bucket, prefix): self.b, self.p = bucket, prefix\n"
      "    def __getitem__(self, k):\n"
      "        try: return s3.get_object(Bucket=self.b, Key=self.p + k)['Body'].read()\n"
      "        except ClientError as e:\n"
      "            if e.response['Error']['Code'] in ('NoSuchKey', '404'): raise KeyError(k)\n"
      "            raise\n"
      "    def __setitem__(self, k, v): s3.put_object(Bucket=self.b, Key=self.p + k, Body=v)\n"
      "    def __delitem__(self, k): s3.delete_object(Bucket=self.b, Key=self.p + k)\n"
      "    def __iter__(self):\n"
      "        for page in s3.get_paginator('list_objects_v2').paginate(Bucket=self.b, "
      "Prefix=self.p):\n"
      "            for o in page.get('Contents', []): yield o['Key'][len(self.p):]\n"
      "    def __len__(self): return sum(1 for _ in self)\n"
      "g = zarr.open_group(S3Map('bucket', 'runs/a/'), mode='r')\n"
      "l = zarr.open_group('" +
      local.store +
      "', mode='r')\n"
      "for name in ('motion', 'trajectory', 'smoothed', 'correction', 'pts', 'status'):\n"
      "    assert np.array_equal(g[name][:], l[name][:]), name\n"
      "assert g.attrs['input']['name'] == 'in.mp4'\n"
      "print('ok', g['correction'].shape[0])\n";
  const std::string out = shell("/usr/bin/python3 - <<'PYEOF'\n" + script + "\nPYEOF");
  EXPECT_EQ(out, "ok 60\n");
}

// Every command that takes a store works on an s3:// one: analyze measures into the bucket,
// render --replan plans again from the stored motions and renders, and report reads the
// store back through RunStore: the page's per-frame numbers are those of the report of the
// same run on a local directory.
TEST_P(S3Cli, ReportOfS3StoreEqualsReportOfLocalStore) {
  const LocalRun& local = local_run();
  const std::string store = "s3://bucket/runs/rep";
  const auto analyzed = stillwater({"analyze", local.input, "--store", store});
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  const auto rendered = stillwater(
      {"render", local.input, "--store", store, "--replan", "-o", data.file("replan.mp4")});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_TRUE(file_bytes(data.file("replan.mp4")) == file_bytes(local.output));

  const std::vector<std::string> keys = client->list("bucket", "runs/rep/");
  const auto from_s3 = run_stillwater(
      {"report", store, "-o", data.file("s3.html"), "--s3-endpoint", server->endpoint(), "-q"});
  ASSERT_EQ(from_s3.exit_code, 0) << from_s3.err;
  const auto from_local =
      run_stillwater({"report", local.store, "-o", data.file("local.html"), "-q"});
  ASSERT_EQ(from_local.exit_code, 0) << from_local.err;

  const nlohmann::json got = report_numbers(data.file("s3.html"));
  const nlohmann::json want = report_numbers(data.file("local.html"));
  ASSERT_TRUE(want.is_object());
  EXPECT_EQ(want["frames"], 60);
  for (const char* key : {"frames", "trajectory", "smoothed", "lof", "outlier", "invalid", "cuts",
                          "zoom", "planned", "planned_cropping", "planned_border"}) {
    EXPECT_FALSE(want[key].is_null()) << key;
    EXPECT_EQ(got[key], want[key]) << key;
  }
  EXPECT_EQ(got["trajectory"].size(), 60u);
  // The report only reads: the bucket holds the same keys as before.
  EXPECT_EQ(client->list("bucket", "runs/rep/"), keys);

  const auto missing =
      run_stillwater({"report", "s3://bucket/runs/none", "-o", data.file("none.html"),
                      "--s3-endpoint", server->endpoint(), "-q"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "stillwater: s3://bucket/runs/none: no such store\n");
}

INSTANTIATE_TEST_SUITE_P(Servers, S3Cli,
                         ::testing::Values(S3Server::Kind::sigv4, S3Server::Kind::s3rver),
                         [](const auto& info) {
                           return info.param == S3Server::Kind::sigv4 ? "sigv4" : "s3rver";
                         });

// Needs a server that checks signatures.
TEST(S3CliErrors, WrongSecretFailsWithOneLineAndWritesNothing) {
  const LocalRun& local = local_run();
  const auto server = S3Server::sigv4("CLIKEY", "CLISECRET");
  S3Config c;
  c.access_key = server->key();
  c.secret_key = server->secret();
  c.endpoint = server->endpoint();
  S3Client client(c);
  client.create_bucket("bucket");
  ::setenv("AWS_ACCESS_KEY_ID", "CLIKEY", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "WRONG", 1);
  TempDir dir("sw-s3-bad");
  for (const std::vector<std::string>& outputs :
       {std::vector<std::string>{"-o", dir.file("out.mp4"), "--store", "s3://bucket/run-bad"},
        std::vector<std::string>{"-o", "s3://bucket/out.mp4"}}) {
    std::vector<std::string> args = {"stabilize", local.input};
    args.insert(args.end(), outputs.begin(), outputs.end());
    args.insert(args.end(), {"--s3-endpoint", server->endpoint(), "-q"});
    const auto r = run_stillwater(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("s3://bucket/"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(client.list("bucket", "").empty());
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

}  // namespace
}  // namespace sw::test
