// A whole file as a string, for tests that compare or search what a run wrote.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace sw::test {

// The file's bytes; empty when it cannot be read (the caller's assertion then says what).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace sw::test
