#include "metric_labels.hpp"

#include <string_view>

#include "telsim/analysis/metric_catalog.hpp"

namespace telsim::view {

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
  const std::string_view unit = analysis::metric_unit(path);
  return QString::fromUtf8(unit.data(), static_cast<qsizetype>(unit.size()));
}

QString axis_title(const std::string& path) {
  return metric_words(path) + QStringLiteral(" (") + metric_unit(path) + QStringLiteral(")");
}

}  // namespace telsim::view
