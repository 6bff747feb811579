#include "store/frame_array.hpp"

#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "store/frame_color.hpp"
#include "store/local_backend.hpp"

namespace sw::store {
namespace {

// "(5, 12, 10, 3)" for a list of integers, the JSON text otherwise.
std::string shape_text(const nlohmann::json& shape) {
  if (!shape.is_array()) return json_excerpt(shape);
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (!shape[i].is_number_integer()) return json_excerpt(shape);
    s += (i ? ", " : "") + shape[i].dump();
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

// Checks the .zarray for the frames layout before the array layer opens it, so that every
// wrong array (a dtype the layer cannot read included) gets the same "expected a frames
// array" message. A missing or unreadable .zarray is left to Array::open to report.
void check_frames_layout(const Backend& backend, const std::string& path,
                         const std::string& subject) {
  const auto bytes = backend.get(join_key(path, ".zarray"));
  if (!bytes) return;
  const auto j = parse_store_json(*bytes, subject + "/.zarray", ".zarray");
  if (!j.is_object()) return;
  const nlohmann::json none;
  const auto& shape = j.contains("shape") ? j["shape"] : none;
  const auto& dtype = j.contains("dtype") ? j["dtype"] : none;
  const auto& order = j.contains("order") ? j["order"] : none;
  const bool ok = shape.is_array() && shape.size() == 4 && shape[3].is_number_integer() &&
                  shape[3] == 3 && dtype == "|u1" && order == "C";
  if (!ok) {
    throw sw::Error(subject, "expected a frames array (N, H, W, 3) uint8, got shape " +
                                 shape_text(shape) + ", dtype " + json_excerpt(dtype) + ", order " +
                                 json_excerpt(order));
  }
}

// x as num/den with den <= max_den: the last continued-fraction convergent that fits, which
// recovers the usual rates (25, 30000/1001, 24000/1001, 25/2) from their decimal forms.
Rational to_rational(double x, std::int64_t max_den) {
  std::int64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
  double v = x;
  for (int i = 0; i < 64; ++i) {
    const double a = std::floor(v);
    if (a > 1e9) break;
    const auto ai = static_cast<std::int64_t>(a);
    const std::int64_t q2 = q0 + ai * q1;
    if (q2 > max_den) break;
    const std::int64_t p2 = p0 + ai * p1;
    p0 = p1, q0 = q1, p1 = p2, q1 = q2;
    const double frac = v - a;
    if (frac < 1e-9) break;
    v = 1 / frac;
  }
  return {static_cast<int>(p1), static_cast<int>(q1)};
}

Rational read_fps(const Backend& backend, const std::string& path, const std::string& subject) {
  const nlohmann::json attrs = read_attrs(backend, path);
  const auto it = attrs.find("fps");
  if (it == attrs.end()) return {kDefaultFramesFps, 1};
  const double fps = it->is_number() ? it->get<double>() : 0;
  if (!it->is_number() || !(fps >= kMinFramesFps && fps <= kMaxFramesFps)) {
    throw sw::Error(
        subject + "/.zattrs",
        "invalid fps (expected a number from 0.001 to 1000000, got " + json_excerpt(*it) + ")");
  }
  return frames_fps(fps);
}

std::string trim_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Rational frames_fps(double fps) {
  return to_rational(fps, 1001);
}

ZarrFrameSource::ZarrFrameSource(const std::filesystem::path& array_dir)
    : ZarrFrameSource(std::make_shared<LocalBackend>(array_dir), "", array_dir.string()) {}

ZarrFrameSource::ZarrFrameSource(const std::filesystem::path& group_dir,
                                 const std::string& array_name)
    : ZarrFrameSource(std::make_shared<LocalBackend>(group_dir), array_name,
                      (group_dir / array_name).string()) {}

ZarrFrameSource::ZarrFrameSource(std::shared_ptr<Backend> backend, const std::string& path,
                                 std::string subject)
    : subject_(subject.empty() ? trim_slash(backend->describe(path)) : std::move(subject)),
      array_((check_frames_layout(*backend, path, subject_), Array::open(backend, path))) {
  const ArrayMeta& m = array_.meta();
  // The frame index holds N entries and a chunk row of frames is decoded at once: refuse
  // what no video has rather than allocate (or loop) for it.
  if (m.shape[0] > kMaxFrames || m.shape[1] > kMaxFrameSide || m.shape[2] > kMaxFrameSide ||
      m.shape[1] == 0 || m.shape[2] == 0) {
    throw sw::Error(subject_, "invalid frames array (expected N <= " + std::to_string(kMaxFrames) +
                                  " and H, W from 1 to " + std::to_string(kMaxFrameSide) +
                                  ", got shape " + shape_text(m.shape) + ")");
  }
  if (m.chunks[0] * m.shape[1] * m.shape[2] * 3 > kMaxInMemoryBytes) {
    throw sw::Error(subject_, "invalid frames array (expected chunks of at most " +
                                  std::to_string(kMaxInMemoryBytes >> 20) + " MiB of frames, got " +
                                  std::to_string(m.chunks[0]) + " frames per chunk)");
  }
  frames_ = static_cast<std::int64_t>(m.shape[0]);
  height_ = static_cast<int>(m.shape[1]);
  width_ = static_cast<int>(m.shape[2]);
  frames_per_chunk_ = m.chunks[0];
  fps_ = read_fps(*backend, path, subject_);
  luma_.resize(static_cast<std::size_t>(width_) * height_);
}

FrameIndex ZarrFrameSource::frame_index() const {
  FrameIndex index;
  index.pts.resize(static_cast<std::size_t>(frames_));
  for (std::int64_t k = 0; k < frames_; ++k) index.pts[static_cast<std::size_t>(k)] = k;
  index.keyframe.assign(static_cast<std::size_t>(frames_), 1);
  index.time_base = {fps_.den, fps_.num};
  return index;
}

// Decodes every chunk of chunk row `row` along N and assembles its frames, (n, H, W, 3).
void ZarrFrameSource::load_chunk_row(std::uint64_t row) {
  const ArrayMeta& m = array_.meta();
  const std::uint64_t first = row * frames_per_chunk_;
  const std::uint64_t n = std::min<std::uint64_t>(frames_per_chunk_, m.shape[0] - first);
  const std::size_t pixel_row = static_cast<std::size_t>(width_) * 3;
  const std::size_t frame_bytes = pixel_row * height_;
  cached_row_ = -1;  // stays invalid if a chunk below throws
  cache_.resize(n * frame_bytes);
  const auto& grid = array_.grid();
  for (std::uint64_t i = 0; i < grid[1]; ++i) {
    for (std::uint64_t j = 0; j < grid[2]; ++j) {
      for (std::uint64_t c = 0; c < grid[3]; ++c) {
        const std::vector<std::uint64_t> index = {row, i, j, c};
        const auto e = array_.chunk_extent(index);
        const Bytes chunk = array_.read_chunk(index);
        const std::size_t run = e[2] * e[3];  // one chunk row: e[2] pixels of e[3] channels
        const std::uint8_t* src = chunk.data();
        for (std::uint64_t f = 0; f < e[0]; ++f) {
          for (std::uint64_t y = 0; y < e[1]; ++y) {
            std::uint8_t* dst = cache_.data() + f * frame_bytes +
                                (i * m.chunks[1] + y) * pixel_row + j * m.chunks[2] * 3 +
                                c * m.chunks[3];
            if (e[3] == 3) {
              std::memcpy(dst, src, run);
            } else {
              for (std::uint64_t x = 0; x < e[2]; ++x)
                std::memcpy(dst + 3 * x, src + e[3] * x, e[3]);
            }
            src += run;
          }
        }
      }
    }
  }
  cached_row_ = static_cast<std::int64_t>(row);
}

void ZarrFrameSource::read(std::int64_t k, FrameView& view) {
  if (k < 0 || k >= frames_) {
    throw sw::Error(subject_, "frame out of range (expected 0.." + std::to_string(frames_ - 1) +
                                  ", got " + std::to_string(k) + ")");
  }
  const auto row = static_cast<std::uint64_t>(k) / frames_per_chunk_;
  if (static_cast<std::int64_t>(row) != cached_row_) load_chunk_row(row);
  const std::size_t pixel_row = static_cast<std::size_t>(width_) * 3;
  const std::uint8_t* rgb =
      cache_.data() +
      (static_cast<std::uint64_t>(k) - row * frames_per_chunk_) * pixel_row * height_;
  rgb_to_luma(rgb, pixel_row, width_, height_, luma_.data(), static_cast<std::size_t>(width_));

  view = FrameView{};
  view.planes[0] = {luma_.data(), width_, width_, height_, 1};
  view.bit_depth = 8;
  view.index = k;
  view.pts = k;
}

FrameArrayWriter::FrameArrayWriter(std::shared_ptr<Backend> backend, const std::string& path,
                                   FrameLayout layout, std::uint64_t frames, int width, int height,
                                   Compressor compressor, double fps)
    : subject_(backend->describe(path)),
      array_([&] {
        if (width <= 0 || height <= 0) {
          throw sw::Error(subject_, "invalid frame size (expected positive, got " +
                                        std::to_string(width) + "x" + std::to_string(height) + ")");
        }
        const auto w = static_cast<std::uint64_t>(width), h = static_cast<std::uint64_t>(height);
        std::vector<std::uint64_t> shape = {frames, h, w}, chunks = {1, h, w};
        if (layout == FrameLayout::rgb) shape.push_back(3), chunks.push_back(3);
        return Array::create(backend, path,
                             ArrayMeta::make(shape, chunks, "|u1", std::move(compressor)));
      }()),
      layout_(layout),
      width_(width),
      height_(height) {
  if (fps > 0) write_attrs(*backend, path, {{"fps", fps}});
}

void FrameArrayWriter::write(std::uint64_t k, const std::uint8_t* data, std::size_t stride) const {
  const std::vector<std::uint64_t> index = layout_ == FrameLayout::rgb
                                               ? std::vector<std::uint64_t>{k, 0, 0, 0}
                                               : std::vector<std::uint64_t>{k, 0, 0};
  const std::size_t row = static_cast<std::size_t>(width_) * (layout_ == FrameLayout::rgb ? 3 : 1);
  if (stride < row) {
    throw sw::Error(subject_, "invalid stride (expected at least " + std::to_string(row) +
                                  " bytes, got " + std::to_string(stride) + ")");
  }
  if (stride == row) {
    array_.write_chunk(index, data);  // checks k against the grid
    return;
  }
  Bytes packed(row * height_);
  for (int y = 0; y < height_; ++y) std::memcpy(packed.data() + y * row, data + y * stride, row);
  array_.write_chunk(index, packed.data());
}

}  // namespace sw::store
