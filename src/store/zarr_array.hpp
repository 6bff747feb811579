// sw::store::Array: one Zarr v2 array in a Backend, read and written chunk by chunk.
//
// Spec: https://zarr.readthedocs.io/en/stable/spec/v2.html ("Chunk storage" and "Chunk keys").
// The chunk with grid index (i, j, k) is stored under "<path>/i.j.k" ("<path>/i/j/k" when the
// dimension_separator is "/"; a 0-d array has the single key "0"). Every chunk is stored at the
// full chunk shape in C order: an edge chunk is padded with fill_value, exactly as zarr-python
// stores it, and its padding is dropped again on reading. A chunk that was never written reads
// as fill_value.
//
// Threads: an Array is immutable once created or opened, and write_chunk/read_chunk only touch
// their own chunk's key, so several threads may write different chunks of one Array at once
// (the run store does); two threads writing the same chunk is a caller error.
#pragma once

#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/backend.hpp"
#include "store/zarr_meta.hpp"

namespace sw::store {

class Array {
 public:
  // Writes path/.zarray (replacing any existing one) and returns the array. Existing chunks
  // are left alone: the caller compares metadata first when resuming (open() + ==).
  static Array create(std::shared_ptr<Backend> backend, std::string path, ArrayMeta meta);
  // Reads and validates path/.zarray; a missing one, an order other than "C", filters or an
  // unsupported dtype/compressor throw sw::Error naming the file.
  static Array open(std::shared_ptr<Backend> backend, std::string path);

  const ArrayMeta& meta() const { return meta_; }
  const std::string& path() const { return path_; }
  std::size_t item_size() const { return item_size_; }
  // Number of chunks along each dimension: ceil(shape / chunks).
  const std::vector<std::uint64_t>& grid() const { return grid_; }
  // The part of chunk `index` inside the array: min(chunks, shape - index * chunks) per dim.
  std::vector<std::uint64_t> chunk_extent(std::span<const std::uint64_t> index) const;
  std::string chunk_key(std::span<const std::uint64_t> index) const;

  // data holds the chunk's extent (chunk_extent(index)) in C order, item_size() bytes per item.
  void write_chunk(std::span<const std::uint64_t> index, const void* data) const;
  // The chunk's extent in C order; fill_value if the chunk was never written.
  Bytes read_chunk(std::span<const std::uint64_t> index) const;
  bool chunk_exists(std::span<const std::uint64_t> index) const;

  // Whole-array access in C order (e.g. shape (N) or (N, C) rows), chunk by chunk.
  void write_all_bytes(const void* data) const;
  Bytes read_all_bytes() const;

  template <class T>
  void write_all(std::span<const T> values) const {
    check_type(dtype_of<T>(), values.size());
    write_all_bytes(values.data());
  }

  template <class T>
  std::vector<T> read_all() const {
    check_type(dtype_of<T>(), element_count());
    const Bytes bytes = read_all_bytes();
    if constexpr (std::is_same_v<T, bool>) {
      // std::vector<bool> is packed, so bools are converted one by one.
      std::vector<bool> values(bytes.size());
      for (std::size_t i = 0; i < bytes.size(); ++i) values[i] = bytes[i] != 0;
      return values;
    } else {
      std::vector<T> values(element_count());
      std::memcpy(values.data(), bytes.data(), bytes.size());
      return values;
    }
  }

  std::uint64_t element_count() const;

 private:
  Array(std::shared_ptr<Backend> backend, std::string path, ArrayMeta meta);

  void check_index(std::span<const std::uint64_t> index) const;
  void check_type(std::string_view dtype, std::size_t count) const;
  // Encodes a full-shape (padded) chunk buffer and stores it.
  void put_chunk(std::span<const std::uint64_t> index, const Bytes& padded) const;
  // The full-shape chunk buffer: decoded, or filled with fill_value when missing.
  Bytes get_chunk(std::span<const std::uint64_t> index) const;
  Bytes filled_chunk() const;

  std::shared_ptr<Backend> backend_;
  std::string path_;
  ArrayMeta meta_;
  std::size_t item_size_ = 0;
  std::size_t chunk_bytes_ = 0;
  Bytes fill_;
  std::vector<std::uint64_t> grid_;
};

}  // namespace sw::store
