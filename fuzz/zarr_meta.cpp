// Fuzz target: Zarr metadata a hostile store could hold (.zarray, .zattrs, .zgroup) read
// through the array layer, the attributes and a frames array.
//
// Input: one byte choosing what the bytes after it are, then those bytes:
//   0  an array's .zarray: Array::open, then the chunk grid and (when small) every element
//   1  a .zattrs: read_attrs, then written back (the serializer must cope with what parsed)
//   2  a frames array's .zarray: ZarrFrameSource, then frame 0 (when small)
//   3  a .zgroup beside a .zattrs of the same bytes: is_group and read_attrs
// Missing chunks read as the fill value, so opened arrays are read without any chunk data.
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/frame_array.hpp"
#include "store/memory_backend.hpp"
#include "store/zarr_array.hpp"

namespace {

// Reading costs time in proportion to the size the metadata claims; the library bounds that
// size (zarr_array.hpp), this bounds the time one input may take.
constexpr std::uint64_t kReadBudget = 4u << 20;

void open_array(const std::shared_ptr<sw::store::Backend>& backend) {
  const auto array = sw::store::Array::open(backend, "a");
  // What parsed must serialise and parse back to the same metadata.
  const auto again =
      sw::store::ArrayMeta::from_json(nlohmann::json::parse(array.meta().to_text()), "round trip");
  if (!(again == array.meta())) __builtin_trap();
  if (array.element_count() * array.item_size() <= kReadBudget) array.read_all_bytes();
}

void open_frames(const std::shared_ptr<sw::store::Backend>& backend) {
  sw::store::ZarrFrameSource source(backend, "a");
  const auto& chunks = source.array().meta().chunks;
  if (source.frame_count() > 0 &&
      chunks[0] * static_cast<std::uint64_t>(source.width()) * source.height() * 3 <= kReadBudget) {
    sw::FrameView view;
    source.read(0, view);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> body(data + 1, size - 1);
  auto backend = std::make_shared<sw::store::MemoryBackend>();
  try {
    switch (data[0] % 4) {
      case 0:
        backend->put("a/.zarray", body);
        open_array(backend);
        break;
      case 1:
        backend->put(".zattrs", body);
        sw::store::write_attrs(*backend, "copy", sw::store::read_attrs(*backend, ""));
        break;
      case 2:
        backend->put("a/.zarray", body);
        open_frames(backend);
        break;
      default:
        backend->put(".zgroup", body);
        backend->put(".zattrs", body);
        if (sw::store::is_group(*backend, "")) sw::store::read_attrs(*backend, "");
        break;
    }
  } catch (const sw::Error&) {
    // The expected outcome for bytes that are not valid metadata.
  }
  return 0;
}
