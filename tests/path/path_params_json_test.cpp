// PathParams' codec (path/path_params_json.hpp): every field, the nested L1Params included,
// round-trips; enums are written by their command-line names; a bad name is refused.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/path_params_json.hpp"

namespace sw::path {
namespace {

TEST(PathParamsJson, EveryFieldRoundTrips) {
  PathParams p;
  p.smoother = SmootherKind::gauss;
  p.crop = Crop::automatic;
  p.outliers = OutlierPolicy::recipe;
  p.radius = 7;
  p.sigma = 2.5;
  p.l1.w3 = 123;
  p.l1.stability_target = 0.75;
  p.repeats = false;
  p.tripod = true;
  p.horizon_lock = true;
  p.horizon_deg = -2.5;
  p.strength = {1, 0.5, 0};
  const nlohmann::json j = to_json_fields(p);
  EXPECT_EQ(j["smoother"], "gauss");
  EXPECT_EQ(j["crop"], "auto");
  EXPECT_EQ(j["outliers"], "recipe");
  EXPECT_EQ(j["l1"]["w3"], 123.0);
  EXPECT_EQ(j.size(), 21u);
  EXPECT_EQ(j["strength"]["y"], 0.5);
  EXPECT_EQ(j["l1"].size(), 12u);
  const PathParams back = from_json_fields<PathParams>(j, "test");
  EXPECT_EQ(to_json_fields(back), j);
  EXPECT_EQ(back.smoother, SmootherKind::gauss);
  EXPECT_EQ(back.l1.stability_target, 0.75);
  EXPECT_FALSE(back.repeats);
  EXPECT_TRUE(back.tripod);
  EXPECT_TRUE(back.horizon_lock);
  EXPECT_EQ(back.horizon_deg, -2.5);
  EXPECT_EQ(back.strength.a, 0.0);
}

TEST(PathParamsJson, UnknownNameOrMissingNestedFieldIsRefused) {
  nlohmann::json j = to_json_fields(PathParams{});
  j["crop"] = "automatic";  // the enumerator, not its name
  EXPECT_THROW(from_json_fields<PathParams>(j, "test"), Error);
  j = to_json_fields(PathParams{});
  j["l1"].erase("window");
  EXPECT_THROW(from_json_fields<PathParams>(j, "test"), Error);
}

// The command line's defaults are the struct's (cli/run_options.cpp reads them from here).
TEST(PathParamsJson, LibraryDefaultsAreTheCommandLines) {
  const PathParams p;
  EXPECT_EQ(p.radius, 30);
  EXPECT_EQ(p.sigma, 15);
}

}  // namespace
}  // namespace sw::path
