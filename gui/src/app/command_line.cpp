#include "command_line.hpp"

#include <cmath>

#include "../charts/chart_export.hpp"

namespace telsim::view {

QString usage_text() {
  return QStringLiteral(
      "usage: telsim-view RESULTS.json|SWEEP_DIR|compare.json... [options]\n"
      "\n"
      "Opens telsim results files, sweep folders and compare.json files in a window\n"
      "(one window per argument), or writes one chart without a display:\n"
      "  --export FILE.png|FILE.svg  write the chart of the first argument and exit\n"
      "  --chart KIND                blocking | latency | occupancy | compare | map\n"
      "                              (default blocking)\n"
      "  --size WxH                  picture size in pixels (default 1280x800)\n"
      "  --subject NAME              the chart's pick: a metric (blocking), relation or policy\n"
      "                              (latency: traffic.NAME or policies.NAME), trunk group\n"
      "                              (occupancy), relation (compare), the groups drawn\n"
      "                              (map: \"all groups\", \"tandem groups\",\n"
      "                              \"groups with blocking >= 1%\", ...)\n"
      "  --point N                   sweep point or compare alternative, from 0 (default 0)\n"
      "  --log-scale                 blocking charts: a logarithmic y axis\n"
      "  --target X                  blocking charts: the target line at X (default: the\n"
      "                              scenario's expect bound on the metric; 0: none)\n"
      "  --screenshot FILE.png       show the window, capture it from the screen, exit\n"
      "  --help                      this text\n"
      "Exit codes: 0 written or closed, 2 bad usage or a file that is not telsim's,\n"
      "3 the picture could not be written.\n");
}

std::optional<CommandLine> parse_command_line(const QStringList& arguments, QString& error,
                                              bool& help) {
  CommandLine line;
  help = false;
  for (qsizetype k = 0; k < arguments.size(); ++k) {
    QString arg = arguments[k];
    QString value;
    const bool is_option = arg.startsWith(QStringLiteral("--"));
    if (is_option && arg.contains('=')) {
      value = arg.section('=', 1);
      arg = arg.section('=', 0, 0);
    }
    auto take_value = [&]() -> bool {
      if (!value.isEmpty()) return true;
      if (k + 1 >= arguments.size()) {
        error = arg + QStringLiteral(" needs a value");
        return false;
      }
      value = arguments[++k];
      return true;
    };
    if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
      help = true;
      return line;
    } else if (arg == QLatin1String("--export")) {
      if (!take_value()) return std::nullopt;
      line.export_path = value;
    } else if (arg == QLatin1String("--screenshot")) {
      if (!take_value()) return std::nullopt;
      line.screenshot_path = value;
    } else if (arg == QLatin1String("--chart")) {
      if (!take_value()) return std::nullopt;
      const auto kind = chart_kind(value);
      if (!kind) {
        error = QStringLiteral("--chart %1: expected blocking, latency, occupancy, compare or map")
                    .arg(value);
        return std::nullopt;
      }
      line.chart = *kind;
    } else if (arg == QLatin1String("--size")) {
      if (!take_value()) return std::nullopt;
      line.size = parse_size(value);
      if (!line.size.isValid()) {
        error = QStringLiteral(
                    "--size %1: expected WIDTHxHEIGHT in pixels from 320x240 to 16384x16384, "
                    "e.g. 1280x800")
                    .arg(value);
        return std::nullopt;
      }
    } else if (arg == QLatin1String("--subject")) {
      if (!take_value()) return std::nullopt;
      line.subject = value;
    } else if (arg == QLatin1String("--point")) {
      if (!take_value()) return std::nullopt;
      bool ok = false;
      line.point = value.toInt(&ok);
      if (!ok || line.point < 0) {
        error = QStringLiteral("--point %1: expected a point number from 0").arg(value);
        return std::nullopt;
      }
    } else if (arg == QLatin1String("--log-scale")) {
      line.view.log_scale = true;
    } else if (arg == QLatin1String("--target")) {
      if (!take_value()) return std::nullopt;
      bool ok = false;
      line.view.target = value.toDouble(&ok);
      if (!ok || !std::isfinite(*line.view.target) || *line.view.target < 0) {
        error = QStringLiteral("--target %1: expected a number >= 0 (0: no line)").arg(value);
        return std::nullopt;
      }
    } else if (is_option) {
      error = QStringLiteral("unknown option %1 (see --help)").arg(arg);
      return std::nullopt;
    } else {
      line.files << arg;
    }
  }
  if (!line.export_path.isEmpty() && line.files.isEmpty()) {
    error = QStringLiteral("--export needs a results file, sweep folder or compare.json to draw");
    return std::nullopt;
  }
  if ((line.view.log_scale || line.view.target) && line.chart != ChartKind::blocking) {
    error =
        QStringLiteral("--log-scale and --target draw the blocking chart: add --chart blocking");
    return std::nullopt;
  }
  if (!line.screenshot_path.isEmpty() && line.files.isEmpty()) {
    error =
        QStringLiteral("--screenshot needs a results file, sweep folder or compare.json to show");
    return std::nullopt;
  }
  return line;
}

}  // namespace telsim::view
