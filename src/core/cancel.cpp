#include "core/cancel.hpp"

namespace sw {

std::atomic<bool> g_cancel{false};

}  // namespace sw
