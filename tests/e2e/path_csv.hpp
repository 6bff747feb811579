// Reading back `stabilize --path-csv`, and the output camera path it implies for a synthetic
// clip whose truth is known. Shared by the e2e tests that check stabilization numerically.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "e2e/cli.hpp"
#include "path/path.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {

// column name -> one number per frame (NaN where a cell is not a number, e.g. "status").
using Table = std::map<std::string, std::vector<double>>;

inline Table read_path_csv(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::istringstream h(line);
  for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  Table t;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::size_t k = 0;
    for (std::string cell; std::getline(row, cell, ',') && k < header.size(); ++k) {
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      t[header[k]].push_back(end == cell.c_str() ? std::nan("") : v);
    }
  }
  return t;
}

inline std::vector<Transform2D> corrections(const Table& t) {
  std::vector<Transform2D> c;
  for (std::size_t i = 0; i < t.at("corr_dx").size(); ++i) {
    c.push_back({t.at("corr_dx")[i], t.at("corr_dy")[i], t.at("corr_da")[i], t.at("zoom")[i]});
  }
  return c;
}

// `stillwater stabilize` of dir's in.mp4 into `name`.mp4 with `extra` options; returns the
// corrections its path CSV (`name`.csv) records.
inline std::vector<Transform2D> stabilize_corrections(const TempDir& dir, const std::string& name,
                                                      std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "stabilize",  dir.file("in.mp4"),     "-o", dir.file(name + ".mp4"), "-q",
      "--path-csv", dir.file(name + ".csv")};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_stillwater(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return corrections(read_path_csv(dir.file(name + ".csv")));
}

// What the output shows: frame i of the input shows texture point p at R(a_i) p + t_i; the
// correction maps frame point q to zoom R(c_a) q + c_d. Their composition is the output's
// camera path, which a perfect stabilizer makes smooth.
inline std::vector<path::Vec3> output_path(const ClipTruth& truth,
                                           const std::vector<Transform2D>& corr) {
  std::vector<path::Vec3> out;
  for (std::size_t i = 0; i < truth.camera.size(); ++i) {
    const auto& t = truth.camera[i];
    const auto& c = corr[i];
    const double cs = std::cos(c.da), sn = std::sin(c.da);
    out.push_back({c.zoom * (cs * t.dx - sn * t.dy) + c.dx, c.zoom * (sn * t.dx + cs * t.dy) + c.dy,
                   t.da + c.da});
  }
  return out;
}

}  // namespace sw::test
