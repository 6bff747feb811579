// The run store from the outside: zarr-python and Dask read it, a correction array edited in
// Python drives render, analyze reads frames that dask.array.to_zarr wrote, and a store that
// does not belong to the run is refused with one line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

std::string python(const std::string& script) {
  return shell("/usr/bin/python3 - <<'PYEOF'\n" + script + "\nPYEOF");
}

class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    ClipSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 60;
    spec.gop = 20;
    spec.seed = 3;
    make_shaky_clip(dir.file("in.mp4"), spec);
  }
  TempDir dir;
};

TEST_F(Store, ZarrPythonReadsTheNumbersWeHold) {
  const auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"),
                                 "--store", dir.file("run.zarr"), "--path-csv",
                                 dir.file("path.csv"), "--store-frames", "rgb", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The CSV (our numbers, printed with 17 digits) against what zarr-python reads.
  const auto out = python(
      "import zarr, numpy as np, csv, dask.array as da\n"
      "g = zarr.open_group('" +
      dir.file("run.zarr") +
      "', mode='r')\n"
      "rows = list(csv.DictReader(open('" +
      dir.file("path.csv") +
      "')))\n"
      "n = len(rows)\n"
      "col = lambda k: np.array([float(r[k]) for r in rows])\n"
      "assert g['motion'].shape == (n, 3) and g['correction'].shape == (n, 4)\n"
      "assert np.array_equal(g['motion'][:, 0], col('dx')) and np.array_equal(g['motion'][:, 2], "
      "col('da'))\n"
      "assert np.array_equal(g['trajectory'][:, 1], col('y')) and np.array_equal(g['smoothed'][:, "
      "0], col('smooth_x'))\n"
      "assert np.array_equal(g['lof'][:], col('lof')) and np.array_equal(g['radius'][:], "
      "col('radius'))\n"
      "assert np.array_equal(g['correction'][:, 0], col('corr_dx')) and "
      "np.array_equal(g['correction'][:, 3], col('zoom'))\n"
      "assert np.array_equal(g['features'][:, 2], col('inliers')) and np.array_equal(g['pts'][:], "
      "col('pts'))\n"
      "assert g.attrs['input']['name'] == 'in.mp4' and g.attrs['analysis']['analysis_width'] == "
      "640\n"
      "f = da.from_zarr('" +
      dir.file("run.zarr") +
      "/frames')\n"
      "assert f.shape == (n, 240, 320, 3) and f.chunks[0] == (1,) * n\n"
      "print(int(f.sum().compute()), int(g['frames'][:].astype(np.int64).sum()))\n");
  std::istringstream sums(out);
  long long dask_sum = 0, numpy_sum = 0;
  sums >> dask_sum >> numpy_sum;
  EXPECT_GT(dask_sum, 0);
  EXPECT_EQ(dask_sum, numpy_sum);
}

TEST_F(Store, RenderUsesCorrectionsEditedInPython) {
  // A fixed, roomy window, so that the stored corrections surely halve the shake and an
  // edit back to the identity is plain to see (the default's per-shot window on a clip this
  // short, 60 frames, removes less: a third to a half).
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"),
                            "--crop-zoom", "1.15", "-q"})
                .exit_code,
            0);
  ASSERT_EQ(run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-o",
                            dir.file("smooth.mp4"), "-q"})
                .exit_code,
            0);
  // The user replaces the corrections by "no correction, no zoom": the output is the input.
  python(
      "import zarr, numpy as np\n"
      "g = zarr.open_group('" +
      dir.file("run.zarr") +
      "', mode='r+')\n"
      "c = np.zeros(g['correction'].shape); c[:, 3] = 1.0\n"
      "g['correction'][:] = c\n");
  const auto r = run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("run.zarr"),
                                 "-o", dir.file("edited.mp4"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(file_bytes(dir.file("edited.mp4")) == file_bytes(dir.file("smooth.mp4")));
  auto jitter = [&](const std::string& f) {
    const auto m = run_stillwater({"metrics", f, "--json", "-q"});
    return std::stod(m.out.substr(m.out.find(':', m.out.find("translation_px")) + 1));
  };
  const double input = jitter(dir.file("in.mp4"));
  EXPECT_NEAR(jitter(dir.file("edited.mp4")), input, 0.05 * input)
      << "identity corrections keep the shake";
  EXPECT_LT(jitter(dir.file("smooth.mp4")), 0.5 * input);
}

TEST_F(Store, AnalyzeReadsFramesThatDaskWrote) {
  // A textured image shifted by known whole pixels per frame, as RGB frames in a Zarr array.
  python(
      "import numpy as np, dask.array as da\n"
      "rng = np.random.default_rng(1)\n"
      "big = rng.integers(0, 256, size=(300, 400, 3), dtype=np.uint8)\n"
      "big = ((big.astype(np.float32) + np.roll(big, 1, 0) + np.roll(big, 1, 1) + np.roll(big, 2, "
      "0)) / 4).astype(np.uint8)\n"
      "shifts = [(3 * i, 2 * i) for i in range(12)]\n"
      "frames = np.stack([big[50 + dy:50 + dy + 160, 40 + dx:40 + dx + 240] for dx, dy in "
      "shifts])\n"
      "da.from_array(frames, chunks=(1, 160, 240, 3)).to_zarr('" +
      dir.file("frames.zarr") + "')\n");
  const auto r = run_stillwater({"analyze", dir.file("frames.zarr"), "--store",
                                 dir.file("run.zarr"), "--analysis-width", "0", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = python(
      "import zarr, numpy as np\n"
      "m = zarr.open_group('" +
      dir.file("run.zarr") +
      "', mode='r')['motion'][:]\n"
      "print(np.abs(m[1:, 0] + 3).max(), np.abs(m[1:, 1] + 2).max(), np.abs(m[1:, 2]).max())\n");
  std::istringstream errors(out);
  double ex = 1, ey = 1, ea = 1;
  errors >> ex >> ey >> ea;
  // Content moves left/up by (3, 2) px a frame.
  EXPECT_LT(ex, 0.05);
  EXPECT_LT(ey, 0.05);
  EXPECT_LT(ea, 1e-3);
}

TEST_F(Store, EveryCompressorReadsBackTheSameNumbers) {
  for (const std::string name : {"blosc-lz4", "blosc-zstd", "zstd", "none"}) {
    const auto r = run_stillwater({"analyze", dir.file("in.mp4"), "--store",
                                   dir.file(name + ".zarr"), "--store-compressor", name, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto out = python(
      "import zarr, numpy as np\n"
      "d = '" +
      dir.path().string() +
      "/'\n"
      "ref = zarr.open_group(d + 'blosc-lz4.zarr', mode='r')\n"
      "ids = {'blosc-zstd': ('blosc', 'zstd'), 'zstd': ('zstd', None), 'none': None}\n"
      "for name, want in ids.items():\n"
      "    g = zarr.open_group(d + name + '.zarr', mode='r')\n"
      "    for a in ('motion', 'trajectory', 'correction', 'lof', 'status', 'pts'):\n"
      "        assert np.array_equal(g[a][:], ref[a][:]), (name, a)\n"
      "    c = g['motion'].compressor\n"
      "    got = None if c is None else (c.codec_id, getattr(c, 'cname', None))\n"
      "    assert got == want, (name, got)\n"
      "print('ok')\n");
  EXPECT_EQ(out, "ok\n");
}

void expect_one_line_failure(const RunResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST_F(Store, StoreOfAnotherVideoIsRefused) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  ClipSpec other;
  other.frames = 30;
  other.seed = 99;
  make_shaky_clip(dir.file("other.mp4"), other);
  expect_one_line_failure(run_stillwater({"stabilize", dir.file("other.mp4"), "-o",
                                          dir.file("o.mp4"), "--store", dir.file("run.zarr")}),
                          "another input");
  EXPECT_FALSE(fs::exists(dir.file("o.mp4")));
  expect_one_line_failure(run_stillwater({"analyze", dir.file("in.mp4"), "--store",
                                          dir.file("run.zarr"), "--analysis-width", "320"}),
                          "analysis_width");
  // How the analysis decodes is an analysis parameter too (the motions depend on it).
  expect_one_line_failure(run_stillwater({"analyze", dir.file("in.mp4"), "--store",
                                          dir.file("run.zarr"), "--analysis-deblock", "off"}),
                          "deblock");
}

TEST_F(Store, CorruptChunkIsNamed) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  std::ofstream(dir.file("run.zarr/motion/0.0"), std::ios::binary | std::ios::trunc) << "garbage";
  expect_one_line_failure(
      run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-o",
                      dir.file("o.mp4"), "--replan"}),
      "motion/0.0");
  EXPECT_FALSE(fs::exists(dir.file("o.mp4")));
}

TEST_F(Store, ReadOnlyStoreDirectoryIsRefused) {
  fs::create_directory(dir.file("ro.zarr"));
  fs::permissions(dir.path(), fs::perms::all);
  fs::permissions(dir.file("ro.zarr"), fs::perms::owner_read | fs::perms::owner_exec |
                                           fs::perms::group_read | fs::perms::group_exec |
                                           fs::perms::others_read | fs::perms::others_exec);
  std::vector<std::string> args = {"analyze", dir.file("in.mp4"), "--store", dir.file("ro.zarr")};
  RunResult r;
  if (geteuid() == 0) {  // root writes anywhere: run as nobody
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", SW_BINARY});
    r = run("setpriv", args);
  } else {
    r = run_stillwater(args);
  }
  expect_one_line_failure(r, "ro.zarr");
  EXPECT_TRUE(fs::is_empty(dir.file("ro.zarr")));
}

// --- a store that others (a user, another run, a crash) have been at ---

TEST_F(Store, LinkInsideTheStoreIsRefusedAndNothingOutsideIsDeleted) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  fs::create_directory(dir.file("videos"));
  std::ofstream(dir.file("videos/holiday.mp4")) << "a user's video";
  fs::remove_all(dir.file("run.zarr/_progress/render"));
  fs::create_directory_symlink(dir.file("videos"), dir.file("run.zarr/_progress/render"));
  expect_one_line_failure(run_stillwater({"render", dir.file("in.mp4"), "--store",
                                          dir.file("run.zarr"), "-o", dir.file("o.mp4")}),
                          "symbolic link");
  EXPECT_TRUE(fs::exists(dir.file("videos/holiday.mp4")));
}

TEST_F(Store, SecondRunOnAStoreInUseIsRefused) {
  const std::vector<std::string> analyze = {"analyze", dir.file("in.mp4"), "--store",
                                            dir.file("run.zarr"), "-q"};
  ASSERT_EQ(run_stillwater(analyze).exit_code, 0);
  // This process plays the first run, holding the lock as a run does.
  const int fd =
      ::open((dir.file("run.zarr") + "/.stillwater.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(::pwrite(fd, "4242\n", 5, 0), 5);
  expect_one_line_failure(run_stillwater(analyze), "store is in use by another run (pid 4242)");
  ::close(fd);
  EXPECT_EQ(run_stillwater(analyze).exit_code, 0) << "free again once the holder is gone";
}

TEST_F(Store, ArraysWithoutTheirCompletionMarkAreMeasuredAgain) {
  const std::vector<std::string> analyze = {
      "analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "--segment-frames", "20",
      "-q"};
  ASSERT_EQ(run_stillwater(analyze).exit_code, 0);
  const std::string status = file_bytes(dir.file("run.zarr/status/0"));
  ASSERT_FALSE(status.empty());
  // What a kill -9 between status/.zarray and its chunk leaves: the metadata, no chunk, and
  // the motions not marked complete.
  fs::remove(dir.file("run.zarr/status/0"));
  python("import json\np = '" + dir.file("run.zarr/.zattrs") +
         "'\na = json.load(open(p))\na.setdefault('complete', {})['motions'] = False\n"
         "json.dump(a, open(p, 'w'))\n");
  const auto r = run_stillwater(analyze);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(file_bytes(dir.file("run.zarr/status/0")) == status)
      << "the statuses come back as measured, not as fill values";
}

TEST_F(Store, DamagedStagedRecordsAreMeasuredAgain) {
  std::vector<std::string> analyze = {
      "analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "--segment-frames", "20"};
  ASSERT_EQ(run_stillwater(analyze).exit_code, 0);
  const std::string motion = file_bytes(dir.file("run.zarr/motion/0.0"));
  // Segments [0, 20), [20, 40), [40, 60): segment 1's record gets 2 columns, segment 2's
  // frame numbers are shifted by 5 (it would write past the last frame); the final arrays
  // are gone, so the records are all there is.
  python("import zarr, numpy as np, shutil\ng = '" + dir.file("run.zarr") +
         "'\n"
         "z = zarr.open_array(g + '/_progress/analysis/000001', mode='w', shape=(20, 2), "
         "chunks=(20, 2), dtype='<f8')\n"
         "z[:] = np.arange(40).reshape(20, 2) + 21\n"
         "r = zarr.open_array(g + '/_progress/analysis/000002', mode='r+')\n"
         "v = r[:]\nv[:, 0] += 5\nr[:] = v\n"
         "shutil.rmtree(g + '/status')\n");
  const auto r = run_stillwater(analyze);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("000001: damaged staged record"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("000002: damaged staged record"), std::string::npos) << r.err;
  EXPECT_TRUE(file_bytes(dir.file("run.zarr/motion/0.0")) == motion)
      << "the two segments measured again give the same motions";
}

TEST_F(Store, EditedFramesInputIsNotTakenForTheSame) {
  python(
      "import numpy as np, dask.array as da\n"
      "rng = np.random.default_rng(2)\n"
      "frames = rng.integers(0, 256, size=(8, 96, 128, 3), dtype=np.uint8)\n"
      "da.from_array(frames, chunks=(1, 96, 128, 3)).to_zarr('" +
      dir.file("frames.zarr") + "')\n");
  const std::vector<std::string> analyze = {"analyze", dir.file("frames.zarr"), "--store",
                                            dir.file("run.zarr"), "-q"};
  ASSERT_EQ(run_stillwater(analyze).exit_code, 0);
  // One frame replaced: its chunk changes, the .zarray does not.
  python("import zarr\nz = zarr.open_array('" + dir.file("frames.zarr") +
         "', mode='r+')\nz[5] = 0\n");
  expect_one_line_failure(run_stillwater(analyze), "another input");
}

TEST_F(Store, AbsurdPictureSizeInTheStoreIsRefusedByReport) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  python("import json\np = '" + dir.file("run.zarr/.zattrs") +
         "'\na = json.load(open(p))\na['input']['width'] = 1\na['input']['height'] = 100000000\n"
         "json.dump(a, open(p, 'w'))\n");
  // timeout: before the fix, report worked on such a picture for hours (and ignored SIGTERM).
  expect_one_line_failure(run("timeout", {"-s", "KILL", "60", SW_BINARY, "report",
                                          dir.file("run.zarr"), "-o", dir.file("r.html")}),
                          "invalid picture size");
}

}  // namespace
}  // namespace sw::test
