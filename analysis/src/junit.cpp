#include <cmath>
#include <string>

#include <fmt/format.h>

#include "telsim/analysis/expect.hpp"

namespace telsim::analysis {
namespace {

// Escapes for both text and attribute values. Control characters other than tab, LF and
// CR are not allowed in XML 1.0 even as character references, so they become U+FFFD.
std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string case_name(const ExpectCheck& check) {
  std::string name = check.metric;
  if (check.min) name += fmt::format(" >= {}", *check.min);
  if (check.max) name += fmt::format(" <= {}", *check.max);
  if (check.bound == ExpectBound::ci) name += " (95% CI)";
  return name;
}

}  // namespace

std::string junit_xml(std::string_view suite_name, const std::vector<CheckResult>& results,
                      double wall_seconds) {
  std::size_t failures = 0;
  for (const CheckResult& result : results) failures += result.passed ? 0 : 1;
  const double seconds = std::isfinite(wall_seconds) && wall_seconds > 0 ? wall_seconds : 0.0;
  const std::string suite = xml_escape(suite_name);

  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuites name=\"telsim\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
      results.size(), failures, seconds);
  xml += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
      "time=\"{:.3f}\">\n",
      suite, results.size(), failures, seconds);
  for (const CheckResult& result : results) {
    const std::string name = xml_escape(case_name(result.check));
    const std::string message = xml_escape(result.message);
    if (result.passed) {
      xml += fmt::format(
          "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n"
          "      <system-out>{}</system-out>\n"
          "    </testcase>\n",
          name, suite, message);
    } else {
      xml += fmt::format(
          "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n"
          "      <failure message=\"{}\" type=\"expect\">{}</failure>\n"
          "    </testcase>\n",
          name, suite, message, message);
    }
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace telsim::analysis
