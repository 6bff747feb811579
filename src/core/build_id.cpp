#include "core/build_id.hpp"

#include "build_id_value.hpp"

namespace sw {

std::string_view build_id() {
  return SW_BUILD_ID;
}

}  // namespace sw
