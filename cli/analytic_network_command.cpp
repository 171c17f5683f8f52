// `telsim analytic network FILE`: parse, call studies::analytic_network, print
// `name: value` lines, values with 10 significant digits (so a positive value never prints
// as a bare 0), and where the approximation is known to be weak, after two spaces on the
// same line, `# weak: <why>`: a line still reads as `name: value` up to the `#`.
#include <fmt/format.h>

#include "commands.hpp"
#include "study_support.hpp"
#include "telsim/studies/analytic_network.hpp"

namespace telsim::cli {

int analytic_network_command(const std::string& file, const std::vector<std::string>& sets,
                             const std::vector<std::string>& plugins, bool allow_plugins) {
  StudyArgs study;
  study.file = file;
  study.sets = sets;
  study.plugins = plugins;
  study.allow_plugins = allow_plugins;
  std::vector<studies::AnalyticFigure> figures;
  if (const auto failed = guarded(file, [&] {
        const studies::Session session(session_options(study));
        figures = studies::analytic_network(session.base());
      })) {
    return *failed;
  }
  for (const auto& f : figures) {
    if (f.remark.empty()) {
      fmt::print("{}: {:.10g}\n", f.name, f.value);
    } else {
      fmt::print("{}: {:.10g}  # {}\n", f.name, f.value, f.remark);
    }
  }
  return exit_ok;
}

}  // namespace telsim::cli
