#pragma once
// telsim-view's command line (SPEC §4):
//   telsim-view RESULTS.json|SWEEP_DIR|compare.json... [--export FILE.png|FILE.svg
//               --chart blocking|latency|occupancy|compare|map [--size WxH]]
// and, for the README's screenshot, --screenshot FILE.png (a real window).
#include <optional>

#include <QSize>
#include <QString>
#include <QStringList>

#include "../mapping/document_charts.hpp"

namespace telsim::view {

struct CommandLine {
  QStringList files;
  QString export_path;      ///< empty: open the window
  QString screenshot_path;  ///< empty: no screenshot
  ChartKind chart = ChartKind::blocking;
  QSize size{1280, 800};
  QString subject;    ///< --subject: metric, relation or policy for the chart
  int point = 0;      ///< --point: sweep point or compare alternative (from 0)
  BlockingView view;  ///< --log-scale, --target: the blocking charts' scale and target line
};

/// Parses argv (without the program name). Returns nullopt and sets `error` (one line,
/// without a prefix) on bad usage; sets `help` when --help was asked.
std::optional<CommandLine> parse_command_line(const QStringList& arguments, QString& error,
                                              bool& help);

/// The --help text.
QString usage_text();

}  // namespace telsim::view
