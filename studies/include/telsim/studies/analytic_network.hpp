#pragma once
/// `telsim analytic network` as a library (SPEC §4): each trunk group's blocking (an
/// estimate of its call_blocking) and each relation's first-attempt loss (of
/// first_attempt_failure.congestion) by the reduced-load fixed point with equivalent random
/// theory for overflow (analysis/fixed_point.hpp). How the scenario becomes demands is
/// written at the top of studies/src/analytic_network.cpp; docs/validation.md compares it
/// with simulation.
#include <string>
#include <vector>

#include "telsim/scenarios/scenario.hpp"

namespace telsim::studies {

/// The model's figures as `name: value` pairs, in the order telsim prints them:
/// trunk_groups.<g>.blocking, .time_congestion, [.overflow_blocking (reserved or fed by
/// overflow),] .offered_erlangs, .carried_erlangs, [.overflow_offered_erlangs,
/// .overflow_variance, .overflow_peakedness (fed by overflow)] per group;
/// traffic.<r>.offered_erlangs (first attempts) and .loss per relation between two
/// exchanges; subscribers.<p>.busy per population with limited lines.
struct AnalyticFigure {
  std::string name;
  double value = 0;
  /// Empty, or where the approximation is known to be weak for this figure:
  /// "weak: <why>" (telsim prints it after the value as `  # weak: <why>`).
  std::string remark;
};

/// Throws StudyError (exit 3) when the fixed point does not converge or the line
/// occupancies do not settle, naming why.
std::vector<AnalyticFigure> analytic_network(const scenarios::Scenario& scenario);

}  // namespace telsim::studies
