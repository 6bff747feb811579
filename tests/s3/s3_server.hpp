// Real S3 servers for tests, started on 127.0.0.1 with port 0 and stopped (SIGTERM) when the
// object goes away:
//   - sigv4: tests/s3/sigv4_server.py (Python standard library only), which verifies every SigV4
//     signature and payload hash (objects in memory; buckets are created with a signed PUT, see
//     create_bucket()); its --fault modes make it misbehave for the client's robustness tests;
//   - s3rver: npm s3rver 3.7.1 pinned in tests/s3/package.json (real S3 XML, listing pages,
//     multipart), which never checks signatures; credentials S3RVER/S3RVER.
//     Its ListObjectsV2 continuation tokens use DES, which Node 17+ (OpenSSL 3) only offers
//     with --openssl-legacy-provider: without it every truncated listing is a 500.
// The port is parsed from the line each prints when it listens.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "s3/s3_client.hpp"

namespace sw::test {

class S3Server {
 public:
  enum class Kind { sigv4, s3rver };

  // The verifying server with these credentials, misbehaving as each of `faults` names (see
  // the list at the top of sigv4_server.py).
  static std::unique_ptr<S3Server> sigv4(const std::string& key, const std::string& secret,
                                         const std::vector<std::string>& faults = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3", SW_S3_TEST_DIR "/sigv4_server.py", "0",
                                     key, secret};
    for (const std::string& fault : faults) {
      argv.push_back("--fault");
      argv.push_back(fault);
    }
    return std::unique_ptr<S3Server>(new S3Server(Kind::sigv4, key, secret, std::move(argv)));
  }

  // s3rver keeping its objects in `dir`, with `bucket` created at start.
  static std::unique_ptr<S3Server> s3rver(const std::string& dir, const std::string& bucket) {
    return std::unique_ptr<S3Server>(
        new S3Server(Kind::s3rver, "S3RVER", "S3RVER",
                     {"node", "--openssl-legacy-provider", s3rver_script(), "-d", dir, "-a",
                      "127.0.0.1", "-p", "0", "--silent", "--configure-bucket", bucket}));
  }

  static std::string s3rver_script() { return SW_S3_TEST_DIR "/node_modules/s3rver/bin/s3rver.js"; }
  static bool s3rver_installed() { return std::filesystem::exists(s3rver_script()); }

  // The server a parameterised test asks for: s3rver (data in `dir`, bucket "bucket") or the
  // signature-checking server with key/secret. nullptr when s3rver is not installed (the
  // caller skips, naming kSkipWithoutS3rver).
  static std::unique_ptr<S3Server> start(Kind kind, const std::string& dir, const std::string& key,
                                         const std::string& secret) {
    if (kind == Kind::s3rver) return s3rver_installed() ? s3rver(dir, "bucket") : nullptr;
    return sigv4(key, secret);
  }
  static constexpr const char* kSkipWithoutS3rver =
      "s3rver not installed: run `npm ci --prefix tests/s3 --no-audit --no-fund`";

  ~S3Server() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(out_);
  }
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  Kind kind() const { return kind_; }
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& key() const { return key_; }
  const std::string& secret() const { return secret_; }

  // The verifying server's counters (GET /_stats, unsigned): {"requests", N} (signed requests
  // served) and {"body_bytes", M} (object bytes sent in GET replies).
  std::map<std::string, long long> stats() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const std::string request = "GET /_stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
      if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
        char buf[512];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
          reply.append(buf, static_cast<std::size_t>(n));
      }
    }
    ::close(fd);
    std::map<std::string, long long> out;
    static const std::regex counter(R"((\w+)=(\d+))");
    const std::string body = reply.substr(std::min(reply.size(), reply.find("\r\n\r\n")));
    for (std::sregex_iterator it(body.begin(), body.end(), counter), end; it != end; ++it)
      out[(*it)[1].str()] = std::stoll((*it)[2].str());
    return out;
  }

 private:
  S3Server(Kind kind, std::string key, std::string secret, std::vector<std::string> argv)
      : kind_(kind), key_(std::move(key)), secret_(std::move(secret)) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // A test that ends abruptly (a watchdog's _Exit, a crash) takes its server with it.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::dup2(fds[1], STDOUT_FILENO);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    // Read until a line names the port (the servers print it once they listen).
    static const std::regex listening(R"(127\.0\.0\.1:(\d+))");
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[512];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
      std::smatch m;
      if (std::regex_search(text, m, listening)) {
        port_ = std::stoi(m[1].str());
        return;
      }
    }
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    ::close(out_);
    throw std::runtime_error("S3 test server " + argv[1] + " did not start; it printed: " + text);
  }

  Kind kind_;
  std::string key_, secret_;
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

// A client's settings for this server: its endpoint and credentials, the rest as defaults.
inline s3::S3Config client_config(const S3Server& server) {
  s3::S3Config c;
  c.access_key = server.key();
  c.secret_key = server.secret();
  c.endpoint = server.endpoint();
  return c;
}

}  // namespace sw::test
