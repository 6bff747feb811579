// The key a store's render pieces are kept under changes with every parameter the pieces'
// bytes depend on: each field of WarpParams and EncodeOptions (all of them: the descriptions
// beside the structs, core/param_codec.hpp, are checked against the structs' field counts at
// compile time), the segment plan, the corrections and the build.
#include <gtest/gtest.h>

#include <set>

#include "exec/render_key.hpp"
#include "io/encode_options_json.hpp"
#include "render/warp_params_json.hpp"

namespace sw::exec {
namespace {

// A different value for any field type a description visits.
struct Change {
  template <typename T>
  void operator()(T& field) const {
    if constexpr (std::is_same_v<T, bool>) {
      field = !field;
    } else if constexpr (std::is_same_v<T, std::string>) {
      field += "-other";
    } else if constexpr (std::is_enum_v<T>) {
      field = static_cast<T>(static_cast<int>(field) + 1);
    } else {
      field = field + 1;
    }
  }
};

// Copies of `p`, each with exactly one field changed.
template <typename P>
std::vector<P> one_field_changed(const P& p) {
  std::vector<P> out;
  std::size_t fields = 0;
  describe(p, [&](const char*, const auto&) { ++fields; });
  for (std::size_t k = 0; k < fields; ++k) {
    P changed = p;
    std::size_t i = 0;
    describe(changed, [&](const char*, auto& field) {
      if (i++ == k) Change{}(field);
    });
    out.push_back(changed);
  }
  return out;
}

class RenderKeyTest : public ::testing::Test {
 protected:
  std::string key() const { return render_key({warp, encode, plan, corrections, {}, build}); }
  render::WarpParams warp;
  io::EncodeOptions encode;
  SegmentPlan plan = plan_segments(std::vector<std::uint8_t>(30, 1), 10);
  std::vector<Transform2D> corrections = std::vector<Transform2D>(30);
  std::string build = "v1";
};

TEST_F(RenderKeyTest, EveryWarpAndEncoderFieldChangesTheKey) {
  std::set<std::string> keys = {key()};
  std::size_t variants = 1;
  for (const auto& w : one_field_changed(warp)) {
    keys.insert(render_key({w, encode, plan, corrections, {}, build}));
    ++variants;
  }
  for (const auto& e : one_field_changed(encode)) {
    keys.insert(render_key({warp, e, plan, corrections, {}, build}));
    ++variants;
  }
  EXPECT_EQ(variants,
            1u + 2u + 7u);  // border, fill radius; encoder, crf, preset, threads, pix_fmt, gop,
                            // simd cap
  EXPECT_EQ(keys.size(), variants) << "a field left the key unchanged";
}

TEST_F(RenderKeyTest, PlanCorrectionsAndBuildChangeTheKey) {
  const std::string base = key();
  SegmentPlan other = plan_segments(std::vector<std::uint8_t>(30, 1), 15);
  EXPECT_NE(render_key({warp, encode, other, corrections, {}, build}), base);
  std::vector<Transform2D> moved = corrections;
  moved[17].dy = 0.25;
  EXPECT_NE(render_key({warp, encode, plan, moved, {}, build}), base);
  EXPECT_NE(render_key({warp, encode, plan, corrections, {}, "v2"}), base);
  EXPECT_EQ(key(), base);
}

TEST_F(RenderKeyTest, FullFrameCameraAndCutsChangeTheKey) {
  warp.fill_radius = 15;
  std::vector<Transform2D> camera(30);
  std::vector<std::uint8_t> cut(30, 0);
  const std::string base = render_key({warp, encode, plan, corrections, {camera, cut}, build});
  std::vector<Transform2D> moved = camera;
  moved[5].dx = 0.5;
  EXPECT_NE(render_key({warp, encode, plan, corrections, {moved, cut}, build}), base);
  std::vector<std::uint8_t> split = cut;
  split[12] = 1;
  EXPECT_NE(render_key({warp, encode, plan, corrections, {camera, split}, build}), base);
  EXPECT_EQ(render_key({warp, encode, plan, corrections, {camera, cut}, build}), base);
}

TEST(ParamFields, RoundTripThroughJson) {
  io::EncodeOptions e;
  e.preset = "medium";
  e.gop = 48;
  const auto back = from_json_fields<io::EncodeOptions>(to_json_fields(e), "test");
  EXPECT_EQ(back.preset, "medium");
  EXPECT_EQ(back.gop, 48);
  nlohmann::json missing = to_json_fields(e);
  missing.erase("gop");
  EXPECT_THROW(from_json_fields<io::EncodeOptions>(missing, "test"), Error);
}

}  // namespace
}  // namespace sw::exec
