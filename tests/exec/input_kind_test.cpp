// The input factory: the kind chosen by what the path is, the same kind rebuilt by name (what
// an MPI rank does with the job), and an unknown name refused.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "exec/input_kind.hpp"
#include "support/temp_dir.hpp"

namespace sw::exec {
namespace {

TEST(InputKind, ZarrArrayDirectoryIsZarrFramesAnythingElseVideo) {
  test::TempDir dir;
  const auto frames = dir.path() / "frames.zarr";
  std::filesystem::create_directory(frames);
  EXPECT_EQ(input_for(frames.string())->kind(), "video");  // no .zarray yet: not an array
  std::ofstream(frames / ".zarray") << "{}";
  EXPECT_EQ(input_for(frames.string())->kind(), "zarr frames");
  EXPECT_EQ(input_for((dir.path() / "clip.mp4").string())->kind(), "video");
  EXPECT_EQ(input_for("s3://bucket/clip.mp4")->kind(), "video");
}

TEST(InputKind, RebuiltByNameIsTheSameKindAtTheSamePath) {
  for (const std::string kind : {"video", "zarr frames"}) {
    const auto input = input_of_kind(kind, "/some/where");
    EXPECT_EQ(input->kind(), kind);
    EXPECT_EQ(input->path(), "/some/where");
  }
}

TEST(InputKind, OnlyZarrFramesRefuseRenderAndRgbFrames) {
  EXPECT_EQ(input_of_kind("video", "a.mp4")->cannot_render(), "");
  EXPECT_EQ(input_of_kind("video", "a.mp4")->cannot_store_rgb(), "");
  EXPECT_NE(input_of_kind("zarr frames", "a.zarr")->cannot_render(), "");
  EXPECT_NE(input_of_kind("zarr frames", "a.zarr")->cannot_store_rgb(), "");
}

TEST(InputKind, UnknownKindIsAJobError) {
  try {
    input_of_kind("camera pipe", "/dev/video0");
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "job");
    EXPECT_EQ(e.problem(), "unknown input kind 'camera pipe'");
  }
}

}  // namespace
}  // namespace sw::exec
