#include "io/hdr_metadata.hpp"

#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/mastering_display_metadata.h>
}

namespace sw::io {
namespace {

Rational from_av(AVRational r) {
  return {r.num, r.den};
}

AVRational to_av(Rational r) {
  return {r.num, r.den};
}

MasteringDisplay from_av(const AVMasteringDisplayMetadata& m) {
  MasteringDisplay d;
  for (int c = 0; c < 3; ++c)
    for (int k = 0; k < 2; ++k) d.primaries[c][k] = from_av(m.display_primaries[c][k]);
  for (int k = 0; k < 2; ++k) d.white_point[k] = from_av(m.white_point[k]);
  d.min_luminance = from_av(m.min_luminance);
  d.max_luminance = from_av(m.max_luminance);
  d.has_primaries = m.has_primaries != 0;
  d.has_luminance = m.has_luminance != 0;
  return d;
}

AVMasteringDisplayMetadata to_av(const MasteringDisplay& d) {
  AVMasteringDisplayMetadata m{};
  for (int c = 0; c < 3; ++c)
    for (int k = 0; k < 2; ++k) m.display_primaries[c][k] = to_av(d.primaries[c][k]);
  for (int k = 0; k < 2; ++k) m.white_point[k] = to_av(d.white_point[k]);
  m.min_luminance = to_av(d.min_luminance);
  m.max_luminance = to_av(d.max_luminance);
  m.has_primaries = d.has_primaries;
  m.has_luminance = d.has_luminance;
  return m;
}

// x264/x265 take chromaticities in units of 0.00002 and luminance in units of 0.0001 cd/m2.
std::string scaled(Rational r, double unit) {
  return std::to_string(std::lround(r.value() / unit));
}

std::string xy(const Rational (&c)[2]) {
  return "(" + scaled(c[0], 0.00002) + "," + scaled(c[1], 0.00002) + ")";
}

}  // namespace

HdrMetadata hdr_metadata_of(const AVStream& stream, const AVFrame* frame) {
  HdrMetadata hdr;
  if (const uint8_t* sd =
          av_stream_get_side_data(&stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, nullptr))
    hdr.mastering_display = from_av(*reinterpret_cast<const AVMasteringDisplayMetadata*>(sd));
  if (const uint8_t* sd =
          av_stream_get_side_data(&stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, nullptr)) {
    const auto& c = *reinterpret_cast<const AVContentLightMetadata*>(sd);
    hdr.content_light = ContentLight{c.MaxCLL, c.MaxFALL};
  }
  if (!frame) return hdr;
  if (!hdr.mastering_display) {
    if (const AVFrameSideData* sd =
            av_frame_get_side_data(frame, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA))
      hdr.mastering_display =
          from_av(*reinterpret_cast<const AVMasteringDisplayMetadata*>(sd->data));
  }
  if (!hdr.content_light) {
    if (const AVFrameSideData* sd =
            av_frame_get_side_data(frame, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL)) {
      const auto& c = *reinterpret_cast<const AVContentLightMetadata*>(sd->data);
      hdr.content_light = ContentLight{c.MaxCLL, c.MaxFALL};
    }
  }
  return hdr;
}

void add_hdr_side_data(AVStream* out, const HdrMetadata& hdr, const std::string& path) {
  const auto add = [&](AVPacketSideDataType type, const void* data, std::size_t size) {
    if (av_stream_get_side_data(out, type, nullptr)) return;
    uint8_t* dst = av_stream_new_side_data(out, type, size);
    if (!dst) throw Error(path, "out of memory (stream side data)");
    std::memcpy(dst, data, size);
  };
  if (hdr.mastering_display) {
    const AVMasteringDisplayMetadata m = to_av(*hdr.mastering_display);
    add(AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &m, sizeof m);
  }
  if (hdr.content_light) {
    AVContentLightMetadata c{};
    c.MaxCLL = hdr.content_light->max_cll;
    c.MaxFALL = hdr.content_light->max_fall;
    add(AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &c, sizeof c);
  }
}

std::string hdr_encoder_params(const HdrMetadata& hdr, bool x265) {
  std::string p;
  const MasteringDisplay* m = hdr.mastering_display ? &*hdr.mastering_display : nullptr;
  // Both encoders need the whole SMPTE ST 2086 set: primaries and luminance.
  if (m && m->has_primaries && m->has_luminance) {
    p += x265 ? "master-display=" : "mastering-display=";
    // G, B, R: the order of the SEI (libav keeps R, G, B).
    p += "G" + xy(m->primaries[1]) + "B" + xy(m->primaries[2]) + "R" + xy(m->primaries[0]) + "WP" +
         xy(m->white_point) + "L(" + scaled(m->max_luminance, 0.0001) + "," +
         scaled(m->min_luminance, 0.0001) + ")";
  }
  if (hdr.content_light) {
    if (!p.empty()) p += ":";
    p += x265 ? "max-cll=" : "cll=";
    p += std::to_string(hdr.content_light->max_cll) + "," +
         std::to_string(hdr.content_light->max_fall);
  }
  return p;
}

}  // namespace sw::io
