// RunStore on any Backend: render pieces reach a backend without files (memory, S3) through a
// scratch file and put_file/get_file, and a directory's pieces are encoded in place; a store
// opened for reading is refused with one line when there is none; the path arrays read back
// as written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "store/local_backend.hpp"
#include "store/memory_backend.hpp"
#include "store/run_store.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;

RunDescription description() {
  RunDescription run;
  run.input = {{"name", "in.mp4"}, {"fingerprint", "sha256:00"}};
  run.analysis = {{"analysis_width", 640}};
  return run;
}

std::string text_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(RunStore, PiecesOfABackendWithoutFilesGoThroughAScratchFile) {
  const auto backend = std::make_shared<MemoryBackend>();
  std::string scratch;
  {
    RunStore store = RunStore::open(backend, "memory", description());
    store.begin_render("key-1");
    scratch = store.piece_scratch_path(2);
    std::ofstream(scratch, std::ios::binary) << "piece two";
    EXPECT_FALSE(store.piece_done(2));
    store.publish_piece(2);
    EXPECT_TRUE(store.piece_done(2));
    const std::string value = "piece two";
    EXPECT_EQ(backend->get("_progress/render/piece_000002.mp4"), Bytes(value.begin(), value.end()));
  }
  EXPECT_FALSE(fs::exists(scratch));  // the scratch directory goes with the store

  RunStore again = RunStore::open(backend, "memory", description());
  again.begin_render("key-1");  // the same key keeps the pieces
  ASSERT_TRUE(again.piece_done(2));
  EXPECT_EQ(text_of_file(again.fetch_piece(2)), "piece two");
  again.begin_render("key-2");  // another key discards them
  EXPECT_FALSE(again.piece_done(2));
}

TEST(RunStore, PiecesOfADirectoryAreEncodedInPlace) {
  test::TempDir dir("sw-run-store");
  const fs::path root = dir.path() / "run.zarr";
  RunStore store = RunStore::open(root.string(), description());
  store.begin_render("key-1");
  const std::string piece = store.piece_scratch_path(0);
  EXPECT_EQ(piece, (root / "_progress" / "render" / "piece_000000.mp4").string());
  std::ofstream(piece, std::ios::binary) << "piece zero";
  store.publish_piece(0);  // nothing to copy
  EXPECT_TRUE(store.piece_done(0));
  EXPECT_EQ(store.fetch_piece(0), piece);
  EXPECT_EQ(text_of_file(piece), "piece zero");
}

TEST(RunStore, OpenExistingRefusesWhatIsNotAStore) {
  test::TempDir dir("sw-run-store");
  const auto message = [](const std::string& location) {
    try {
      RunStore::open_existing(location);
    } catch (const sw::Error& e) {
      return std::string(e.what());
    }
    return std::string("(opened)");
  };
  EXPECT_EQ(message(dir.file("none.zarr")), dir.file("none.zarr") + ": no such store");
  std::ofstream(dir.file("notes.txt")) << "x";
  EXPECT_EQ(message(dir.path().string()),
            dir.path().string() + ": is not a stillwater store (no .zgroup)");
  EXPECT_FALSE(fs::exists(dir.file("none.zarr")));  // reading creates nothing, not even a lock
}

TEST(RunStore, PathReadsBackAsWritten) {
  const auto backend = std::make_shared<MemoryBackend>();
  RunStore store = RunStore::open(backend, "memory", description());
  path::PathResult p;
  p.trajectory = {{0, 0, 0}, {1.5, -2, 0.01}, {3, -4.25, 0.02}};
  p.smoothed = {{0, 0, 0}, {1, -1, 0.005}, {2, -2, 0.01}};
  p.lof = {1, 1.25, 3.5};
  p.outlier = {0, 0, 1};
  p.radius = {15, 15, 30};
  p.cut = {0, 1, 0};
  p.repeat = {0, 0, 1};
  p.correction = {{0, 0, 0, 1}, {-0.5, 1, -0.005, 1.1}, {-1, 2.25, -0.01, 1.2}};
  store.write_path(p);

  const path::PathResult got = store.read_path(3);
  ASSERT_EQ(got.trajectory.size(), 3u);
  EXPECT_EQ(got.trajectory[2].y, -4.25);
  EXPECT_EQ(got.smoothed[1].x, 1);
  EXPECT_EQ(got.lof, p.lof);
  EXPECT_EQ(got.outlier, p.outlier);
  EXPECT_EQ(got.radius, p.radius);
  EXPECT_EQ(got.cut, p.cut);
  EXPECT_EQ(got.repeat, p.repeat);
  ASSERT_EQ(got.correction.size(), 3u);
  EXPECT_EQ(got.correction[2].dy, 2.25);
  EXPECT_EQ(got.correction[2].zoom, 1.2);
  try {
    store.read_path(4);
    ADD_FAILURE() << "a path of another length was read";
  } catch (const sw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected shape (4, 3)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sw::store
