// Helpers for tests of the run store: its per-frame arrays as bytes, and zarr-python scripts.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace sw::test {

// The arrays whose bytes must not depend on how the work was split.
inline const char* const kResultArrays[] = {
    "pts",   "time_s",     "keyframe", "motion", "motion_scale", "features", "status",
    "valid", "trajectory", "smoothed", "lof",    "outlier",      "radius",   "correction"};

// array name -> its .zarray and every chunk file's bytes, concatenated in key order.
inline std::map<std::string, std::string> array_bytes(const std::filesystem::path& store) {
  std::map<std::string, std::string> out;
  for (const char* name : kResultArrays) {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(store / name)) {
      if (entry.path().filename() == ".zattrs") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      files[entry.path().filename().string()] = bytes.str();
    }
    std::string all;
    for (const auto& [key, bytes] : files) all += key + ":" + bytes;
    out[name] = all;
  }
  return out;
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace sw::test
