#include "cli/shard_option.hpp"

#include <charconv>
#include <cstdlib>

#include "core/error.hpp"

namespace sw::cli {

namespace {

constexpr const char* kIndexVariables[] = {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX",
                                           "AWS_BATCH_JOB_ARRAY_INDEX"};

Error usage(const std::string& why) {
  return Error("--shard", why, ExitCode::usage);
}

// A whole number >= 0 and nothing else, or nothing.
std::optional<long long> whole_number(const std::string& text) {
  long long value = -1;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || value < 0) return std::nullopt;
  return value;
}

// K from the scheduler's environment (see shard_option.hpp).
long long index_from_environment(const Environment& env) {
  for (const char* name : kIndexVariables) {
    const auto value = env(name);
    if (!value) continue;
    const auto index = whole_number(*value);
    if (!index) throw usage(std::string(name) + " is '" + *value + "', expected a whole number");
    if (std::string(name) != "SLURM_ARRAY_TASK_ID") return *index;
    const auto min_text = env("SLURM_ARRAY_TASK_MIN");
    if (!min_text) return *index;
    const auto min = whole_number(*min_text);
    if (!min || *min > *index)
      throw usage("SLURM_ARRAY_TASK_MIN is '" + *min_text + "', expected a whole number up to " +
                  "SLURM_ARRAY_TASK_ID (" + *value + ")");
    return *index - *min;
  }
  throw usage(
      "auto/N: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is "
      "set (give K/N)");
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

exec::Shard parse_shard(const std::string& text, const Environment& env) {
  const std::size_t slash = text.find('/');
  const auto count =
      slash == std::string::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!count || *count < 1 || *count > 1000000)
    throw usage("expected K/N or auto/N with N a whole number from 1, got '" + text + "'");
  const std::string k = text.substr(0, slash);
  long long index = 0;
  if (k == "auto") {
    index = index_from_environment(env);
  } else if (const auto given = whole_number(k)) {
    index = *given;
  } else {
    throw usage("expected K/N or auto/N with K a whole number from 0, got '" + text + "'");
  }
  if (index >= *count)
    throw usage("shard " + std::to_string(index) + " of " + std::to_string(*count) +
                ": K counts from 0, so it must be below N (a Slurm --array=1-" +
                std::to_string(*count) + " needs SLURM_ARRAY_TASK_MIN, which sbatch sets)");
  return {static_cast<int>(index), static_cast<int>(*count)};
}

std::optional<exec::Shard> shard_from(const Args& args) {
  if (!args.given("--shard")) return std::nullopt;
  const exec::Shard shard = parse_shard(args.text("--shard"));
  if (args.text("--store").empty()) throw usage("needs --store (the shards meet there)");
  if (args.given("--store-frames") && args.text("--store-frames") != "none")
    throw usage("not with --store-frames (its frames are kept by a run without shards)");
  return shard;
}

}  // namespace sw::cli
