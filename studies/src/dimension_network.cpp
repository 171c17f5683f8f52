// Network dimensioning (telsim/studies/dimension_network.hpp). How it decides (SPEC §4):
//  1. The target: a trunk-group metric name (call_blocking, time_congestion, ...) applies
//     to every group (trunk_groups.<g>.METRIC), a full results path is one target for the
//     whole network. A size vector meets when every target path's MEAN over the run's
//     replications meets it; a path with no data (a group that received no request in the
//     run) meets. Each size vector is judged by one run identical to
//     `telsim run FILE --set trunk_groups.<g>.circuits=<n>...` with the same options, so
//     every figure printed can be checked by running it.
//  2. Start: for call_blocking or time_congestion <= B, the analytic network model
//     (studies/analytic_network.hpp) gives each group's offered traffic; each group gets
//     the fewest circuits whose Erlang B figure meets B; the model is solved again at those
//     sizes (overflow changes with them) until the sizes repeat (at most 20 times). Erlang
//     B takes overflow for Poisson traffic, so then every group whose modelled blocking
//     (equivalent random theory) still misses B is raised by 5% (at least 1), until none
//     does (at most 200 times). Any other target starts from the scenario's sizes.
//  3. Raise: while the sizes fail, every group whose own target fails (every group, for a
//     full-path target) is raised: to the Erlang B size for the traffic it was offered in
//     that run (carried / (1 - call_blocking)) when that is larger, else by a step that
//     doubles each time the same group is raised again. Beyond max(64, 8 x its start) on a
//     group the target is unreachable (exit 3).
//  4. Lower: from sizes that meet, try every group above reserve + 1 circuits (the fewest
//     the loader allows it) one circuit smaller (each alone, side by
//     side on the workers). None meets: done, and those runs are the proof that no group
//     can lose a circuit. One meets: take it. Several meet: try them all lowered at once,
//     and take that if it meets, else the first of them in the scenario's order. Repeat.
//  Replication r is the same in every run (common random numbers), so neighbouring sizes
//  are compared on the same calls. The search assumes more circuits never make a group's
//  metric worse; with reservation and overflow that can fail, and the answer is then a
//  local one (each group at the fewest circuits given the others), which 4. guarantees.
//  A target that is not monotone in the circuits (a tandem's carried Erlangs grow when the
//  direct group shrinks) can be met only by lowering some group, which 3. never does: it
//  then reports the target unreachable. A full-path target raises every group alike, so
//  its answer is local too (fewer circuits spread otherwise may also meet it).
#include "telsim/studies/dimension_network.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "telsim/analysis/erlang.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/analytic_network.hpp"
#include "telsim/studies/dimension.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {
namespace {

/// What one run gave: the target paths, and each group's carried Erlangs and blocking.
struct RunFigures {
  std::vector<analysis::Statistic> targets;
  std::vector<double> carried;
  std::vector<double> blocking;
};

std::vector<std::optional<double>> values_of(const nlohmann::json& values) {
  std::vector<std::optional<double>> out;
  for (const auto& v : values) {
    out.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
  }
  return out;
}

/// `trunk_groups.<g>.circuits=<n>` for every group: what each candidate is, as `--set`.
std::vector<std::string> circuit_overrides(const std::vector<std::string>& groups,
                                           const std::vector<std::int64_t>& circuits) {
  std::vector<std::string> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out.push_back(fmt::format("trunk_groups.{}.circuits={}", groups[g], circuits[g]));
  }
  return out;
}

class NetworkSearch {
 public:
  NetworkSearch(Session& session, std::vector<DimensionTarget> targets, Workers& workers,
                const std::atomic<int>& stop, const NetworkTrail& trail)
      : session_(session),
        targets_(std::move(targets)),
        workers_(workers),
        stop_(stop),
        trail_(trail) {
    for (const auto& g : session.base().network.trunk_groups) groups_.push_back(g.name);
  }

  const std::vector<std::string>& groups() const { return groups_; }
  std::size_t simulations() const { return simulations_; }

  /// Judges every candidate not judged yet, side by side; fills in their figures.
  void judge(std::vector<NetworkCandidate>& candidates) {
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (!known_.count(candidates[i].circuits)) todo.push_back(i);
    }
    if (!todo.empty()) {
      const std::vector<std::string> outputs = outputs_or_throw(workers_.map(
          todo.size(), [&](std::size_t t) { return run(candidates[todo[t]].circuits); }, stop_));
      simulations_ += todo.size();
      for (std::size_t t = 0; t < todo.size(); ++t) {
        known_[candidates[todo[t]].circuits] = parse(outputs[t], candidates[todo[t]].circuits);
      }
    }
    for (auto& c : candidates) {
      const RunFigures& f = known_.at(c.circuits);
      c.statistics = f.targets;
      c.meets = meets(f);
      if (trail_.judged) trail_.judged(c);
    }
  }

  const RunFigures& figures(const std::vector<std::int64_t>& circuits) const {
    return known_.at(circuits);
  }

  /// Whether target k is met in `f` (no data meets).
  bool target_met(const RunFigures& f, std::size_t k) const {
    const auto& mean = f.targets[k].mean;
    return !mean || targets_[k].met_by(*mean);
  }

 private:
  bool meets(const RunFigures& f) const {
    for (std::size_t k = 0; k < targets_.size(); ++k) {
      if (!target_met(f, k)) return false;
    }
    return true;
  }

  std::string run(const std::vector<std::int64_t>& circuits) {
    scenarios::Scenario scenario;
    try {
      scenario = session_.variant(circuit_overrides(groups_, circuits));
    } catch (const scenarios::ScenarioError& e) {
      throw StudyError(exit_bad_input, e.what());
    }
    RunControl control;
    control.stop = &stop_;
    if (trail_.progress) control.progress = trail_.progress;
    analysis::RunResults results;
    try {
      results = session_.run(scenario, session_.options().threads, control);
    } catch (const scenarios::Interrupted&) {
      throw;
    } catch (const std::exception& e) {
      throw StudyError(exit_failed, fmt::format("telsim: error: {}: {}",
                                                session_.options().file.string(), e.what()));
    }
    nlohmann::json out;
    auto put = [&](const std::string& path) {
      if (!results.metrics.contains(path)) return;
      nlohmann::json values = nlohmann::json::array();
      for (const auto& v : results.metrics.values(path)) {
        values.push_back(v ? nlohmann::json(*v) : nlohmann::json());
      }
      out[path] = std::move(values);
    };
    for (const auto& t : targets_) put(t.path);
    for (const auto& g : groups_) {
      put(fmt::format("trunk_groups.{}.carried_erlangs", g));
      put(fmt::format("trunk_groups.{}.call_blocking", g));
    }
    return out.dump();
  }

  RunFigures parse(const std::string& output, const std::vector<std::int64_t>& circuits) const {
    const nlohmann::json values = nlohmann::json::parse(output);
    RunFigures f;
    for (const auto& t : targets_) {
      if (!values.contains(t.path)) {
        throw StudyError(exit_bad_input,
                         fmt::format("telsim: error: --target: no metric '{}' in the results "
                                     "(sizes {})",
                                     t.path, fmt::join(circuits, ", ")));
      }
      f.targets.push_back(analysis::summarize(values_of(values[t.path])));
    }
    auto mean = [&](const std::string& path) {
      if (!values.contains(path)) return 0.0;
      return analysis::summarize(values_of(values[path])).mean.value_or(0.0);
    };
    for (const auto& g : groups_) {
      f.carried.push_back(mean(fmt::format("trunk_groups.{}.carried_erlangs", g)));
      f.blocking.push_back(mean(fmt::format("trunk_groups.{}.call_blocking", g)));
    }
    return f;
  }

  Session& session_;
  std::vector<DimensionTarget> targets_;
  Workers& workers_;
  const std::atomic<int>& stop_;
  const NetworkTrail& trail_;
  std::vector<std::string> groups_;
  std::map<std::vector<std::int64_t>, RunFigures> known_;
  std::size_t simulations_ = 0;
};

/// The metric name when every target is a trunk-group blocking bounded from above.
bool is_blocking_target(const std::vector<DimensionTarget>& targets, bool per_group) {
  if (!per_group) return false;
  const auto& t = targets.front();
  return t.at_most && (t.metric == "call_blocking" || t.metric == "time_congestion") &&
         t.value > 0.0 && t.value <= 1.0;
}

std::int64_t erlang_b_size(double offered, double blocking, std::int64_t limit) {
  if (!(offered >= 0.0)) return 1;
  return analysis::erlang_b_circuits(offered, blocking, limit).value_or(limit + 1);
}

/// The analytic model's figures at `sizes`.
std::map<std::string, double> model_at(Session& session, const std::vector<std::string>& groups,
                                       const std::vector<std::int64_t>& sizes) {
  std::map<std::string, double> figures;
  for (const auto& f : analytic_network(session.variant(circuit_overrides(groups, sizes))))
    figures[f.name] = f.value;
  return figures;
}

/// 2. above: the analytic start, or nothing with why.
std::optional<std::vector<std::int64_t>> analytic_start(Session& session,
                                                        const std::vector<std::string>& groups,
                                                        const std::vector<std::int64_t>& floors,
                                                        const DimensionTarget& target,
                                                        std::string& how) {
  std::vector<std::int64_t> sizes;
  for (const auto& g : session.base().network.trunk_groups) sizes.push_back(g.circuits);
  const std::string figure = target.metric == "call_blocking" ? "blocking" : "time_congestion";
  try {
    // Erlang B on each group's offered traffic, until the overflow it sets settles...
    int rounds = 0;
    for (; rounds < 20; ++rounds) {
      const auto figures = model_at(session, groups, sizes);
      std::vector<std::int64_t> next;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto it = figures.find(fmt::format("trunk_groups.{}.offered_erlangs", groups[g]));
        if (it == figures.end()) {
          how = "no analytic start (the model gives no offered traffic for " + groups[g] +
                "): starting from the scenario's sizes";
          return std::nullopt;
        }
        next.push_back(
            std::max<std::int64_t>(floors[g], erlang_b_size(it->second, target.value, 1'000'000)));
      }
      if (next == sizes) {
        ++rounds;
        break;
      }
      sizes = std::move(next);
    }
    // ...then raised where the model, which knows overflow is peaked, still blocks more.
    int raised = 0;
    for (; raised < 200; ++raised) {
      const auto figures = model_at(session, groups, sizes);
      bool any = false;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto it = figures.find(fmt::format("trunk_groups.{}.{}", groups[g], figure));
        if (it == figures.end() || target.met_by(it->second)) continue;
        sizes[g] += std::max<std::int64_t>(1, sizes[g] / 20);
        any = true;
      }
      if (!any) break;
    }
    how = fmt::format(
        "analytic network model ({} Erlang B rounds, {} rounds raising groups "
        "whose modelled {} misses the target)",
        rounds + 1, raised, figure);
  } catch (const std::exception& e) {
    how = fmt::format("no analytic start ({}): starting from the scenario's sizes", e.what());
    return std::nullopt;
  }
  return sizes;
}

std::string names_of(const std::vector<std::string>& groups, const std::vector<std::size_t>& g) {
  std::vector<std::string> names;
  for (const std::size_t i : g) names.push_back(groups[i]);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

NetworkSizing dimension_network(Session& session, const std::string& target_text, Workers& workers,
                                const std::atomic<int>& stop, const NetworkTrail& trail) {
  const auto& net = session.base().network;
  if (net.trunk_groups.empty()) {
    throw StudyError(exit_bad_input, fmt::format("telsim: error: --all: {} has no trunk group",
                                                 session.options().file.string()));
  }
  // A bare metric means one target per group; a full path, one for the network.
  const DimensionTarget first = parse_dimension_target(target_text, net.trunk_groups[0].name);
  const bool per_group = first.metric.find('.') == std::string::npos;
  std::vector<DimensionTarget> targets;
  if (per_group) {
    for (const auto& g : net.trunk_groups) {
      targets.push_back(parse_dimension_target(target_text, g.name));
    }
  } else {
    targets.push_back(first);
  }
  NetworkSearch search(session, targets, workers, stop, trail);
  const std::vector<std::string>& groups = search.groups();
  const std::size_t count = groups.size();

  std::vector<std::int64_t> scenario_sizes;
  std::vector<std::int64_t> floors;  // the fewest circuits a group may have: reserve + 1
  for (const auto& g : net.trunk_groups) {
    scenario_sizes.push_back(g.circuits);
    floors.push_back(static_cast<std::int64_t>(g.reserve) + 1);
  }
  std::string how =
      fmt::format("no analytic estimate for {}: starting from the scenario's sizes", first.metric);
  std::vector<std::int64_t> sizes = scenario_sizes;
  if (is_blocking_target(targets, per_group)) {
    if (auto start = analytic_start(session, groups, floors, first, how)) sizes = *start;
  }
  if (trail.started) trail.started(sizes, how);
  std::vector<std::int64_t> limits;
  for (std::size_t g = 0; g < count; ++g) {
    limits.push_back(std::max<std::int64_t>(64, 8 * std::max(sizes[g], scenario_sizes[g])));
  }

  // 3. Raise until every target is met.
  std::vector<std::int64_t> steps(count, 1);
  std::string why = "start";
  for (;;) {
    std::vector<NetworkCandidate> round{{sizes, {}, false, why}};
    search.judge(round);
    if (round[0].meets) break;
    const auto& f = search.figures(sizes);
    std::vector<std::size_t> raised;
    for (std::size_t g = 0; g < count; ++g) {
      const bool fails = per_group ? !search.target_met(f, g) : true;
      if (!fails) continue;
      std::int64_t next = sizes[g] + steps[g];
      if (is_blocking_target(targets, per_group) && f.blocking[g] < 1.0) {
        const double offered = f.carried[g] / (1.0 - f.blocking[g]);
        next = std::max(next, erlang_b_size(offered, first.value, limits[g]));
      }
      steps[g] *= 2;
      if (next > limits[g]) {
        throw StudyError(
            exit_failed,
            fmt::format("telsim: error: {}: {} {} {} is not met with up to {} "
                        "circuits on {}",
                        session.options().file.string(), first.metric,
                        first.at_most ? "<=" : ">=", first.value, limits[g], groups[g]));
      }
      sizes[g] = next;
      raised.push_back(g);
    }
    why = "raise " + names_of(groups, raised);
  }

  // 4. Lower while some group can lose a circuit.
  NetworkSizing out;
  out.groups = groups;
  for (const auto& t : targets) out.paths.push_back(t.path);
  for (;;) {
    std::vector<NetworkCandidate> smaller;
    std::vector<std::size_t> which;
    for (std::size_t g = 0; g < count; ++g) {
      if (sizes[g] <= floors[g]) continue;
      NetworkCandidate c;
      c.circuits = sizes;
      --c.circuits[g];
      c.why = groups[g] + " - 1";
      smaller.push_back(std::move(c));
      which.push_back(g);
    }
    search.judge(smaller);
    std::vector<std::size_t> meeting;
    for (std::size_t i = 0; i < smaller.size(); ++i) {
      if (smaller[i].meets) meeting.push_back(i);
    }
    if (meeting.empty()) {
      out.one_smaller = std::move(smaller);
      break;
    }
    std::vector<std::int64_t> next = smaller[meeting.front()].circuits;
    if (meeting.size() > 1) {
      NetworkCandidate together;
      together.circuits = sizes;
      std::vector<std::size_t> lowered;
      for (const std::size_t i : meeting) {
        --together.circuits[which[i]];
        lowered.push_back(which[i]);
      }
      together.why = "all of " + names_of(groups, lowered) + " - 1";
      std::vector<NetworkCandidate> round{together};
      search.judge(round);
      if (round[0].meets) next = round[0].circuits;
    }
    sizes = std::move(next);
  }
  out.answer.circuits = sizes;
  out.answer.why = "answer";
  out.answer.statistics = search.figures(sizes).targets;
  out.answer.meets = true;
  out.simulations = search.simulations();
  return out;
}

}  // namespace telsim::studies
