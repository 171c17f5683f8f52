// The analytic network model (telsim/studies/analytic_network.hpp): each trunk group's
// blocking and each relation's first-attempt loss by the reduced-load fixed point with
// equivalent random theory for overflow (analysis/fixed_point.hpp, SPEC §4).
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
//  - Completion policies add trunk load, to first order (add_policy_load): every repeated
//    attempt meets the first attempt's failure probabilities; redials (persistence,
//    max_attempts), callback recalls (x the recall answer probability), message returns
//    (a demand on the route back), camp-on on busy (circuits held while waiting for one of
//    the callee's lines, or until the patience's mean) and on congestion (one more
//    attempt), intrusion (circuits held for the holding time where the callee exchange
//    has bridges); a mode the caller cannot use goes to the fallback. queue_limit,
//    max_per_address, expiry and cancel_after are ignored; a plug-in type adds nothing
//    (its relation's loss line says so).
//  - Smoothing by lines: a population's lines carry traffic with peakedness
//    Z_p = V / Y < 1 (per address an Erlang loss system, V = Y - A B (lines - Y)); a
//    relation's share f of it has 1 + f (Z_p - 1), the product over caller and callee;
//    the fixed point applies Hayward's approximation to first-choice traffic with it.
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
#include <array>
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

/// Circuit and line occupancy (seconds) of one call that reaches an idle callee; and the
/// probability that it is answered (the rest fail with no_answer).
double occupancy_per_call(const models::RelationSpec& r, double* answered = nullptr) {
  const double h = r.holding.mean();
  const double p = r.answer.probability;
  const sim::Distribution& d = r.answer.delay;
  if (answered != nullptr) *answered = p;
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
  if (answered != nullptr) *answered = p * answered_in_time;
  return p * (ringing + answered_in_time * h) + (1.0 - p) * t;
}

/// What a relation's completion policy adds to the trunk load, per first attempt
/// (first-order: every repeated attempt meets the first attempt's failure probabilities).
struct PolicyLoad {
  double extra_attempts = 0.0;  ///< more attempts on the same route (redials, recalls)
  double extra_seconds = 0.0;   ///< more circuit holding without a new request (camp-on, intrusion)
  double returns = 0.0;         ///< message return calls, on the route back
  std::string unmodelled;       ///< a policy type the model does not know
};

std::optional<models::CompletionMode> mode_of(const std::string& type) {
  if (type == "campon") return models::CompletionMode::campon;
  if (type == "callback") return models::CompletionMode::callback;
  if (type == "intrude") return models::CompletionMode::intrude;
  if (type == "message") return models::CompletionMode::message;
  return std::nullopt;
}

/// `q` holds the probabilities that an attempt fails with congestion, busy, no_answer.
void add_policy_load(const models::NetworkSpec& net, const models::RelationSpec& rel,
                     std::uint32_t policy, const std::array<double, 3>& q, int depth,
                     PolicyLoad& load) {
  if (depth > 8) return;  // fallback cycles are a scenario error; stay finite anyway
  const models::PolicySpec& spec = net.policies[policy];
  const auto& caller = net.populations[rel.from];
  const auto& callee = net.populations[rel.to];
  const auto modes =
      caller.completion.modes.value_or(net.exchanges[caller.exchange].completion.modes);
  std::array<double, 3> acts{0.0, 0.0, 0.0}, passes{0.0, 0.0, 0.0};  // per cause
  const auto mode = mode_of(spec.type);
  const bool supported = !mode || modes[static_cast<std::size_t>(*mode)];
  for (const auto cause : spec.when) {
    const auto c = static_cast<std::size_t>(cause);
    (supported ? acts : passes)[c] = q[c];
  }
  const auto number = [&](const char* key, double fallback) {
    const auto found = spec.params.find(key);
    return found == spec.params.end() ? fallback : found->second.number;
  };
  const double h = rel.holding.mean();
  if (spec.type == "none") {
  } else if (spec.type == "redial") {
    const double persistence = number("persistence", 1.0);
    const auto found = spec.params.find("max_attempts");
    const std::optional<std::uint64_t> max_attempts =
        found == spec.params.end() ? std::nullopt : found->second.count;
    const double again = persistence * (acts[0] + acts[1] + acts[2]);
    double attempts = 0.0;  // sum over k >= 1 of again^k, k below max_attempts
    if (!max_attempts) {
      attempts = again < 1.0 ? again / (1.0 - again) : 1e3;
    } else {
      double term = 1.0;
      for (std::uint64_t k = 1; k < *max_attempts && k < 1000; ++k) {
        term *= again;
        attempts += term;
      }
    }
    load.extra_attempts += attempts;
  } else if (spec.type == "callback") {
    const auto found = spec.params.find("recall_answer");
    const double answered = found == spec.params.end() ? 1.0 : found->second.answer.probability;
    load.extra_attempts += (acts[0] + acts[1] + acts[2]) * answered;
  } else if (spec.type == "message") {
    load.returns += acts[1] + acts[2];
  } else if (spec.type == "campon") {
    // Busy: the call waits, holding its circuits, for one of the callee's lines (each frees
    // at rate 1/h), or gives up after its patience; served, it holds them for h.
    const auto found = spec.params.find("patience");
    const double patience = found != spec.params.end() && found->second.distribution
                                ? found->second.distribution->mean()
                                : INFINITY;
    const double frees = callee.lines ? static_cast<double>(*callee.lines) / h : INFINITY;
    const double give_up = std::isfinite(patience) && patience > 0.0 ? 1.0 / patience : 0.0;
    const double wait = 1.0 / (frees + give_up);
    const double served = frees / (frees + give_up);
    load.extra_seconds += acts[1] * (wait + served * h);
    // Congestion: it waits for a circuit and then goes on as a first attempt would.
    load.extra_attempts += acts[0];
  } else if (spec.type == "intrude") {
    // Busy: it joins the callee's call for its own holding time if a bridge is free.
    const auto bridges = net.exchanges[callee.exchange].completion.bridges;
    const double joined = bridges == 0 ? 0.0 : 1.0;
    load.extra_seconds += acts[1] * joined * h;
    passes[1] += acts[1] * (1.0 - joined);
  } else {
    load.unmodelled = spec.type;
  }
  if (spec.fallback && passes[0] + passes[1] + passes[2] > 0.0) {
    add_policy_load(net, rel, *spec.fallback, passes, depth + 1, load);
  }
}

/// The strategy of the route a call from exchange `from` to `to` takes (written either way).
models::RouteStrategy route_strategy(const models::NetworkSpec& net, std::uint32_t from,
                                     std::uint32_t to) {
  for (const auto& route : net.routes) {
    if (route.from == from && route.to == to) return route.strategy;
  }
  for (const auto& route : net.routes) {
    if (route.from == to && route.to == from) return route.strategy;
  }
  return models::RouteStrategy::sequential;
}

// Where the approximation is known to be weak (docs/validation.md measures it).
constexpr double very_peaked = 4.0;      // overflow peakedness Z beyond which ERT strays
constexpr double heavy_overflow = 0.25;  // overflow / first-choice load on a reserved group
constexpr double correlated_hops = 0.3;  // rho beyond which hops are far from independent

std::string join(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

std::vector<std::string> group_reasons(const analysis::FixedPointGroup& spec,
                                       const analysis::FixedPointGroupResult& g) {
  std::vector<std::string> reasons;
  if (g.offered_overflow > 0.05 * g.offered() && g.overflow_peakedness() > very_peaked) {
    reasons.push_back(fmt::format("very peaked overflow (Z {:.3g})", g.overflow_peakedness()));
  }
  if (spec.reserve > 0 && g.offered_first > 0.0 &&
      g.offered_overflow > heavy_overflow * g.offered_first) {
    // Through fmt: a literal of this length trips GCC 12's -Warray-bounds (a false positive).
    reasons.push_back(fmt::format("reservation with heavy {}", "overflow"));
  }
  if (g.correlation > correlated_hops) {
    reasons.push_back(fmt::format("chain hops carry the same calls (rho {:.2g})", g.correlation));
  }
  return reasons;
}

std::string group_remark(const analysis::FixedPointGroup& spec,
                         const analysis::FixedPointGroupResult& g) {
  const auto reasons = group_reasons(spec, g);
  return reasons.empty() ? std::string{} : "weak: " + join(reasons);
}

std::string demand_remark(const models::NetworkSpec& net, std::size_t r,
                          const analysis::FixedPointDemand& demand,
                          const analysis::FixedPointDemandResult& result,
                          const analysis::FixedPointResult& fp,
                          const std::vector<analysis::FixedPointGroup>& groups,
                          models::RouteStrategy strategy, const std::string& unmodelled) {
  std::vector<std::string> reasons;
  const auto& rel = net.relations[r];
  if (!unmodelled.empty()) {
    reasons.push_back(fmt::format("policy type {} adds no load in this model", unmodelled));
  }
  if (rel.bandwidth > 1) {
    reasons.push_back(fmt::format("bandwidth {} counted as {} single-circuit calls", rel.bandwidth,
                                  rel.bandwidth));
  }
  if (demand.alternatives.size() > 2 && strategy != models::RouteStrategy::sequential) {
    reasons.push_back(fmt::format("strategy {} taken as one other alternative drawn uniformly",
                                  models::to_string(strategy)));
  }
  if (demand.alternatives.size() > 2) {
    reasons.push_back("overflow of overflow on its third and later alternatives");
  }
  bool weak_group = false;
  for (std::size_t k = 1; k < demand.alternatives.size(); ++k) {
    for (const std::size_t j : demand.alternatives[k]) {
      if (!group_reasons(groups[j], fp.groups[j]).empty()) weak_group = true;
    }
  }
  if (result.correlation > correlated_hops) {
    reasons.push_back(
        fmt::format("its chains' hops carry the same calls (rho {:.2g})", result.correlation));
  }
  if (weak_group) reasons.push_back("its overflow path is weak (see its groups)");
  return reasons.empty() ? std::string{} : "weak: " + join(reasons);
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
    std::vector<double> rate(relations), occupancy(relations), answered(relations);
    std::vector<std::optional<std::size_t>> demand_of(relations);
    std::vector<models::RouteStrategy> strategy(relations, models::RouteStrategy::sequential);
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
      occupancy[r] = occupancy_per_call(rel, &answered[r]);
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
      strategy[r] = route_strategy(net, from, to);
      // With two alternatives every strategy tries the second after the first: sequential.
      // With more, random, dar and lba all try one other alternative (dar and lba not drawn
      // uniformly: approximated, and said so).
      const auto choice = strategy[r] == models::RouteStrategy::sequential
                              ? analysis::OverflowChoice::sequential
                              : analysis::OverflowChoice::one_other;
      demands.push_back({0.0, std::move(alternatives), choice});
    }
    // Message return calls go back over the route from the callee's exchange to the
    // caller's: one more demand per relation whose policy (or a fallback) leaves messages.
    std::vector<std::optional<std::size_t>> returns_of(relations);
    for (std::size_t r = 0; r < relations; ++r) {
      if (!demand_of[r] || !net.relations[r].policy) continue;
      const auto& rel = net.relations[r];
      const std::uint32_t from = net.populations[rel.from].exchange;
      const std::uint32_t to = net.populations[rel.to].exchange;
      std::vector<std::vector<std::size_t>> back;
      for (const auto& chain : models::route_alternatives(net, to, from)) {
        back.emplace_back(chain.begin(), chain.end());
      }
      if (back.empty()) continue;
      const auto st = route_strategy(net, to, from);
      returns_of[r] = demands.size();
      demands.push_back({0.0, std::move(back),
                         st == models::RouteStrategy::sequential
                             ? analysis::OverflowChoice::sequential
                             : analysis::OverflowChoice::one_other});
    }

    // Outer loop: line busy probabilities <-> trunk losses.
    const std::size_t populations = net.populations.size();
    std::vector<double> busy(populations, 0.0);
    std::vector<double> loss(relations, 0.0);
    analysis::FixedPointResult fp;
    bool settled = false;
    constexpr int max_outer = 1000;
    std::vector<double> first_offered(relations, 0.0), load_factor(relations, 1.0);
    std::vector<std::string> unmodelled(relations);
    // Lines smooth the traffic they carry: per population, the peakedness Z_p of what its
    // lines carry (each address an Erlang loss system: V = Y - A B (lines - Y)); per
    // relation, its traffic held on either end's lines (from the previous round).
    std::vector<double> pop_z(populations, 1.0), held(populations, 0.0), share(relations, 0.0);
    for (int outer = 0; outer < max_outer && !settled; ++outer) {
      double offered_change = 0.0;
      for (std::size_t r = 0; r < relations; ++r) {
        const auto& rel = net.relations[r];
        const double attempts = rate[r] * (1.0 - busy[rel.from]);
        first_offered[r] = attempts * (1.0 - busy[rel.to]) * occupancy[r];
        PolicyLoad extra;
        if (rel.policy) {
          const double congestion = loss[r];
          const double busy_callee = (1.0 - congestion) * busy[rel.to];
          const double no_answer = (1.0 - congestion) * (1.0 - busy[rel.to]) * (1.0 - answered[r]);
          add_policy_load(net, rel, *rel.policy, {congestion, busy_callee, no_answer}, 0, extra);
          unmodelled[r] = extra.unmodelled;
        }
        const double calls =
            first_offered[r] * (1.0 + extra.extra_attempts) + attempts * extra.extra_seconds;
        load_factor[r] = first_offered[r] > 0.0 ? calls / first_offered[r] : 1.0;
        // Circuits: a call of bandwidth k holds k on every hop, taken as k one-circuit
        // calls (its loss line says this is weak).
        const double offered =
            calls * static_cast<double>(std::max<std::uint32_t>(rel.bandwidth, 1));
        if (demand_of[r]) {
          auto& d = demands[*demand_of[r]];
          offered_change = std::max(
              offered_change, std::abs(offered - d.offered_erlangs) / std::max(offered, 1e-300));
          d.offered_erlangs = offered;
          // Smoothing by the lines at both ends: the relation's share f of a population's
          // carried traffic has peakedness 1 + f (Z_p - 1).
          const auto smooth = [&](std::uint32_t pop) {
            return held[pop] > 0.0 ? 1.0 + std::min(1.0, share[r] / held[pop]) * (pop_z[pop] - 1.0)
                                   : 1.0;
          };
          d.peakedness = std::clamp(smooth(rel.from) * smooth(rel.to), 0.05, 1.0);
        }
        if (returns_of[r]) {
          demands[*returns_of[r]].offered_erlangs = attempts * extra.returns * occupancy[r];
        }
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
      std::fill(held.begin(), held.end(), 0.0);
      for (std::size_t r = 0; r < relations; ++r) {
        const auto& rel = net.relations[r];
        const double per_call = (1.0 - loss[r]) * occupancy[r] * load_factor[r];
        held[rel.from] += rate[r] * (1.0 - busy[rel.to]) * per_call;
        held[rel.to] += rate[r] * (1.0 - busy[rel.from]) * per_call;
        share[r] = rate[r] * (1.0 - busy[rel.to]) * per_call;
      }
      double change = 0.0;
      for (std::size_t p = 0; p < populations; ++p) {
        const auto& pop = net.populations[p];
        const double next =
            pop.lines ? analysis::erlang_b(*pop.lines, held[p] / static_cast<double>(pop.count))
                      : 0.0;
        change = std::max(change, std::abs(next - busy[p]));
        busy[p] = next;
        if (pop.lines && held[p] > 0.0) {
          const double a = held[p] / static_cast<double>(pop.count);
          const double carried = a * (1.0 - next);
          const double variance = carried - a * next * (static_cast<double>(*pop.lines) - carried);
          pop_z[p] = std::clamp(variance / carried, 0.05, 1.0);
        }
      }
      settled = change <= 1e-12 && offered_change <= 1e-10;
    }
    if (!settled) {
      throw StudyError(exit_failed,
                       fmt::format("telsim: error: analytic network: the line occupancies did "
                                   "not settle in {} rounds of the fixed point",
                                   max_outer));
    }

    // The widest call each group carries: the model takes a call of bandwidth k as k
    // one-circuit calls, which a group's own line must say too (Kaufman-Roberts is exact).
    // Groups on a third or later alternative carry overflow of overflow, whose moments the
    // model propagates only approximately (measured up to 1.9x off).
    std::vector<std::uint32_t> widest(groups.size(), 1);
    std::vector<bool> overflow_of_overflow(groups.size(), false);
    for (const auto& rel : net.relations) {
      const auto from = net.populations[rel.from].exchange;
      const auto to = net.populations[rel.to].exchange;
      const auto alternatives = models::route_alternatives(net, from, to);
      for (std::size_t k = 0; k < alternatives.size(); ++k) {
        for (const auto g : alternatives[k]) {
          widest[g] = std::max(widest[g], rel.bandwidth);
          if (k >= 2) overflow_of_overflow[g] = true;
        }
      }
    }
    for (std::size_t j = 0; j < groups.size(); ++j) {
      const auto& name = net.trunk_groups[j].name;
      const auto& g = fp.groups[j];
      const std::string prefix = "trunk_groups." + name + ".";
      std::string remark = group_remark(groups[j], g);
      if (overflow_of_overflow[j]) {
        remark += fmt::format("{}overflow of overflow (a third or later alternative)",
                              remark.empty() ? "weak: " : "; ");
      }
      if (widest[j] > 1) {
        remark += fmt::format(
            "{}calls of bandwidth up to {} counted as single-circuit calls "
            "(telsim analytic kaufman-roberts is exact for one group)",
            remark.empty() ? "weak: " : "; ", widest[j]);
      }
      figures.push_back({prefix + "blocking", g.blocking, remark});
      figures.push_back({prefix + "time_congestion", g.first_choice_blocking, {}});
      const bool overflow = g.offered_overflow > 0.0;
      if (groups[j].reserve > 0 || overflow)
        figures.push_back({prefix + "overflow_blocking", g.overflow_blocking, {}});
      figures.push_back({prefix + "offered_erlangs", g.offered(), {}});
      figures.push_back({prefix + "carried_erlangs", g.carried, {}});
      if (overflow) {
        figures.push_back({prefix + "overflow_offered_erlangs", g.offered_overflow, {}});
        figures.push_back({prefix + "overflow_variance", g.overflow_variance, {}});
        figures.push_back({prefix + "overflow_peakedness", g.overflow_peakedness(), {}});
      }
    }
    for (std::size_t r = 0; r < relations; ++r) {
      if (!demand_of[r]) continue;
      const std::size_t d = *demand_of[r];
      const std::string prefix = "traffic." + net.relations[r].name + ".";
      figures.push_back({prefix + "offered_erlangs", first_offered[r], {}});
      figures.push_back({prefix + "loss", loss[r],
                         demand_remark(net, r, demands[d], fp.demands[d], fp, groups, strategy[r],
                                       unmodelled[r])});
    }
    for (std::size_t p = 0; p < populations; ++p) {
      if (net.populations[p].lines)
        figures.push_back({"subscribers." + net.populations[p].name + ".busy", busy[p], {}});
    }
  } catch (const StudyError&) {
    throw;
  } catch (const std::exception& e) {
    throw StudyError(exit_failed, fmt::format("telsim: error: analytic network: {}", e.what()));
  }
  return figures;
}

}  // namespace telsim::studies
