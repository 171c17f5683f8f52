// The analytic network model (telsim/studies/analytic_network.hpp): each trunk group's
// blocking by the Erlang fixed point (reduced-load method, SPEC §4), for the scenario's
// first attempts.
//
// How the scenario becomes demands (the trunk-network part is analysis/fixed_point.hpp):
//  - Every relation between two exchanges is one demand on its route (the route from the
//    caller's exchange to the callee's, or the reverse route with each chain reversed).
//    Relations inside one exchange use no trunk and are not demands, but their calls
//    still occupy lines (below).
//  - Arrivals: `poisson` at its base rate (the `profile` multipliers are ignored, i.e.
//    multiplier 1); `per_idle_source` at rate x count x P(the source is idle); scripted
//    (`at`) as if its calls were spread evenly over the run: (number of listed times) /
//    (warmup + duration), an `auto` warm-up counting as 0, then thinned like `poisson`.
//  - First attempts only: completion policies (redials, camp-on, callbacks, messages)
//    are ignored, so repeated attempts do not add load.
//  - Circuit holding per call that finds its callee idle, from the answer model:
//    p (E[min(D, T)] + P(D < T) h) + (1 - p) T with answer probability p, answer delay D,
//    ring timeout T and mean holding h (only the means of the holding distribution
//    matter); with no timeout, p (E[D] + h). A call that finds its callee busy releases
//    its circuits at once and holds nothing. E[min(D, T)] and P(D < T) are exact for
//    deterministic, exponential and uniform delays; for other delay distributions they are
//    estimated from 200,000 draws of a fixed random stream.
//  - Lines: each address is an Erlang loss system of its `lines` (B(lines, A), A the
//    traffic it would hold as caller and callee); that gives the probability that a poisson
//    caller is busy (no call), that a per_idle_source address is not idle, and that a
//    callee is busy. The line and trunk figures depend on each other: an outer loop
//    repeats the trunk fixed point until the line figures settle.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/fixed_point.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/studies/analytic_network.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {
namespace {

/// Circuit and line occupancy (seconds) of one call that reaches an idle callee.
double occupancy_per_call(const models::RelationSpec& r) {
  const double h = r.holding.mean();
  const double p = r.answer.probability;
  const sim::Distribution& d = r.answer.delay;
  if (!r.answer.timeout) return p * (d.mean() + h);
  const double t = *r.answer.timeout;
  double answered_in_time = 0.0;  // P(D < T)
  double ringing = 0.0;           // E[min(D, T)]
  switch (d.kind()) {
    case sim::Distribution::Kind::deterministic:
      answered_in_time = d.mean() < t ? 1.0 : 0.0;
      ringing = std::min(d.mean(), t);
      break;
    case sim::Distribution::Kind::exponential: {
      const double m = d.mean();
      answered_in_time = m > 0.0 ? -std::expm1(-t / m) : 1.0;
      ringing = m * answered_in_time;
      break;
    }
    case sim::Distribution::Kind::uniform: {
      const double lo = d.param_a();
      const double hi = d.param_b();
      if (t >= hi && hi > lo) {
        answered_in_time = 1.0;
        ringing = d.mean();
      } else if (t <= lo) {
        answered_in_time = 0.0;
        ringing = t;
      } else {
        answered_in_time = (t - lo) / (hi - lo);
        ringing = answered_in_time * (lo + t) / 2.0 + (1.0 - answered_in_time) * t;
      }
      break;
    }
    default: {
      sim::RandomStream rng(0x7e15'1a11'0000'0001ull);  // fixed: the output is reproducible
      constexpr int draws = 200000;
      double in_time = 0.0, sum = 0.0;
      for (int i = 0; i < draws; ++i) {
        const double x = d.sample(rng);
        if (x < t) in_time += 1.0;
        sum += std::min(x, t);
      }
      answered_in_time = in_time / draws;
      ringing = sum / draws;
      break;
    }
  }
  return p * (ringing + answered_in_time * h) + (1.0 - p) * t;
}

}  // namespace

std::vector<AnalyticFigure> analytic_network(const scenarios::Scenario& scenario) {
  const models::NetworkSpec& net = scenario.network;
  std::vector<AnalyticFigure> figures;
  try {
    std::vector<analysis::FixedPointGroup> groups;
    for (const auto& g : net.trunk_groups) groups.push_back({g.circuits, g.reserve});

    // Per relation: attempt rate (before the caller-busy thinning), occupancy, demand index.
    const std::size_t relations = net.relations.size();
    std::vector<double> rate(relations), occupancy(relations);
    std::vector<std::optional<std::size_t>> demand_of(relations);
    std::vector<analysis::FixedPointDemand> demands;
    for (std::size_t r = 0; r < relations; ++r) {
      const auto& rel = net.relations[r];
      const auto& caller = net.populations[rel.from];
      switch (rel.arrivals.kind) {
        case models::ArrivalSpec::Kind::poisson:
          rate[r] = rel.arrivals.rate;
          break;
        case models::ArrivalSpec::Kind::per_idle_source:
          rate[r] = rel.arrivals.rate * static_cast<double>(caller.count);
          break;
        case models::ArrivalSpec::Kind::scripted:
          // `duration` is > 0 (the loader says so), so the run is never empty.
          rate[r] = static_cast<double>(rel.arrivals.at.size()) /
                    (scenario.warmup.value_or(0.0) + scenario.duration);
          break;
      }
      occupancy[r] = occupancy_per_call(rel);
      const std::uint32_t from = caller.exchange;
      const std::uint32_t to = net.populations[rel.to].exchange;
      if (from == to) continue;
      std::vector<std::vector<std::size_t>> alternatives;
      for (const auto& chain : models::route_alternatives(net, from, to)) {
        alternatives.emplace_back(chain.begin(), chain.end());
      }
      if (alternatives.empty()) {
        throw StudyError(exit_failed,
                         fmt::format("telsim: error: analytic network: relation '{}' has no route "
                                     "(the scenario loader should have said so)",
                                     rel.name));
      }
      demand_of[r] = demands.size();
      demands.push_back({0.0, std::move(alternatives)});
    }

    // Outer loop: line busy probabilities <-> trunk losses.
    const std::size_t populations = net.populations.size();
    std::vector<double> busy(populations, 0.0);
    std::vector<double> loss(relations, 0.0);
    analysis::FixedPointResult fp;
    bool settled = false;
    constexpr int max_outer = 1000;
    for (int outer = 0; outer < max_outer && !settled; ++outer) {
      for (std::size_t r = 0; r < relations; ++r) {
        if (!demand_of[r]) continue;
        const auto& rel = net.relations[r];
        demands[*demand_of[r]].offered_erlangs =
            rate[r] * (1.0 - busy[rel.from]) * (1.0 - busy[rel.to]) * occupancy[r];
      }
      fp = analysis::erlang_fixed_point(groups, demands);
      if (!fp.converged) {
        throw StudyError(exit_failed,
                         fmt::format("telsim: error: analytic network: the Erlang fixed point did "
                                     "not converge in {} iterations (last change {:.3g}); the "
                                     "reduced-load approximation has no stable answer for this "
                                     "network",
                                     fp.iterations, fp.residual));
      }
      for (std::size_t r = 0; r < relations; ++r) {
        if (demand_of[r]) loss[r] = fp.demands[*demand_of[r]].loss;
      }
      // Traffic each population's lines would hold, as callers and as callees.
      std::vector<double> held(populations, 0.0);
      for (std::size_t r = 0; r < relations; ++r) {
        const auto& rel = net.relations[r];
        const double per_call = (1.0 - loss[r]) * occupancy[r];
        held[rel.from] += rate[r] * (1.0 - busy[rel.to]) * per_call;
        held[rel.to] += rate[r] * (1.0 - busy[rel.from]) * per_call;
      }
      double change = 0.0;
      for (std::size_t p = 0; p < populations; ++p) {
        const auto& pop = net.populations[p];
        const double next =
            pop.lines ? analysis::erlang_b(*pop.lines, held[p] / static_cast<double>(pop.count))
                      : 0.0;
        change = std::max(change, std::abs(next - busy[p]));
        busy[p] = next;
      }
      settled = change <= 1e-12;
    }
    if (!settled) {
      throw StudyError(exit_failed,
                       fmt::format("telsim: error: analytic network: the line occupancies did "
                                   "not settle in {} rounds of the fixed point",
                                   max_outer));
    }

    for (std::size_t j = 0; j < groups.size(); ++j) {
      const auto& name = net.trunk_groups[j].name;
      const auto& g = fp.groups[j];
      const std::string prefix = "trunk_groups." + name + ".";
      figures.push_back({prefix + "blocking", g.blocking});
      if (groups[j].reserve > 0)
        figures.push_back({prefix + "overflow_blocking", g.overflow_blocking});
      figures.push_back({prefix + "offered_erlangs", g.offered()});
      figures.push_back({prefix + "carried_erlangs", g.carried});
    }
    for (std::size_t r = 0; r < relations; ++r) {
      if (!demand_of[r]) continue;
      const std::string prefix = "traffic." + net.relations[r].name + ".";
      figures.push_back({prefix + "offered_erlangs", demands[*demand_of[r]].offered_erlangs});
      figures.push_back({prefix + "loss", loss[r]});
    }
    for (std::size_t p = 0; p < populations; ++p) {
      if (net.populations[p].lines)
        figures.push_back({"subscribers." + net.populations[p].name + ".busy", busy[p]});
    }
  } catch (const StudyError&) {
    throw;
  } catch (const std::exception& e) {
    throw StudyError(exit_failed, fmt::format("telsim: error: analytic network: {}", e.what()));
  }
  return figures;
}

}  // namespace telsim::studies
