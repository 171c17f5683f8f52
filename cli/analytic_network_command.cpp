// `telsim analytic network FILE`: parse, call studies::analytic_network, print
// `name: value` lines, probabilities with 10 significant digits.
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
  for (const auto& f : figures) fmt::print("{}: {}\n", f.name, fmt::format("{:.10g}", f.value));
  return exit_ok;
}

}  // namespace telsim::cli
