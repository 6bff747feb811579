// Batch stabilize: `stabilize IN1 IN2 ... -o DIR/` and `stabilize DIR -o OUTDIR/`.
//
// The inputs run one after the other, each exactly as a single-file run (its segments spread
// over the threads and, under MPI, over the ranks: the other ranks serve one job per pass, so
// they follow file after file). A directory given as input stands for its regular files with a
// video extension (kVideoExtensions, any case), sorted by name; subdirectories are not entered.
// A Zarr frames array (a directory holding .zarray) stays one input, as in a single-file run.
//
// Names: the output of IN is DIR/<stem of IN><extension of IN>, or DIR/<stem>.mp4 when the
// input's container cannot hold what the encoder writes (a .webm with libx264); with
// --store S, its store is S/<stem>.zarr. Two inputs that would get the same output or store
// are a usage error before anything runs.
//
// Failures: each output is checked as a single run checks -o (never an input of the batch,
// existing only with -y), when its turn comes. A file that fails prints its one error line on
// stderr and the batch goes on; an interrupt (Ctrl-C) or an MPI failure the ranks cannot get
// past ends the batch at once. The summary lists every file, and the exit code is 1 when any
// file failed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sw::cli {

// Lower case, with the dot.
extern const std::vector<std::string> kVideoExtensions;
// ".3g2 .3gp .avi ...", for --help and errors.
std::string video_extensions_text();

struct BatchItem {
  std::string input;
  std::string output;
  std::string store;  // empty without --store
};

// Whether the positional arguments ask for a batch: more than one input, or a directory that
// is not a Zarr frames array.
bool is_batch(const std::vector<std::string>& positional);

// The items of `stabilize INPUTS... -o output_dir [--store store_dir]` (see above). Creates
// output_dir and store_dir when missing. Throws sw::Error: usage when output_dir names no
// directory (a local one must exist or end with '/', an s3:// one must end with '/') or two
// inputs share an output or a store; failure when a directory holds no video.
std::vector<BatchItem> plan_batch(const std::vector<std::string>& inputs,
                                  const std::string& output_dir, const std::string& store_dir,
                                  const std::string& encoder);

// What a file's run reports for the summary.
struct FileSummary {
  std::int64_t frames = 0;
  double jitter_before_px = 0;  // report::residual_jitter of the measured and planned paths
  double jitter_after_px = 0;
};

struct FileResult {
  BatchItem item;
  bool ok = false;
  FileSummary summary;
  double seconds = 0;
  std::string error;  // the one-line error, when !ok
};

// One file: the item and its progress bars' prefix ("[2/5] ").
using StabilizeOne = std::function<FileSummary(const BatchItem&, const std::string& bar_prefix)>;

// Runs every item in turn; a failure is printed on stderr at once and the batch goes on
// (except an interrupt or a broken MPI session: rethrown).
std::vector<FileResult> run_batch(const std::vector<BatchItem>& items, const StabilizeOne& one);

// One line per file on stdout: "IN -> OUT: N frames, T s, jitter A px -> B px (planned)", or
// "IN: FAILED: <error>".
void print_batch_summary(const std::vector<FileResult>& results);

// 0 when every file succeeded; else prints "stillwater: K of N inputs failed: IN, ..." on
// stderr and returns 1.
int batch_exit_code(const std::vector<FileResult>& results);

}  // namespace sw::cli
