#include "metric_labels.hpp"

#include <string_view>

namespace telsim::view {
namespace {

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != s.npos;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

QString metric_words(const std::string& path) {
  // Drop the section and the owner's name: "traffic.<relation>." etc.
  std::string_view rest = path;
  for (int skip = 0; skip < 2; ++skip) {
    const auto dot = rest.find('.');
    if (dot == rest.npos) break;
    rest.remove_prefix(dot + 1);
  }
  QString words = QString::fromUtf8(rest.data(), static_cast<qsizetype>(rest.size()));
  words.replace('.', ' ');
  words.replace('_', ' ');
  return words;
}

QString metric_unit(const std::string& path) {
  if (contains(path, "completion_latency")) return QStringLiteral("s");
  if (ends_with(path, ".carried_erlangs")) return QStringLiteral("Erlang");
  if (ends_with(path, ".calls") || ends_with(path, ".attempts") ||
      ends_with(path, ".overflow_calls") || ends_with(path, ".caller_busy") ||
      contains(path, ".requests.") || ends_with(path, ".completion_requests_max_outstanding")) {
    return QStringLiteral("calls");
  }
  return QStringLiteral("fraction");
}

QString axis_title(const std::string& path) {
  return metric_words(path) + QStringLiteral(" (") + metric_unit(path) + QStringLiteral(")");
}

}  // namespace telsim::view
