// cmake/build_id.cmake outside a git checkout (a source archive): the identity is a hash of
// the sources, changes when a source changes, and an unchanged tree leaves the generated
// header untouched (so nothing recompiles).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the script on `tree`; returns the header it wrote.
std::string identity(const fs::path& tree, const fs::path& header) {
  const std::string command = "cmake -DSOURCE_DIR='" + tree.string() + "' -DOUT='" +
                              header.string() + "' -P '" SW_SOURCE_DIR "/cmake/build_id.cmake'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return read(header);
}

TEST(BuildId, SourceArchiveIdentityFollowsTheSources) {
  TempDir dir;
  const fs::path tree = dir.path() / "stillwater";
  fs::create_directories(tree / "src" / "core");
  fs::create_directories(tree / "cmake");
  std::ofstream(tree / "CMakeLists.txt") << "project(x)\n";
  std::ofstream(tree / "src" / "core" / "a.cpp") << "int a() { return 1; }\n";
  const fs::path header = dir.path() / "build_id_value.hpp";

  const std::string first = identity(tree, header);
  EXPECT_NE(first.find("#define SW_BUILD_ID \"src-"), std::string::npos) << first;
  const auto written = fs::last_write_time(header);
  fs::last_write_time(header, written - std::chrono::hours(1));
  EXPECT_EQ(identity(tree, header), first);
  EXPECT_EQ(fs::last_write_time(header), written - std::chrono::hours(1)) << "rewritten";

  std::ofstream(tree / "src" / "core" / "a.cpp") << "int a() { return 2; }\n";
  EXPECT_NE(identity(tree, header), first);
}

}  // namespace
}  // namespace sw::test
