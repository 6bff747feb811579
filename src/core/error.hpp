// sw::Error: the one exception type of stillwater.
//
// A run that cannot continue throws Error{subject, problem}; cli/main.cpp catches it once and
// prints "subject: problem" as a single stderr line, then exits with the error's exit code.
// Conditions that are expected per frame (no features, a failed fit) are not errors: they are
// status fields inside the value types (see core/types.hpp).
#pragma once

#include <stdexcept>
#include <string>

namespace sw {

// Exit codes, documented in `stillwater --help`.
enum class ExitCode : int {
  ok = 0,
  failure = 1,  // the run could not complete (bad input, I/O error, ...)
  usage = 2,    // bad command line
  interrupted = 130,
};

class Error : public std::runtime_error {
 public:
  // subject: usually a file path (or an option name); problem: "expected X, got Y" style text.
  Error(std::string subject, std::string problem, ExitCode code = ExitCode::failure)
      : std::runtime_error(subject.empty() ? problem : subject + ": " + problem),
        subject_(std::move(subject)),
        problem_(std::move(problem)),
        code_(code) {}

  const std::string& subject() const { return subject_; }
  const std::string& problem() const { return problem_; }
  ExitCode code() const { return code_; }

 private:
  std::string subject_;
  std::string problem_;
  ExitCode code_;
};

}  // namespace sw
