#include "render/bilinear.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include <string>

#include "core/cpu.hpp"
#include "core/error.hpp"
#include "render/warp.hpp"

#if SW_HAVE_AVX2
#include <immintrin.h>
#endif

namespace sw::render {

namespace {

constexpr double kOne32 = 4294967296.0;  // 2^32: row starts and steps are kept in 32.32
constexpr int kWeightOne = 256;
// Half a weight step (1/512 px) in 32.32, added to every coordinate so that truncating to
// 1/256 px rounds to the nearest step.
constexpr std::int64_t kHalfWeightStep = std::int64_t{1} << 23;
constexpr int kBlock = 8;  // pixels per block: one AVX2 register of 32-bit lanes

// One coordinate (x or y) along an output row: f(x) = start + x * step in 32.32. Pixel x's
// 16.16 value is exact at the start of its 8-pixel block, plus the lane's own offset
// (x mod 8) * step, so that the vector loop (one exact value per block) and the scalar loops
// compute the same numbers.
struct RowCoordinate {
  std::int64_t start = 0;
  std::int64_t step = 0;
  std::array<std::int32_t, kBlock> lane{};  // (k * step) >> 16

  RowCoordinate(std::int64_t start_32, std::int64_t step_32) : start(start_32), step(step_32) {
    for (int k = 0; k < kBlock; ++k) lane[k] = static_cast<std::int32_t>((k * step) >> 16);
  }
  std::int32_t block(int x) const {
    // Clamped so that maps far outside the plane stay in 32 bits (they only sample the fill).
    const std::int64_t v = (start + static_cast<std::int64_t>(x) * step) >> 16;
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, -(1 << 29), 1 << 29));
  }
  std::int32_t at(int x) const { return block(x & ~(kBlock - 1)) + lane[x & (kBlock - 1)]; }
};

int whole(std::int32_t c) {
  return c >> 16;  // floor: arithmetic shift (C++20)
}

int weight(std::int32_t c) {
  return (c >> 8) & (kWeightOne - 1);
}

// Exact in 32 bits for samples of up to 12 bits (4095 * 2^16 + 2^15 < 2^31).
template <typename T>
T blend(int p00, int p01, int p10, int p11, int wx, int wy) {
  const int top = p00 * (kWeightOne - wx) + p01 * wx;
  const int bottom = p10 * (kWeightOne - wx) + p11 * wx;
  return static_cast<T>((top * (kWeightOne - wy) + bottom * wy + (1 << 15)) >> 16);
}

// Row y of a plane of T samples (the stride is in bytes).
template <typename T>
const T* row_of(const PlaneView& p, int y) {
  return reinterpret_cast<const T*>(p.data + static_cast<std::ptrdiff_t>(y) * p.stride);
}

// Output pixels [first, last) of a row whose taps x..x+1+slack, y..y+1 lie inside the plane.
struct Span {
  int first = 0;
  int last = 0;
};

Span inside_span(const RowCoordinate& fx, const RowCoordinate& fy, int width, const PlaneView& src,
                 int slack) {
  // A pixel's coordinate is its exact value f(x) = block(x), or one 16.16 unit below it (the
  // per-block split rounds twice). So the test is made on the exact value with that unit of
  // margin at the low edge: then every pixel that passes is inside whichever way it rounds.
  // The exact value is monotone along a row, so the pixels that pass form one interval, and
  // its two ends decide.
  const auto ok = [&](int x) {
    const std::int32_t cx = fx.block(x), cy = fy.block(x);
    return cx >= 1 && whole(cx) + 1 + slack <= src.width - 1 && cy >= 1 &&
           whole(cy) + 1 <= src.height - 1;
  };
  // Estimate the interval in doubles, then shrink it until both ends pass (pixels the estimate
  // leaves out only take the checked path).
  double lo = 0, hi = width;
  const auto clip = [&](const RowCoordinate& f, double limit) {
    const double f0 = static_cast<double>(f.start) / kOne32;
    const double step = static_cast<double>(f.step) / kOne32;
    if (step == 0) {
      if (f0 < 0 || f0 >= limit) hi = lo;
      return;
    }
    double a = (0 - f0) / step, b = (limit - f0) / step;
    if (a > b) std::swap(a, b);
    lo = std::max(lo, std::ceil(a) + 1);
    hi = std::min(hi, std::floor(b) - 1);
  };
  clip(fx, src.width - 1 - slack);
  clip(fy, src.height - 1);
  Span s{static_cast<int>(std::clamp(lo, 0.0, double(width))),
         static_cast<int>(std::clamp(hi, 0.0, double(width)))};
  while (s.first < s.last && !ok(s.first)) ++s.first;
  while (s.last > s.first && !ok(s.last - 1)) --s.last;
  return s;
}

// Maps a tap coordinate into the plane under the border policy; -1 = the constant fill.
int border_index(int i, int size, Border border) {
  if (i >= 0 && i < size) return i;
  switch (border) {
    case Border::replicate:
      return std::clamp(i, 0, size - 1);
    case Border::mirror: {
      if (size == 1) return 0;
      const int period = 2 * (size - 1);
      int r = i % period;
      if (r < 0) r += period;
      return r < size ? r : period - r;
    }
    case Border::black:
      break;
  }
  return -1;
}

template <typename T>
T sample_checked(const PlaneView& src, std::int32_t cx, std::int32_t cy, Border border, int fill) {
  const int x = whole(cx), y = whole(cy);
  const int xs[2] = {border_index(x, src.width, border), border_index(x + 1, src.width, border)};
  const int ys[2] = {border_index(y, src.height, border), border_index(y + 1, src.height, border)};
  int p[4];
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      p[j * 2 + i] = xs[i] < 0 || ys[j] < 0 ? fill : row_of<T>(src, ys[j])[xs[i]];
    }
  }
  return blend<T>(p[0], p[1], p[2], p[3], weight(cx), weight(cy));
}

template <typename T>
void row_checked(const PlaneView& src, T* out, int first, int last, const RowCoordinate& fx,
                 const RowCoordinate& fy, Border border, int fill) {
  for (int x = first; x < last; ++x)
    out[x] = sample_checked<T>(src, fx.at(x), fy.at(x), border, fill);
}

// Every tap inside: no checks.
template <typename T>
void row_inside(const PlaneView& src, T* out, int first, int last, const RowCoordinate& fx,
                const RowCoordinate& fy) {
  for (int x = first; x < last; ++x) {
    const std::int32_t cx = fx.at(x), cy = fy.at(x);
    const T* p = row_of<T>(src, whole(cy)) + whole(cx);
    const T* q = row_of<T>(src, whole(cy) + 1) + whole(cx);
    out[x] = blend<T>(p[0], p[1], q[0], q[1], weight(cx), weight(cy));
  }
}

#if SW_HAVE_AVX2
// Whole 8-pixel blocks with every tap inside and 2 bytes of slack to the right (a gathered
// lane loads 4 bytes at its tap). The same integers as blend(), 8 lanes at a time: each
// lane's two taps of a row sit as 16-bit pairs, so one madd gives p0 (256 - wx) + p1 wx, and
// the vertical blend is t 256 + (b - t) wy.
//
// Taps come from one of two places. Usually (a shake's small rotation and zoom) a block's 8
// pixels sample one source row pair and at most 16 consecutive bytes of it: then two 16-byte
// loads and a byte shuffle put every lane's pair in place. Otherwise two 8-lane gathers.
__attribute__((target("avx2"))) int row_inside_avx2(const PlaneView& src, std::uint8_t* out,
                                                    int first, int last, const RowCoordinate& fx,
                                                    const RowCoordinate& fy) {
  int x = (first + kBlock - 1) & ~(kBlock - 1);
  if (x >= last) return first;
  row_inside<std::uint8_t>(src, out, first, x, fx, fy);
  const __m256i lane_x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(fx.lane.data()));
  const __m256i lane_y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(fy.lane.data()));
  const __m256i stride = _mm256_set1_epi32(src.stride);
  const __m256i byte = _mm256_set1_epi32(0xFF);
  const __m256i one = _mm256_set1_epi32(kWeightOne);
  const __m256i half = _mm256_set1_epi32(1 << 15);
  // pshufb controls (they index bytes within each 128-bit half; -128 zeroes a byte): a lane
  // becomes the 16-bit pair (byte i, byte i + 1). For loaded rows i is the lane's tap offset,
  // added to (0, -128, 1, -128); for gathered lanes it is the lane's own first byte.
  const __m256i pair_of_first = _mm256_set1_epi32(static_cast<int>(0x80018000u));
  const __m256i pair_of_gathered =
      _mm256_setr_epi8(0, -128, 1, -128, 4, -128, 5, -128, 8, -128, 9, -128, 12, -128, 13, -128, 0,
                       -128, 1, -128, 4, -128, 5, -128, 8, -128, 9, -128, 12, -128, 13, -128);
  const auto* base = reinterpret_cast<const int*>(src.data);
  for (; x + kBlock <= last; x += kBlock) {
    const std::int32_t bx = fx.block(x), by = fy.block(x);
    const __m256i cx = _mm256_add_epi32(_mm256_set1_epi32(bx), lane_x);
    const __m256i cy = _mm256_add_epi32(_mm256_set1_epi32(by), lane_y);
    const __m256i wx = _mm256_and_si256(_mm256_srai_epi32(cx, 8), byte);
    const __m256i wy = _mm256_and_si256(_mm256_srai_epi32(cy, 8), byte);
    // Lane 0 and lane 7 bound the block's taps: the lane offsets are monotone in the lane.
    const int x0 = whole(bx), x7 = whole(bx + fx.lane[kBlock - 1]);
    const int y0 = whole(by), y7 = whole(by + fy.lane[kBlock - 1]);
    __m256i top, bottom;
    if (y0 == y7 && x7 >= x0 && x7 - x0 <= 14 && x0 + 16 <= src.width) {
      const std::uint8_t* row = src.data + static_cast<std::ptrdiff_t>(y0) * src.stride + x0;
      const __m256i upper =
          _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row)));
      const __m256i lower = _mm256_broadcastsi128_si256(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + src.stride)));
      const __m256i i = _mm256_sub_epi32(_mm256_srai_epi32(cx, 16), _mm256_set1_epi32(x0));
      const __m256i control =
          _mm256_add_epi32(_mm256_add_epi32(i, _mm256_slli_epi32(i, 16)), pair_of_first);
      top = _mm256_shuffle_epi8(upper, control);
      bottom = _mm256_shuffle_epi8(lower, control);
    } else {
      const __m256i offset = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_srai_epi32(cy, 16), stride),
                                              _mm256_srai_epi32(cx, 16));
      top = _mm256_shuffle_epi8(_mm256_i32gather_epi32(base, offset, 1), pair_of_gathered);
      bottom = _mm256_shuffle_epi8(
          _mm256_i32gather_epi32(base, _mm256_add_epi32(offset, stride), 1), pair_of_gathered);
    }
    const __m256i weights = _mm256_or_si256(_mm256_sub_epi32(one, wx), _mm256_slli_epi32(wx, 16));
    const __m256i t = _mm256_madd_epi16(top, weights);
    const __m256i b = _mm256_madd_epi16(bottom, weights);
    const __m256i v = _mm256_srli_epi32(
        _mm256_add_epi32(_mm256_add_epi32(_mm256_slli_epi32(t, 8),
                                          _mm256_mullo_epi32(_mm256_sub_epi32(b, t), wy)),
                         half),
        16);
    // 8 x 32-bit -> 8 bytes (values are 0..255, so the saturating packs are exact).
    const __m256i words = _mm256_packus_epi32(v, v);          // per 128-bit half
    const __m256i bytes = _mm256_packus_epi16(words, words);  // bytes 0-3 | 16-19
    const std::uint32_t lo = static_cast<std::uint32_t>(_mm256_extract_epi32(bytes, 0));
    const std::uint32_t hi = static_cast<std::uint32_t>(_mm256_extract_epi32(bytes, 4));
    const std::uint64_t eight = lo | (std::uint64_t{hi} << 32);
    __builtin_memcpy(out + x, &eight, sizeof eight);
  }
  return x;
}
#endif  // SW_HAVE_AVX2

}  // namespace

namespace {

template <typename T>
void warp_plane(const PlaneView& src, const MutablePlaneView& dst, const InverseAffine& map,
                Border border, int fill, bool allow_simd) {
  const auto& m = map.m;
  const std::int64_t step_x = std::llround(m[0] * kOne32);
  const std::int64_t step_y = std::llround(m[3] * kOne32);
  [[maybe_unused]] const bool simd = allow_simd && has_avx2();  // unused without SW_HAVE_AVX2
  for (int y = 0; y < dst.height; ++y) {
    const RowCoordinate fx(std::llround((m[1] * y + m[2]) * kOne32) + kHalfWeightStep, step_x);
    const RowCoordinate fy(std::llround((m[4] * y + m[5]) * kOne32) + kHalfWeightStep, step_y);
    T* out = reinterpret_cast<T*>(dst.data + static_cast<std::ptrdiff_t>(y) * dst.stride);
    const Span inside = inside_span(fx, fy, dst.width, src, 0);
    row_checked<T>(src, out, 0, inside.first, fx, fy, border, fill);
    int x = inside.first;
#if SW_HAVE_AVX2
    // The vector loop is for bytes; 16-bit samples (10/12-bit video) take the scalar loops.
    if constexpr (sizeof(T) == 1) {
      if (simd) {
        const Span wide = inside_span(fx, fy, dst.width, src, 2);
        if (wide.first < wide.last && wide.first >= inside.first && wide.last <= inside.last) {
          row_inside<T>(src, out, inside.first, wide.first, fx, fy);
          x = row_inside_avx2(src, out, wide.first, wide.last, fx, fy);
        }
      }
    }
#endif
    row_inside<T>(src, out, x, inside.last, fx, fy);
    row_checked<T>(src, out, inside.last, dst.width, fx, fy, border, fill);
  }
}

}  // namespace

void warp_plane_bilinear(const PlaneView& src, const MutablePlaneView& dst,
                         const InverseAffine& map, Border border, int fill, bool allow_simd) {
  if (src.bytes_per_sample != dst.bytes_per_sample ||
      (src.bytes_per_sample != 1 && src.bytes_per_sample != 2))
    throw Error("render", "bilinear: expected 1- or 2-byte samples in and out, got " +
                              std::to_string(src.bytes_per_sample) + " and " +
                              std::to_string(dst.bytes_per_sample));
  if (src.bytes_per_sample == 1)
    warp_plane<std::uint8_t>(src, dst, map, border, fill, allow_simd);
  else
    warp_plane<std::uint16_t>(src, dst, map, border, fill, allow_simd);
}

}  // namespace sw::render
