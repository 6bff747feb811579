// libav's own log goes to stderr and would break the "one line per error" contract; the CLI
// silences it unless the user asks for --verbose.
#pragma once

namespace sw::io {

void set_library_log(bool verbose);

}  // namespace sw::io
