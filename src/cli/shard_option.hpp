// --shard K/N and --shard auto/N (exec/shard.hpp): one shard of a job array.
//
// K is 0-based, in [0, N). auto takes K from the scheduler's environment, the first of these
// that is set:
//   SLURM_ARRAY_TASK_ID        Slurm job array; minus SLURM_ARRAY_TASK_MIN when that is set,
//                              so --array=1-4 gives K = 0..3 as --array=0-3 does
//   JOB_COMPLETION_INDEX       Kubernetes Indexed Job (0-based)
//   AWS_BATCH_JOB_ARRAY_INDEX  AWS Batch array job (0-based)
// None set, a value that is not a whole number, or K outside [0, N): a usage error naming the
// option (exit 2).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "cli/options.hpp"
#include "exec/shard.hpp"

namespace sw::cli {

inline constexpr const char* kShardHelp =
    "do only the segments of shard K of N (segment i belongs to shard i mod N; K from 0) and "
    "stage them in --store, shared with the other shards (a job array); a later run without "
    "--shard finishes (missing segments, then the rest). auto/N: K from SLURM_ARRAY_TASK_ID "
    "(minus SLURM_ARRAY_TASK_MIN), JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX, the first "
    "set. stabilize: an analysis shard (docs/cluster.md)";

// The environment, as the parser reads it (std::getenv unless a test gives another).
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);

// The shard `text` names ("K/N" or "auto/N").
exec::Shard parse_shard(const std::string& text, const Environment& env = process_environment);

// --shard's value when given (checked: it needs --store, and not --store-frames).
std::optional<exec::Shard> shard_from(const Args& args);

}  // namespace sw::cli
