// One function per subcommand; each returns the process exit code and throws sw::Error on
// failure (main() prints it as one line).
#pragma once

#include <span>

namespace sw::cli {

int cmd_stabilize(std::span<char* const> args);
int cmd_metrics(std::span<char* const> args);
int cmd_analyze(std::span<char* const> args);
int cmd_render(std::span<char* const> args);
int cmd_report(std::span<char* const> args);

}  // namespace sw::cli
