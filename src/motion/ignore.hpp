// Ignore regions: parts of the frame no motion is measured from (a dashboard, a timestamp
// overlay, a watermark, a foreground that moves on its own and would drag the estimate).
//
// Given as rectangles (--ignore x,y,w,h, in the input's coded pixels or, all with '%' (a 0
// may go without), in percent of its width and height) and/or a mask image (--ignore-mask, the
// input's coded size, black = ignore). Both are parameters of the analysis (MotionParams): the mask
// by its path and the SHA-256 of its bytes, so a changed mask changes the store's analysis
// description, and every process that reads the path checks it still has those bytes.
#pragma once

#include <string>

namespace sw::motion {

struct IgnoreRegion {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
  bool percent = false;  // all four in percent of the frame's width (x, w) and height (y, h)
};

// "x,y,w,h" or "x%,y%,w%,h%" (a 0 may go without %); throws sw::Error naming --ignore (usage) on
// anything else, a negative value, an empty rectangle or a percentage above 100.
IgnoreRegion parse_ignore_region(const std::string& text);

// "x,y,w,h" as the user would write it (the inverse of parse_ignore_region).
std::string format_ignore_region(const IgnoreRegion& region);

// SHA-256 of a mask file's bytes; throws sw::Error naming the file when it cannot be read.
std::string ignore_mask_sha256(const std::string& path);

struct MotionParams;

// Checks the regions and the mask against a frame of the given coded size: throws sw::Error
// (usage) naming --ignore for a rectangle reaching outside the frame and --ignore-mask for an
// image of another size; naming the file (failure) when it cannot be read or decoded, or its
// bytes no longer have the recorded hash.
void check_ignore(const MotionParams& params, int width, int height);

}  // namespace sw::motion
