// The dimensioning search (telsim/studies/dimension.hpp). How it decides (SPEC §4):
//  1. METRIC is a trunk-group metric name (meaning trunk_groups.NAME.METRIC) or a full
//     results path; the target is met when the metric's MEAN meets it. The search assumes
//     that more circuits never make the metric worse (blocking falls, carried traffic and
//     completion ratios rise); the answer is the smallest n that meets while n - 1 does not.
//  2. A first run at the scenario's own size c, with its replications R0, estimates the
//     traffic offered to the group as A = carried_erlangs / (1 - call_blocking), exact for
//     Poisson traffic lost-calls-cleared whatever c is (with overflow or repeated attempts
//     it is the traffic the group actually sees, which is what it must be sized for). When
//     every relation routed over the group has per_idle_source arrivals, the sources are
//     the relations' caller addresses N and the per-idle-source traffic is
//     beta = Y / ((1 - B)(N - Y)) (Engset: Y = N beta (1 - B) / (1 + beta (1 - B))).
//  3. The analytic start n0 is the smallest n whose Erlang B (or Engset) figure meets the
//     target, for call_blocking (call congestion) and time_congestion with <=, and for
//     carried_erlangs with >= (A (1 - B(n))); any other metric starts from c.
//  4. Deciding at a size n: run R0 replications (at least 5); the decision is sound when
//     the target lies outside mean ± ci95 (Student-t 95%). Otherwise double the
//     replications (R0, 2 R0, 4 R0, 8 R0: the cap); at the cap decide on the mean alone and
//     say so. Replication r is the same at every size (common random numbers), so the
//     decisions of neighbouring sizes are consistent.
//  5. Search: from n0 go down one circuit at a time while it meets (up while it fails),
//     doubling the step each time (galloping), until a meeting size and a failing size
//     bracket the answer; then bisect until they are one circuit apart. Sizes are at least
//     reserve + 1 (the fewest a group with that reserve may have); more than max(64, 8 max(n0, c))
//     circuits is an error (exit 3: target unreachable).
//  6. With K workers (MPI ranks), the sizes the search may need next (the first K of its
//     decision tree, breadth first) are judged side by side; the search then takes the
//     decisions it needs in its own order, so the answer and the trail are those of one
//     process, with fewer rounds.
#include "telsim/studies/dimension.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/metric_catalog.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {
namespace {

/// Caller addresses of the relations routed over `group`, if every one of them has
/// per_idle_source arrivals (else nullopt: Poisson, Erlang B).
std::optional<std::uint64_t> engset_sources(const models::NetworkSpec& net, std::uint32_t group) {
  std::uint64_t sources = 0;
  bool any = false;
  for (const auto& rel : net.relations) {
    const auto from = net.populations[rel.from].exchange;
    const auto to = net.populations[rel.to].exchange;
    bool uses = false;
    for (const auto& chain : models::route_alternatives(net, from, to)) {
      uses = uses || std::find(chain.begin(), chain.end(), group) != chain.end();
    }
    if (!uses) continue;
    if (rel.arrivals.kind != models::ArrivalSpec::Kind::per_idle_source) return std::nullopt;
    any = true;
    sources += net.populations[rel.from].count;
  }
  if (!any) return std::nullopt;
  return sources;
}

SearchStart analytic_start(const DimensionTarget& target, const std::string& group,
                           const OfferedLoad& load, std::int64_t limit) {
  SearchStart start;
  const std::string tg = fmt::format("trunk_groups.{}.", group);
  const std::string name =
      target.path.rfind(tg, 0) == 0 ? target.path.substr(tg.size()) : std::string();
  const bool blocking = name == "call_blocking" && target.at_most;
  const bool congestion = name == "time_congestion" && target.at_most;
  const bool carried = name == "carried_erlangs" && !target.at_most;
  if (!blocking && !congestion && !carried) return start;
  if (!load.sources) {
    // Erlang B: blocking <= v, or carried A (1 - B) >= v, i.e. B <= 1 - v / A.
    const double b =
        carried ? (load.offered > 0.0 ? 1.0 - target.value / load.offered : 0.0) : target.value;
    if (b > 0.0)
      start.estimate = analysis::erlang_b_circuits(load.offered, std::min(b, 1.0), limit);
    if (start.estimate) start.how = fmt::format("Erlang B estimate: {} circuits", *start.estimate);
    return start;
  }
  for (std::int64_t n = 1; n <= limit; ++n) {
    const auto e = analysis::engset(n, static_cast<std::int64_t>(*load.sources), load.beta);
    double figure = congestion ? e.time_congestion : e.call_congestion;
    if (carried) figure = load.offered * (1.0 - figure);
    if (target.met_by(figure)) {
      start.estimate = n;
      start.how = fmt::format("Engset estimate: {} circuits", n);
      return start;
    }
  }
  return start;
}

/// The sequential search of 5. above, replayed against the sizes judged so far: the next
/// size it needs, or its answer.
struct Replay {
  enum class Step { need, answer, unreachable } step = Step::need;
  std::int64_t circuits = 0;       ///< need: the size to judge; answer: the answer
  std::vector<std::int64_t> used;  ///< sizes whose decisions it took, in its order
};

Replay replay(std::int64_t start, std::int64_t floor, std::int64_t limit,
              const std::map<std::int64_t, bool>& meets) {
  Replay r;
  std::optional<std::int64_t> lo;  // largest size known not to meet
  std::optional<std::int64_t> hi;  // smallest size known to meet
  const auto take = [&](std::int64_t n) {
    const auto it = meets.find(n);
    if (it == meets.end()) return false;
    if (std::find(r.used.begin(), r.used.end(), n) == r.used.end()) r.used.push_back(n);
    (it->second ? hi : lo) = n;
    return true;
  };
  r.circuits = start;
  if (!take(start)) return r;
  for (std::int64_t step = 1; !lo || !hi; step *= 2) {
    if (hi) {
      if (*hi <= floor) break;
      r.circuits = std::max<std::int64_t>(floor, *hi - step);
    } else {
      if (*lo >= limit) {
        r.step = Replay::Step::unreachable;
        return r;
      }
      r.circuits = std::min(limit, *lo + step);
    }
    if (!take(r.circuits)) return r;
  }
  while (lo && *hi - *lo > 1) {
    r.circuits = *lo + (*hi - *lo) / 2;
    if (!take(r.circuits)) return r;
  }
  r.step = Replay::Step::answer;
  r.circuits = *hi;
  return r;
}

/// The first `width` sizes of the search's decision tree from what is known, breadth first.
std::vector<std::int64_t> next_sizes(std::int64_t start, std::int64_t floor, std::int64_t limit,
                                     const std::map<std::int64_t, bool>& known,
                                     const std::set<std::int64_t>& failed, unsigned width) {
  std::vector<std::int64_t> sizes;
  std::deque<std::map<std::int64_t, bool>> frontier{known};
  for (int visited = 0; !frontier.empty() && sizes.size() < width && visited < 4096; ++visited) {
    std::map<std::int64_t, bool> k = std::move(frontier.front());
    frontier.pop_front();
    const Replay r = replay(start, floor, limit, k);
    if (r.step != Replay::Step::need || failed.count(r.circuits) > 0) continue;
    if (std::find(sizes.begin(), sizes.end(), r.circuits) == sizes.end()) {
      sizes.push_back(r.circuits);
    }
    for (const bool outcome : {true, false}) {
      std::map<std::int64_t, bool> next = k;
      next[r.circuits] = outcome;
      frontier.push_back(std::move(next));
    }
  }
  return sizes;
}

class Search {
 public:
  Search(Session& session, const std::string& group, const DimensionTarget& target,
         std::size_t base, Workers& workers, const std::atomic<int>& stop,
         const DimensionTrail& trail)
      : session_(session),
        group_(group),
        target_(target),
        base_(base),
        workers_(workers),
        stop_(stop),
        trail_(trail) {}

  std::size_t cap() const { return 8 * base_; }

  /// Runs each of `sizes` with `replications` (side by side on the workers) and returns,
  /// per size, the per-replication values of `paths` and the replications run, or why that
  /// size could not be run.
  std::vector<TaskResult> run(const std::vector<std::int64_t>& sizes, std::size_t replications,
                              const std::vector<std::string>& paths) {
    return workers_.map(
        sizes.size(),
        [&](std::size_t i) {
          const std::int64_t circuits = sizes[i];
          scenarios::Scenario scenario;
          try {
            scenario =
                session_.variant({fmt::format("trunk_groups.{}.circuits={}", group_, circuits),
                                  fmt::format("replications={}", replications)});
          } catch (const scenarios::ScenarioError& e) {
            throw StudyError(exit_bad_input, e.what());
          }
          scenario.precision.reset();  // the search chooses the replications itself
          RunControl control;
          control.stop = &stop_;
          if (trail_.progress) {
            control.progress = [&](std::size_t done, std::size_t planned) {
              trail_.progress(circuits, done, planned);
            };
          }
          analysis::RunResults results;
          try {
            results = session_.run(scenario, session_.options().threads, control);
          } catch (const scenarios::Interrupted&) {
            throw;
          } catch (const StudyError&) {
            throw;
          } catch (const std::exception& e) {
            throw StudyError(exit_failed, fmt::format("telsim: error: {}: {}",
                                                      session_.options().file.string(), e.what()));
          }
          nlohmann::json out;
          out["replications"] = results.replications;
          for (const std::string& path : paths) {
            if (!results.metrics.contains(path)) continue;
            nlohmann::json values = nlohmann::json::array();
            for (const auto& v : results.metrics.values(path)) {
              values.push_back(v ? nlohmann::json(*v) : nlohmann::json());
            }
            out["values"][path] = std::move(values);
          }
          return out.dump();
        },
        stop_);
  }

  /// Judges every size of `sizes` not judged yet (see 4. above). A size that cannot be
  /// judged (the loader refuses it, its run fails, no data) keeps its error, raised only
  /// if the search needs that size: with several workers it may be a size judged in
  /// advance that one process would never have tried.
  void decide(std::vector<std::int64_t> sizes) {
    std::erase_if(sizes, [&](std::int64_t n) { return decided_.count(n) + failed_.count(n) > 0; });
    for (std::size_t reps = base_; !sizes.empty(); reps *= 2) {
      const std::vector<TaskResult> runs = run(sizes, reps, {target_.path});
      std::vector<std::int64_t> undecided;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        try {
          if (!judge_run(sizes[i], reps, runs[i])) undecided.push_back(sizes[i]);
        } catch (const StudyError& e) {
          failed_.emplace(sizes[i], e);
        }
      }
      sizes = std::move(undecided);
    }
  }

  /// The offered load, from a run at the current size (see 2. above).
  OfferedLoad measure(std::int64_t current, const models::NetworkSpec& net, std::uint32_t group) {
    const std::string tg = fmt::format("trunk_groups.{}.", group_);
    const nlohmann::json runs = nlohmann::json::parse(
        outputs_or_throw(run({current}, base_, {tg + "carried_erlangs", tg + "call_blocking"}))
            .front());
    const auto mean = [&](const std::string& path) {
      const nlohmann::json& values = runs.value("values", nlohmann::json::object());
      if (!values.contains(path)) return 0.0;
      return analysis::summarize(statistic_values(values[path])).mean.value_or(0.0);
    };
    OfferedLoad load;
    load.circuits = current;
    load.carried = mean(tg + "carried_erlangs");
    load.blocking = mean(tg + "call_blocking");
    load.offered = load.blocking < 1.0 ? load.carried / (1.0 - load.blocking) : load.carried;
    if (const auto n = engset_sources(net, group);
        n && static_cast<double>(*n) > load.carried && load.blocking < 1.0) {
      load.sources = n;
      load.beta = load.carried / ((1.0 - load.blocking) * (static_cast<double>(*n) - load.carried));
    }
    return load;
  }

  /// Runs the search from `start` to its answer, reporting each decision it takes.
  std::int64_t search(std::int64_t start, std::int64_t floor, std::int64_t limit) {
    const unsigned width = static_cast<unsigned>(std::max(1, workers_.ranks()));
    std::size_t reported = 0;
    while (true) {
      std::map<std::int64_t, bool> known;
      for (const auto& [n, d] : decided_) known[n] = d.meets;
      const Replay r = replay(start, floor, limit, known);
      for (; reported < r.used.size(); ++reported) {
        if (trail_.decided) trail_.decided(decided_.at(r.used[reported]));
      }
      if (r.step == Replay::Step::answer) return r.circuits;
      if (r.step == Replay::Step::need) {
        if (const auto it = failed_.find(r.circuits); it != failed_.end()) throw it->second;
      }
      if (r.step == Replay::Step::unreachable) {
        throw StudyError(exit_failed,
                         fmt::format("telsim: error: {}: {} {} {} is not met with up to {} "
                                     "circuits on {}",
                                     session_.options().file.string(), target_.metric,
                                     target_.at_most ? "<=" : ">=", target_.value, limit, group_));
      }
      std::set<std::int64_t> failed;
      for (const auto& [n, e] : failed_) failed.insert(n);
      decide(next_sizes(start, floor, limit, known, failed, width));
    }
  }

  const SizeDecision& decision(std::int64_t circuits) const { return decided_.at(circuits); }

 private:
  /// Judges size `n` from its run with `reps` replications: true when decided.
  bool judge_run(std::int64_t n, std::size_t reps, const TaskResult& result) {
    if (result.error) throw *result.error;
    const nlohmann::json run = nlohmann::json::parse(result.output);
    const nlohmann::json values = run.value("values", nlohmann::json::object());
    if (!values.contains(target_.path)) {
      throw StudyError(
          exit_bad_input,
          fmt::format("telsim: error: --target: no metric '{}' in the results{}", target_.path,
                      target_.metric.find('.') == std::string::npos
                          ? ""
                          : " (e.g. trunk_groups.NAME.call_blocking)"));
    }
    SizeDecision d;
    d.circuits = n;
    d.statistic = analysis::summarize(statistic_values(values[target_.path]));
    d.replications = run["replications"].get<std::size_t>();
    if (!d.statistic.mean) {
      throw StudyError(exit_failed,
                       fmt::format("telsim: error: {}: {} has no data with {} circuits",
                                   session_.options().file.string(), target_.path, n));
    }
    if (!judge(d, reps)) return false;
    decided_[n] = d;
    return true;
  }

  static std::vector<std::optional<double>> statistic_values(const nlohmann::json& values) {
    std::vector<std::optional<double>> out;
    for (const auto& v : values) {
      out.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
    }
    return out;
  }

  /// True when `d`, run with `reps` replications, is decided (4. above).
  bool judge(SizeDecision& d, std::size_t reps) const {
    const double m = *d.statistic.mean;
    if (d.statistic.ci95) {
      const double h = *d.statistic.ci95;
      const double worst = target_.at_most ? m + h : m - h;
      const double best = target_.at_most ? m - h : m + h;
      if (target_.met_by(worst) && worst != target_.value) {
        d.meets = true;
        return true;
      }
      if (!target_.met_by(best)) {
        d.meets = false;
        return true;
      }
    }
    if (reps * 2 > cap()) {
      d.meets = target_.met_by(m);
      d.on_mean_only = true;
      return true;
    }
    return false;
  }

  Session& session_;
  const std::string& group_;
  const DimensionTarget& target_;
  std::size_t base_;
  Workers& workers_;
  const std::atomic<int>& stop_;
  const DimensionTrail& trail_;
  std::map<std::int64_t, SizeDecision> decided_;
  std::map<std::int64_t, StudyError> failed_;
};

}  // namespace

DimensionTarget parse_dimension_target(const std::string& text, const std::string& group) {
  DimensionTarget t;
  auto op = text.find("<=");
  if (op == std::string::npos) {
    op = text.find(">=");
    t.at_most = false;
  }
  if (op == std::string::npos || op == 0 || op + 2 >= text.size()) {
    throw StudyError(exit_bad_input,
                     fmt::format("telsim: error: --target '{}': expected METRIC<=VALUE or "
                                 "METRIC>=VALUE, e.g. call_blocking<=0.01",
                                 text));
  }
  t.metric = text.substr(0, op);
  const std::string number = text.substr(op + 2);
  const char* end = number.data() + number.size();
  const auto [ptr, ec] = std::from_chars(number.data(), end, t.value);
  if (ec != std::errc() || ptr != end || !std::isfinite(t.value)) {
    throw StudyError(exit_bad_input, fmt::format("telsim: error: --target '{}': '{}' is not a "
                                                 "number",
                                                 text, number));
  }
  if (t.metric.find('.') == std::string::npos) {
    const std::vector<std::string_view> names = analysis::dimension_target_metrics();
    if (std::find(names.begin(), names.end(), t.metric) == names.end()) {
      throw StudyError(exit_bad_input,
                       fmt::format("telsim: error: --target '{}': unknown trunk-group metric "
                                   "'{}' ({}, or a full results path)",
                                   text, t.metric, fmt::join(names, ", ")));
    }
    t.path = fmt::format("trunk_groups.{}.{}", group, t.metric);
  } else {
    t.path = t.metric;
  }
  return t;
}

DimensionResult dimension_trunk_group(Session& session, const std::string& group,
                                      const DimensionTarget& target, Workers& workers,
                                      const std::atomic<int>& stop, const DimensionTrail& trail) {
  const auto& net = session.base().network;
  std::optional<std::uint32_t> index;
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < net.trunk_groups.size(); ++i) {
    names.push_back(net.trunk_groups[i].name);
    if (net.trunk_groups[i].name == group) index = i;
  }
  if (!index) {
    throw StudyError(
        exit_bad_input,
        fmt::format("telsim: error: --trunk-group '{}': no such trunk group in {} ({})", group,
                    session.options().file.string(),
                    names.empty() ? std::string("it has none")
                                  : fmt::format("{}", fmt::join(names, ", "))));
  }
  const auto current = static_cast<std::int64_t>(net.trunk_groups[*index].circuits);
  const std::size_t base = std::max<std::size_t>(session.base().replications, 5);
  Search search(session, group, target, base, workers, stop, trail);

  const OfferedLoad load = search.measure(current, net, *index);
  if (trail.load_measured) trail.load_measured(load);

  const std::int64_t analytic_limit = std::max<std::int64_t>(100000, 4 * current);
  SearchStart start = analytic_start(target, group, load, analytic_limit);
  // The fewest circuits the group may have: more than its reserve (the loader's rule).
  const std::int64_t floor = static_cast<std::int64_t>(net.trunk_groups[*index].reserve) + 1;
  start.circuits = std::max<std::int64_t>(floor, start.estimate.value_or(current));
  start.replications = base;
  start.max_replications = search.cap();
  if (trail.search_started) trail.search_started(start);
  const std::int64_t limit = std::max<std::int64_t>(64, 8 * std::max(start.circuits, current));

  DimensionResult result;
  result.circuits = search.search(start.circuits, floor, limit);
  result.decision = search.decision(result.circuits);
  return result;
}

}  // namespace telsim::studies
