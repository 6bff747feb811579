#include "exec/render_key.hpp"

#include <nlohmann/json.hpp>

#include "core/sha256.hpp"
#include "io/encode_options_json.hpp"
#include "render/warp_params_json.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

std::string render_key(const RenderKey& k) {
  nlohmann::json key = {
      {"warp", to_json_fields(k.warp)}, {"encode", to_json_fields(k.encode)}, {"build", k.build}};
  key["plan"] = nlohmann::json::array();
  for (const auto& s : k.plan.segments)
    key["plan"].push_back({s.begin, s.end, s.decode_from, s.decode_to});
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(k.corrections.data());
  key["corrections"] = sha256_hex({bytes, k.corrections.size_bytes()});
  if (k.warp.fill_radius > 0) {
    const auto* camera = reinterpret_cast<const std::uint8_t*>(k.fill.camera.data());
    key["camera"] = sha256_hex({camera, k.fill.camera.size_bytes()});
    key["cut"] = sha256_hex({k.fill.cut.data(), k.fill.cut.size()});
  }
  const std::string text = key.dump();
  return sha256_hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

}  // namespace sw::exec
