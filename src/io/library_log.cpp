#include "io/library_log.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace sw::io {

void set_library_log(bool verbose) {
  av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_QUIET);
}

}  // namespace sw::io
