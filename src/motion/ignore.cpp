// Ignore regions: parsing, the mask file, and their raster at the input's coded size.
//
// A rectangle covers every pixel it touches (its edges are rounded outwards), so a region
// given in percent never leaves a sliver of the overlay measured. The mask is decoded with
// OpenCV from the bytes that were hashed, so what is measured is what the hash names.
#include "motion/ignore.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "motion/ignore_internal.hpp"

namespace sw::motion {

namespace {

// Mask pixels below this are ignored (black); anti-aliased edges count by their nearer end.
constexpr int kMaskThreshold = 128;

Error ignore_error(const std::string& problem) {
  return Error("--ignore", problem, ExitCode::usage);
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot read the ignore mask (--ignore-mask)");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path, "cannot read the ignore mask (--ignore-mask)");
  return bytes;
}

// The mask file's pixels (0 = ignore, 255 = measure) after checking its hash and size.
cv::Mat load_mask(const MotionParams& p, int width, int height) {
  const std::vector<std::uint8_t> bytes = read_bytes(p.ignore_mask);
  if (sha256_hex(bytes) != p.ignore_mask_sha256) {
    throw Error(p.ignore_mask,
                "the ignore mask's content changed since the run began (expected "
                "SHA-256 " +
                    p.ignore_mask_sha256 + ")");
  }
  cv::Mat image;
  if (!bytes.empty()) image = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
  if (image.empty())
    throw Error(p.ignore_mask,
                "expected an image (PNG) as the ignore mask, got none OpenCV can decode");
  if (image.cols != width || image.rows != height) {
    throw Error("--ignore-mask",
                p.ignore_mask + ": expected a " + std::to_string(width) + "x" +
                    std::to_string(height) + " image (the input's coded size), got " +
                    std::to_string(image.cols) + "x" + std::to_string(image.rows),
                ExitCode::usage);
  }
  cv::Mat measured;
  cv::threshold(image, measured, kMaskThreshold - 1, 255, cv::THRESH_BINARY);
  return measured;
}

// The pixels a region covers, rounded outwards; throws when it reaches outside the frame.
cv::Rect region_pixels(const IgnoreRegion& r, int width, int height) {
  const double sx = r.percent ? width / 100.0 : 1, sy = r.percent ? height / 100.0 : 1;
  const double x0 = r.x * sx, y0 = r.y * sy, x1 = (r.x + r.w) * sx, y1 = (r.y + r.h) * sy;
  // A little slack for percentages whose sum is 100 in decimal but not in binary.
  constexpr double kSlack = 1e-6;
  if (x1 > width + kSlack || y1 > height + kSlack) {
    throw ignore_error(format_ignore_region(r) + " reaches outside the " + std::to_string(width) +
                       "x" + std::to_string(height) + " frame");
  }
  const int left = static_cast<int>(std::floor(x0)), top = static_cast<int>(std::floor(y0));
  const int right = std::min(width, static_cast<int>(std::ceil(x1 - kSlack)));
  const int bottom = std::min(height, static_cast<int>(std::ceil(y1 - kSlack)));
  return {left, top, std::max(0, right - left), std::max(0, bottom - top)};
}

}  // namespace

IgnoreRegion parse_ignore_region(const std::string& text) {
  IgnoreRegion r;
  double* values[] = {&r.x, &r.y, &r.w, &r.h};
  int with_percent = 0, plain_nonzero = 0;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t end = i < 3 ? text.find(',', start) : text.size();
    if (end == std::string::npos || (i == 3 && text.find(',', start) != std::string::npos)) {
      throw ignore_error("expected x,y,w,h (four numbers, or four percentages), got '" + text +
                         "'");
    }
    std::string part = text.substr(start, end - start);
    const bool percent = !part.empty() && part.back() == '%';
    if (percent) {
      ++with_percent;
      part.pop_back();
    }
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size() || !std::isfinite(v)) {
      throw ignore_error("expected x,y,w,h (four numbers, or four percentages), got '" + text +
                         "'");
    }
    if (!percent && v != 0) ++plain_nonzero;
    *values[i] = v;
    start = end + 1;
  }
  // 0 is the same in either unit, so "0,80%,100%,20%" needs no % on its 0.
  if (with_percent != 0 && plain_nonzero != 0) {
    throw ignore_error("expected all four values in pixels or all four in percent, got '" + text +
                       "'");
  }
  r.percent = with_percent != 0;
  if (r.x < 0 || r.y < 0) throw ignore_error("expected x, y >= 0, got '" + text + "'");
  if (!(r.w > 0) || !(r.h > 0)) throw ignore_error("expected w, h > 0, got '" + text + "'");
  if (r.percent && (r.x + r.w > 100 + 1e-9 || r.y + r.h > 100 + 1e-9)) {
    throw ignore_error("expected x + w and y + h at most 100%, got '" + text + "'");
  }
  return r;
}

std::string format_ignore_region(const IgnoreRegion& r) {
  const char* unit = r.percent ? "%" : "";
  return number_text(r.x) + unit + "," + number_text(r.y) + unit + "," + number_text(r.w) + unit +
         "," + number_text(r.h) + unit;
}

std::string ignore_mask_sha256(const std::string& path) {
  return sha256_hex(read_bytes(path));
}

cv::Mat measured_area(const MotionParams& p, int width, int height) {
  if (p.ignore.empty() && p.ignore_mask.empty()) return {};
  cv::Mat measured = p.ignore_mask.empty() ? cv::Mat(height, width, CV_8U, cv::Scalar(255))
                                           : load_mask(p, width, height);
  for (const IgnoreRegion& r : p.ignore)
    measured(region_pixels(r, width, height)).setTo(cv::Scalar(0));
  return measured;
}

void check_ignore(const MotionParams& params, int width, int height) {
  measured_area(params, width, height);
}

}  // namespace sw::motion
