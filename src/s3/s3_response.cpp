#include "s3/s3_response.hpp"

#include <cstdlib>
#include <limits>

namespace sw::s3 {

namespace {

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The longest entity we decode is "&#x10FFFF;"; looking no further for its ';' keeps decoding
// linear on text full of '&'.
constexpr std::size_t kMaxEntity = 10;

std::string xml_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t semi =
        text[i] == '&' ? text.substr(i, kMaxEntity + 1).find(';') : std::string_view::npos;
    if (semi == std::string_view::npos) {
      out += text[i];
      continue;
    }
    const std::string_view name = text.substr(i + 1, semi - 1);
    if (name == "amp") {
      out += '&';
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
      if (digits.empty() || *end != '\0' || cp > 0x10FFFF || surrogate || digits[0] == '-' ||
          digits[0] == '+' || digits[0] == ' ') {
        out += text[i];
        continue;
      }
      append_utf8(out, cp);
    } else {
      out += text[i];
      continue;
    }
    i += semi;
  }
  return out;
}

// Decimal digits only, at most 18 (so any sum or +1 of two such values stays in range).
std::optional<std::int64_t> parse_count(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The length of the valid UTF-8 sequence at s[i] and its code point, or 0 when invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i, unsigned long& cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  unsigned long min = 0;
  if (b < 0x80) {
    cp = b;
    return 1;
  } else if ((b & 0xE0) == 0xC0) {
    n = 2, cp = b & 0x1F, min = 0x80;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3, cp = b & 0x0F, min = 0x800;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4, cp = b & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> out;
  // Appended, not "<" + std::string(tag): GCC 12 at -O3 (the Release build) warns falsely
  // (-Wrestrict) on a literal plus a temporary string.
  std::string open = "<", close = "</";
  open += tag;
  close += tag;
  close += '>';
  std::size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    // A start tag is followed by '>', '/' or whitespace, so "Key" does not match <KeyCount>.
    const std::size_t after = pos + open.size();
    if (after >= xml.size()) break;
    const char c = xml[after];
    if (c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      pos = after;
      continue;
    }
    const std::size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) break;
    if (xml[gt - 1] == '/') {
      out.emplace_back();
      pos = gt + 1;
      continue;
    }
    const std::size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(gt + 1, end - gt - 1));
    pos = end + close.size();
  }
  return out;
}

std::vector<std::string> xml_values(std::string_view xml, std::string_view tag) {
  std::vector<std::string> out;
  for (std::string_view raw : xml_elements(xml, tag)) out.push_back(xml_decode(raw));
  return out;
}

ListPage parse_list_page(std::string_view xml) {
  ListPage page;
  for (std::string_view contents : xml_elements(xml, "Contents")) {
    const auto key = xml_values(contents, "Key");
    if (!key.empty()) page.keys.push_back(key.front());
  }
  const auto truncated = xml_values(xml, "IsTruncated");
  page.truncated = !truncated.empty() && truncated.front() == "true";
  const auto next = xml_values(xml, "NextContinuationToken");
  if (!next.empty()) page.next_token = next.front();
  return page;
}

std::string s3_error_code(std::string_view body) {
  const auto codes = xml_values(body, "Code");
  return codes.empty() ? std::string() : sanitize_server_text(codes.front(), 64);
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (!value.starts_with("bytes ")) return std::nullopt;
  value.remove_prefix(6);
  const std::size_t dash = value.find('-');
  const std::size_t slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash)
    return std::nullopt;
  const auto first = parse_count(value.substr(0, dash));
  const auto last = parse_count(value.substr(dash + 1, slash - dash - 1));
  const std::string_view total_text = value.substr(slash + 1);
  const auto total = total_text == "*" ? std::optional<std::int64_t>(-1) : parse_count(total_text);
  if (!first || !last || !total || *first > *last) return std::nullopt;
  if (*total >= 0 && *last >= *total) return std::nullopt;
  return ContentRange{*first, *last, *total};
}

std::string partial_reply_problem(const std::optional<ContentRange>& range, std::int64_t offset,
                                  std::size_t length, std::size_t body_size) {
  if (!range) return "a 206 reply without a valid Content-Range";
  const std::int64_t wanted_last = offset + static_cast<std::int64_t>(length) - 1;
  const std::string claimed = "its Content-Range says bytes " + std::to_string(range->first) + "-" +
                              std::to_string(range->last);
  const std::string asked =
      " for bytes " + std::to_string(offset) + "-" + std::to_string(wanted_last);
  if (range->first != offset || range->last > wanted_last)
    return "a 206 reply" + asked + ": " + claimed;
  const bool at_object_end = range->total >= 0 && range->last == range->total - 1;
  if (range->last < wanted_last && !at_object_end)
    return "a 206 reply" + asked + " ends early, before the object's end: " + claimed;
  const auto claimed_size = static_cast<std::uint64_t>(range->last - range->first + 1);
  if (body_size != claimed_size)
    return "a 206 reply of " + std::to_string(body_size) + " bytes: " + claimed;
  return {};
}

std::string sanitize_server_text(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    unsigned long cp = 0;
    const std::size_t n = utf8_sequence(text, i, cp);
    const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
    if (out.size() + (n == 0 || control ? 1 : n) > max_chars) {
      out += "...";
      break;
    }
    if (n == 0 || control) {
      out += '?';
      i += n == 0 ? 1 : n;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace sw::s3
