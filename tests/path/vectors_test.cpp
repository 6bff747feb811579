// The reference vectors committed in tests/path/vectors (scikit-learn's LocalOutlierFactor and
// NumPy, written by scripts/make_reference_vectors.py; versions in each file and the README):
// every file, every LOF entry, every moving-average radius, the recipe rows.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "path/path.hpp"

namespace sw::path {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> vector_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SW_PATH_VECTORS_DIR))) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

json load(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::vector<Vec3> rows_of(const json& j) {
  std::vector<Vec3> rows;
  for (const auto& r : j)
    rows.push_back({r.at(0).get<double>(), r.at(1).get<double>(), r.at(2).get<double>()});
  return rows;
}

// Relative 1e-9, with an absolute floor of 1e-12 for values near zero.
void expect_close(double got, double want, double rel, const std::string& what) {
  EXPECT_LE(std::abs(got - want), rel * std::abs(want) + 1e-12)
      << what << ": got " << got << ", want " << want;
}

void expect_rows_close(const std::vector<Vec3>& got, const std::vector<Vec3>& want, double rel,
                       const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::string at = what + " row " + std::to_string(i);
    expect_close(got[i].x, want[i].x, rel, at + " x");
    expect_close(got[i].y, want[i].y, rel, at + " y");
    expect_close(got[i].a, want[i].a, rel, at + " a");
  }
}

TEST(PathVectors, AllFilesPresent) {
  EXPECT_GE(vector_files().size(), 5u);
}

TEST(PathVectors, LocalOutlierFactorMatchesSklearn) {
  for (const auto& file : vector_files()) {
    SCOPED_TRACE(file.filename().string());
    const json v = load(file);
    const std::vector<Vec3> input = rows_of(v.at("input"));
    ASSERT_FALSE(v.at("lof").empty());
    for (const auto& entry : v.at("lof")) {
      const int k = entry.at("n_neighbors").get<int>();
      SCOPED_TRACE("n_neighbors=" + std::to_string(k));
      const auto nof = entry.at("negative_outlier_factor").get<std::vector<double>>();
      const auto labels = entry.at("labels").get<std::vector<int>>();
      const std::vector<double> lof = local_outlier_factor(input, k);
      ASSERT_EQ(lof.size(), nof.size());
      ASSERT_EQ(labels.size(), nof.size());
      std::size_t bit_exact = 0;
      for (std::size_t i = 0; i < lof.size(); ++i) {
        expect_close(lof[i], -nof[i], 1e-9, "lof row " + std::to_string(i));
        EXPECT_EQ(lof[i] > 1.5 ? -1 : 1, labels[i]) << "row " << i << " lof " << lof[i];
        bit_exact += lof[i] == -nof[i] ? 1 : 0;
      }
      RecordProperty("bit_exact_" + file.stem().string() + "_k" + std::to_string(k),
                     std::to_string(bit_exact) + "/" + std::to_string(lof.size()));
    }
  }
}

TEST(PathVectors, MovingAverageMatchesNumpy) {
  for (const auto& file : vector_files()) {
    SCOPED_TRACE(file.filename().string());
    const json v = load(file);
    const std::vector<Vec3> trajectory = cumulative(rows_of(v.at("input")));
    ASSERT_FALSE(v.at("moving_average").empty());
    for (const auto& entry : v.at("moving_average")) {
      const int r = entry.at("radius").get<int>();
      expect_rows_close(moving_average(trajectory, r), rows_of(entry.at("expected")), 1e-9,
                        "radius " + std::to_string(r));
    }
  }
}

TEST(PathVectors, RecipeReplaceMatchesScript) {
  for (const auto& file : vector_files()) {
    SCOPED_TRACE(file.filename().string());
    const json v = load(file);
    const std::vector<Vec3> input = rows_of(v.at("input"));
    const json& rr = v.at("recipe_replace");
    // labels_from: "lof n_neighbors=20", the first LOF entry.
    const json& lof0 = v.at("lof").at(0);
    ASSERT_EQ(lof0.at("n_neighbors").get<int>(), 20);
    std::vector<std::uint8_t> flagged;
    for (int l : lof0.at("labels").get<std::vector<int>>()) flagged.push_back(l == -1 ? 1 : 0);
    const auto replaced = recipe_replace(input, flagged, rr.at("half_window").get<int>());
    expect_rows_close(replaced, rows_of(rr.at("expected")), 1e-12, "recipe_replace");
  }
}

}  // namespace
}  // namespace sw::path
