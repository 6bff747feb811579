// How stillwater uses glibc's heap. A run allocates and frees the same few large blocks every
// frame (OpenCV's corner detector scratch, frame buffers): a few MB each.
#pragma once

namespace sw::heap {

// Called once at start-up. By default glibc trims the heap as soon as a few MB at its top are
// free, so the corner detector's scratch (about 5 MB at the 640-pixel analysis width) went back
// to the system and was faulted in again every frame: ~1,500 page faults a frame, a quarter of
// a 1080p run's system time. Blocks up to 4 MB now stay in the heap (larger ones, e.g. whole
// 4K frames, are still mapped and unmapped) and up to 32 MB of free heap is kept for reuse;
// measured on footage 01: 250k -> 28k faults, peak memory unchanged.
void keep_large_blocks();

// Called between passes: the blocks the finished pass kept (in every thread's arena) go back
// to the system, so the next pass's peak does not sit on top of the last one's.
void return_free_memory();

}  // namespace sw::heap
