#pragma once
// One CSV field, quoted as RFC 4180 says: every CSV file telsim writes (run --csv,
// run --calls, a sweep's summary.csv) quotes through here.
#include <string>
#include <string_view>

namespace telsim::analysis {

/// Whether `text` must be quoted: it holds a comma, a quote or a line break.
inline bool csv_needs_quotes(std::string_view text) {
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

/// `text` as a CSV field: as it is, or in quotes with its quotes doubled.
inline std::string csv_field(std::string_view text) {
  if (!csv_needs_quotes(text)) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace telsim::analysis
