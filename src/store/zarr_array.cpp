#include "store/zarr_array.hpp"

#include <limits>

namespace sw::store {
namespace {

std::string dims_text(std::span<const std::uint64_t> dims) {
  std::string s = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

std::uint64_t checked_product(std::span<const std::uint64_t> dims, std::uint64_t factor,
                              const std::string& subject) {
  std::uint64_t n = factor;
  for (const auto d : dims) {
    if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / d) {
      throw sw::Error(subject, "array too large (expected a size that fits 64 bits, got shape " +
                                   dims_text(dims) + ")");
    }
    n *= d;
  }
  return n;
}

// Copies the box of size `extent` from a C-order buffer of shape src_shape (box corner at
// src_origin) to one of shape dst_shape (corner at dst_origin). Runs along the last dimension
// are contiguous in both, so each is one memcpy.
void copy_box(const std::uint8_t* src, std::span<const std::uint64_t> src_shape,
              std::span<const std::uint64_t> src_origin, std::uint8_t* dst,
              std::span<const std::uint64_t> dst_shape, std::span<const std::uint64_t> dst_origin,
              std::span<const std::uint64_t> extent, std::size_t item) {
  const std::size_t rank = extent.size();
  if (rank == 0) {
    std::memcpy(dst, src, item);
    return;
  }
  for (const auto e : extent) {
    if (e == 0) return;
  }
  std::vector<std::uint64_t> src_stride(rank), dst_stride(rank);
  src_stride[rank - 1] = dst_stride[rank - 1] = item;
  for (std::size_t d = rank - 1; d-- > 0;) {
    src_stride[d] = src_stride[d + 1] * src_shape[d + 1];
    dst_stride[d] = dst_stride[d + 1] * dst_shape[d + 1];
  }
  const std::size_t run = extent[rank - 1] * item;
  std::vector<std::uint64_t> at(rank, 0);  // position inside the box; the last dim stays 0
  while (true) {
    std::uint64_t s = 0, t = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      s += (src_origin[d] + at[d]) * src_stride[d];
      t += (dst_origin[d] + at[d]) * dst_stride[d];
    }
    std::memcpy(dst + t, src + s, run);
    std::size_t d = rank - 1;
    while (d-- > 0) {
      if (++at[d] < extent[d]) break;
      at[d] = 0;
    }
    if (d == static_cast<std::size_t>(-1)) return;
  }
}

// Steps a grid index in C order; false after the last one.
bool next_index(std::vector<std::uint64_t>& index, std::span<const std::uint64_t> grid) {
  for (std::size_t d = index.size(); d-- > 0;) {
    if (++index[d] < grid[d]) return true;
    index[d] = 0;
  }
  return false;
}

}  // namespace

Array::Array(std::shared_ptr<Backend> backend, std::string path, ArrayMeta meta)
    : backend_(std::move(backend)), path_(std::move(path)), meta_(std::move(meta)) {
  const std::string subject = backend_->describe(join_key(path_, ".zarray"));
  // Re-validate through the parser, so created and opened arrays obey the same rules.
  meta_ = ArrayMeta::from_json(meta_.to_json(), subject);
  item_size_ = dtype_size(meta_.dtype, subject);
  chunk_bytes_ = checked_product(meta_.chunks, item_size_, subject);
  checked_product(meta_.shape, item_size_, subject);
  fill_ = meta_.fill_bytes();
  for (std::size_t d = 0; d < meta_.shape.size(); ++d) {
    grid_.push_back((meta_.shape[d] + meta_.chunks[d] - 1) / meta_.chunks[d]);
  }
}

Array Array::create(std::shared_ptr<Backend> backend, std::string path, ArrayMeta meta) {
  Array array(std::move(backend), std::move(path), std::move(meta));
  const std::string text = array.meta_.to_text();
  array.backend_->put(join_key(array.path_, ".zarray"),
                      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  return array;
}

Array Array::open(std::shared_ptr<Backend> backend, std::string path) {
  const std::string key = join_key(path, ".zarray");
  const auto bytes = backend->get(key);
  if (!bytes) {
    throw sw::Error(backend->describe(key), "no Zarr array (expected a .zarray file, got none)");
  }
  const auto j = parse_store_json(*bytes, backend->describe(key), ".zarray");
  auto meta = ArrayMeta::from_json(j, backend->describe(key));
  return Array(std::move(backend), std::move(path), std::move(meta));
}

std::uint64_t Array::element_count() const {
  return checked_product(meta_.shape, 1, path_);
}

void Array::check_index(std::span<const std::uint64_t> index) const {
  bool ok = index.size() == grid_.size();
  for (std::size_t d = 0; ok && d < index.size(); ++d) ok = index[d] < grid_[d];
  if (!ok) {
    throw sw::Error(backend_->describe(join_key(path_, ".zarray")),
                    "chunk index out of range (expected an index below the chunk grid " +
                        dims_text(grid_) + ", got " + dims_text(index) + ")");
  }
}

void Array::check_type(std::string_view dtype, std::size_t count) const {
  const std::string subject = backend_->describe(join_key(path_, ".zarray"));
  if (dtype != meta_.dtype) {
    throw sw::Error(subject, "wrong element type (expected dtype \"" + meta_.dtype + "\", got \"" +
                                 std::string(dtype) + "\")");
  }
  if (count != element_count()) {
    throw sw::Error(subject, "wrong element count (expected " + std::to_string(element_count()) +
                                 " for shape " + dims_text(meta_.shape) + ", got " +
                                 std::to_string(count) + ")");
  }
}

std::vector<std::uint64_t> Array::chunk_extent(std::span<const std::uint64_t> index) const {
  check_index(index);
  std::vector<std::uint64_t> extent(index.size());
  for (std::size_t d = 0; d < index.size(); ++d) {
    extent[d] = std::min(meta_.chunks[d], meta_.shape[d] - index[d] * meta_.chunks[d]);
  }
  return extent;
}

std::string Array::chunk_key(std::span<const std::uint64_t> index) const {
  check_index(index);
  if (index.empty()) return join_key(path_, "0");  // spec: a 0-d array has one chunk, "0"
  std::string name;
  for (std::size_t d = 0; d < index.size(); ++d) {
    if (d) name += meta_.separator();
    name += std::to_string(index[d]);
  }
  return join_key(path_, name);
}

Bytes Array::filled_chunk() const {
  Bytes chunk(chunk_bytes_);
  for (std::size_t at = 0; at < chunk.size(); at += item_size_) {
    std::memcpy(chunk.data() + at, fill_.data(), item_size_);
  }
  return chunk;
}

void Array::put_chunk(std::span<const std::uint64_t> index, const Bytes& padded) const {
  backend_->put(chunk_key(index), encode_chunk(meta_.compressor, padded, item_size_));
}

Bytes Array::get_chunk(std::span<const std::uint64_t> index) const {
  const std::string key = chunk_key(index);
  const auto stored = backend_->get(key);
  if (!stored) return filled_chunk();
  return decode_chunk(meta_.compressor, *stored, chunk_bytes_, backend_->describe(key));
}

void Array::write_chunk(std::span<const std::uint64_t> index, const void* data) const {
  const auto extent = chunk_extent(index);
  // Only an edge chunk needs padding; an interior one is the caller's bytes as they are.
  Bytes padded = extent == meta_.chunks ? Bytes(chunk_bytes_) : filled_chunk();
  const std::vector<std::uint64_t> origin(extent.size(), 0);
  copy_box(static_cast<const std::uint8_t*>(data), extent, origin, padded.data(), meta_.chunks,
           origin, extent, item_size_);
  put_chunk(index, padded);
}

Bytes Array::read_chunk(std::span<const std::uint64_t> index) const {
  const auto extent = chunk_extent(index);
  const Bytes padded = get_chunk(index);
  if (extent == meta_.chunks) return padded;
  Bytes out(checked_product(extent, item_size_, path_));
  const std::vector<std::uint64_t> origin(extent.size(), 0);
  copy_box(padded.data(), meta_.chunks, origin, out.data(), extent, origin, extent, item_size_);
  return out;
}

bool Array::chunk_exists(std::span<const std::uint64_t> index) const {
  return backend_->exists(chunk_key(index));
}

void Array::write_all_bytes(const void* data) const {
  if (element_count() == 0) return;
  const auto* src = static_cast<const std::uint8_t*>(data);
  std::vector<std::uint64_t> index(grid_.size(), 0);
  do {
    const auto extent = chunk_extent(index);
    std::vector<std::uint64_t> origin(index.size());
    for (std::size_t d = 0; d < index.size(); ++d) origin[d] = index[d] * meta_.chunks[d];
    Bytes padded = extent == meta_.chunks ? Bytes(chunk_bytes_) : filled_chunk();
    const std::vector<std::uint64_t> zero(index.size(), 0);
    copy_box(src, meta_.shape, origin, padded.data(), meta_.chunks, zero, extent, item_size_);
    put_chunk(index, padded);
  } while (next_index(index, grid_));
}

Bytes Array::read_all_bytes() const {
  const std::uint64_t size = checked_product(meta_.shape, item_size_, path_);
  if (size > kMaxInMemoryBytes) {
    throw sw::Error(backend_->describe(join_key(path_, ".zarray")),
                    "array too large to read at once (expected at most " +
                        std::to_string(kMaxInMemoryBytes >> 20) + " MiB, got shape " +
                        dims_text(meta_.shape) + ")");
  }
  Bytes out(size);
  if (out.empty()) return out;
  std::vector<std::uint64_t> index(grid_.size(), 0);
  do {
    const auto extent = chunk_extent(index);
    std::vector<std::uint64_t> origin(index.size());
    for (std::size_t d = 0; d < index.size(); ++d) origin[d] = index[d] * meta_.chunks[d];
    const Bytes padded = get_chunk(index);
    const std::vector<std::uint64_t> zero(index.size(), 0);
    copy_box(padded.data(), meta_.chunks, zero, out.data(), meta_.shape, origin, extent,
             item_size_);
  } while (next_index(index, grid_));
  return out;
}

}  // namespace sw::store
