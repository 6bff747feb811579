#include "cli/batch.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "exec/input_kind.hpp"
#include "exec/mpi_session.hpp"
#include "io/output_format.hpp"

namespace sw::cli {

namespace fs = std::filesystem;

const std::vector<std::string> kVideoExtensions = {
    ".3g2",  ".3gp", ".avi", ".dv",  ".flv", ".m2ts", ".m4v", ".mkv",  ".mov", ".mp4",
    ".mpeg", ".mpg", ".mts", ".mxf", ".ogv", ".ts",   ".vob", ".webm", ".wmv"};

std::string video_extensions_text() {
  std::string list;
  for (const auto& e : kVideoExtensions) list += (list.empty() ? "" : " ") + e;
  return list;
}

namespace {

bool is_s3(const std::string& name) {
  return name.starts_with("s3://");
}

bool has_video_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kVideoExtensions.begin(), kVideoExtensions.end(), ext) != kVideoExtensions.end();
}

bool is_input_directory(const std::string& name) {
  std::error_code ec;
  return !is_s3(name) && fs::is_directory(name, ec) && !exec::is_zarr_frames(name);
}

// The directory's videos, sorted by name (byte order, the same on every machine).
std::vector<std::string> videos_in(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && has_video_extension(it->path())) files.push_back(*it);
  }
  if (ec) throw Error(dir, "cannot list the directory (" + ec.message() + ")");
  if (files.empty())
    throw Error(dir, "no video file in this directory (extensions, any case: " +
                         video_extensions_text() + ")");
  std::sort(files.begin(), files.end());
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.string());
  return names;
}

// `dir` as the batch names files in it: an s3:// prefix ends with '/'. A local one exists as a
// directory, or will be created (create_missing). `option` names it in errors;
// `must_look_like_dir`: a missing local name must end with '/' (-o, which names a file in a
// single run).
std::string batch_directory(const std::string& option, const std::string& dir,
                            bool must_look_like_dir) {
  const bool slash = dir.ends_with('/');
  if (is_s3(dir)) {
    if (!slash && must_look_like_dir)
      throw Error(
          option,
          "with several inputs or a directory, expected an s3:// prefix ending with '/', got " +
              dir,
          ExitCode::usage);
    return slash ? dir : dir + "/";
  }
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw Error(option,
                  "with several inputs or a directory, expected a directory, got the file " + dir,
                  ExitCode::usage);
  } else if (must_look_like_dir && !slash) {
    throw Error(
        option,
        "with several inputs or a directory, expected a directory: an existing one, or end " + dir +
            " with '/' to create it",
        ExitCode::usage);
  }
  return dir;
}

void create_missing(const std::string& dir) {
  if (dir.empty() || is_s3(dir)) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir, "cannot create the directory (" + ec.message() + ")");
}

std::string join(const std::string& dir, const std::string& name) {
  if (is_s3(dir)) return dir + name;  // batch_directory made it end with '/'
  return (fs::path(dir) / name).string();
}

// The same name as another item's, in the normalised form (out/./a.mp4 is out/a.mp4).
std::string normalised(const std::string& name) {
  if (is_s3(name)) return name;
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(name, ec), ec).string();
}

void check_unique(const std::vector<BatchItem>& items, std::string BatchItem::*field,
                  const std::string& what) {
  std::map<std::string, const BatchItem*> seen;
  for (const BatchItem& item : items) {
    if ((item.*field).empty()) continue;
    const auto [it, inserted] = seen.emplace(normalised(item.*field), &item);
    if (!inserted)
      throw Error(it->second->input,
                  "and " + item.input + " would both write the " + what + " " + item.*field +
                      " (rename one, or run them separately)",
                  ExitCode::usage);
  }
}

}  // namespace

bool is_batch(const std::vector<std::string>& positional) {
  return positional.size() > 1 || (positional.size() == 1 && is_input_directory(positional[0]));
}

std::vector<BatchItem> plan_batch(const std::vector<std::string>& inputs,
                                  const std::string& output_dir, const std::string& store_dir,
                                  const std::string& encoder) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    if (is_input_directory(input)) {
      for (auto& f : videos_in(input)) files.push_back(std::move(f));
    } else {
      files.push_back(input);  // a missing or bad file fails in its turn, as a single run would
    }
  }
  const std::string out = batch_directory("-o", output_dir, true);
  const std::string stores = store_dir.empty() ? "" : batch_directory("--store", store_dir, false);
  std::vector<BatchItem> items;
  for (const auto& file : files) {
    const fs::path path(file);
    const std::string stem = path.stem().string();
    std::string name = path.filename().string();
    if (!io::container_takes_encoder(name, encoder)) name = stem + ".mp4";
    items.push_back({file, join(out, name), stores.empty() ? "" : join(stores, stem + ".zarr")});
  }
  check_unique(items, &BatchItem::output, "output");
  check_unique(items, &BatchItem::store, "store");
  create_missing(out);
  create_missing(stores);
  return items;
}

std::vector<FileResult> run_batch(const std::vector<BatchItem>& items, const StabilizeOne& one) {
  std::vector<FileResult> results;
  for (std::size_t k = 0; k < items.size(); ++k) {
    FileResult r;
    r.item = items[k];
    const std::string prefix =
        "[" + std::to_string(k + 1) + "/" + std::to_string(items.size()) + "] ";
    const auto start = std::chrono::steady_clock::now();
    try {
      r.summary = one(items[k], prefix);
      r.ok = true;
    } catch (const Error& e) {
      if (e.code() == ExitCode::interrupted || !exec::mpi::ready_for_next_pass()) throw;
      r.error = e.what();
    } catch (const std::exception& e) {
      if (!exec::mpi::ready_for_next_pass()) throw;
      r.error = std::string("internal error: ") + e.what();
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok) std::fprintf(stderr, "stillwater: %s\n", r.error.c_str());
    results.push_back(std::move(r));
  }
  return results;
}

void print_batch_summary(const std::vector<FileResult>& results) {
  std::size_t failed = 0;
  for (const auto& r : results) failed += r.ok ? 0 : 1;
  std::printf("batch: %zu inputs, %zu stabilized, %zu failed\n", results.size(),
              results.size() - failed, failed);
  for (const auto& r : results) {
    if (r.ok) {
      std::printf("  %s -> %s: %lld frames, %.1f s, jitter %.2f px -> %.2f px (planned)\n",
                  r.item.input.c_str(), r.item.output.c_str(),
                  static_cast<long long>(r.summary.frames), r.seconds, r.summary.jitter_before_px,
                  r.summary.jitter_after_px);
    } else {
      std::printf("  %s: FAILED: %s\n", r.item.input.c_str(), r.error.c_str());
    }
  }
}

int batch_exit_code(const std::vector<FileResult>& results) {
  std::string names;
  std::size_t failed = 0;
  for (const auto& r : results) {
    if (r.ok) continue;
    ++failed;
    names += (names.empty() ? "" : ", ") + r.item.input;
  }
  if (failed == 0) return 0;
  std::fprintf(stderr, "stillwater: %zu of %zu inputs failed: %s\n", failed, results.size(),
               names.c_str());
  return static_cast<int>(ExitCode::failure);
}

}  // namespace sw::cli
