// `telsim dimension FILE --trunk-group NAME --target METRIC<=VALUE | METRIC>=VALUE`.
//
// How it decides (SPEC §4):
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
//     1; more than max(64, 8 max(n0, c)) circuits is an error (exit 3: target unreachable).
//  Prints each size tried with its mean ± ci95 and replications, then the last line
//  `NAME: N circuits (METRIC mean ± ci95)`. Writes no file.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "compare_study.hpp"
#include "signals.hpp"
#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/statistic.hpp"

namespace telsim::cli {
namespace {

const std::set<std::string> kTrunkGroupMetrics = {"call_blocking", "time_congestion",
                                                  "carried_erlangs", "overflow_calls"};

struct Target {
  std::string metric;   ///< as written
  std::string path;     ///< the results path
  bool at_most = true;  ///< `<=` (else `>=`)
  double value = 0;

  bool met_by(double x) const { return at_most ? x <= value : x >= value; }
};

std::optional<Target> parse_target(const std::string& text, const std::string& group,
                                   std::string& error) {
  Target t;
  auto op = text.find("<=");
  if (op == std::string::npos) {
    op = text.find(">=");
    t.at_most = false;
  }
  if (op == std::string::npos || op == 0 || op + 2 >= text.size()) {
    error = fmt::format(
        "--target '{}': expected METRIC<=VALUE or METRIC>=VALUE, e.g. "
        "call_blocking<=0.01",
        text);
    return std::nullopt;
  }
  t.metric = text.substr(0, op);
  const std::string number = text.substr(op + 2);
  const char* end = number.data() + number.size();
  const auto [ptr, ec] = std::from_chars(number.data(), end, t.value);
  if (ec != std::errc() || ptr != end || !std::isfinite(t.value)) {
    error = fmt::format("--target '{}': '{}' is not a number", text, number);
    return std::nullopt;
  }
  if (t.metric.find('.') == std::string::npos) {
    if (kTrunkGroupMetrics.count(t.metric) == 0) {
      error = fmt::format(
          "--target '{}': unknown trunk-group metric '{}' (call_blocking, time_congestion, "
          "carried_erlangs, overflow_calls, or a full results path)",
          text, t.metric);
      return std::nullopt;
    }
    t.path = fmt::format("trunk_groups.{}.{}", group, t.metric);
  } else {
    t.path = t.metric;
  }
  return t;
}

/// The analytic model of the group's traffic, from a run at its own size.
struct Load {
  double offered = 0;                    ///< Erlang (ITU-T definition for Engset)
  std::optional<std::uint64_t> sources;  ///< set: Engset with this many sources
  double beta = 0;                       ///< Engset: offered traffic per idle source
};

/// Caller addresses of the relations routed over `group`, if every one of them has
/// per_idle_source arrivals (else nullopt: Poisson, Erlang B).
std::optional<std::uint64_t> engset_sources(const models::NetworkSpec& net, std::uint32_t group) {
  std::uint64_t sources = 0;
  bool any = false;
  for (const auto& rel : net.relations) {
    const auto from = net.populations[rel.from].exchange;
    const auto to = net.populations[rel.to].exchange;
    bool uses = false;
    for (const auto& route : net.routes) {
      if (route.from != from || route.to != to) continue;
      for (const auto& chain : route.via) {
        uses = uses || std::find(chain.begin(), chain.end(), group) != chain.end();
      }
    }
    if (!uses) continue;
    if (rel.arrivals.kind != models::ArrivalSpec::Kind::per_idle_source) return std::nullopt;
    any = true;
    sources += net.populations[rel.from].count;
  }
  if (!any) return std::nullopt;
  return sources;
}

struct Estimate {
  std::optional<std::int64_t> circuits;
  std::string how;
};

Estimate analytic_start(const Target& target, const std::string& group, const Load& load,
                        std::int64_t limit) {
  const std::string tg = fmt::format("trunk_groups.{}.", group);
  const std::string name =
      target.path.rfind(tg, 0) == 0 ? target.path.substr(tg.size()) : std::string();
  const bool blocking = name == "call_blocking" && target.at_most;
  const bool congestion = name == "time_congestion" && target.at_most;
  const bool carried = name == "carried_erlangs" && !target.at_most;
  if (!blocking && !congestion && !carried) return {};
  const char* model = load.sources ? "Engset" : "Erlang B";
  long double b = 1.0L;  // Erlang B by its recursion, B(0) = 1
  for (std::int64_t n = 1; n <= limit; ++n) {
    b = load.offered * b / (n + load.offered * b);
    double figure = static_cast<double>(b);
    if (load.sources) {
      const auto e = analysis::engset(n, static_cast<std::int64_t>(*load.sources), load.beta);
      figure = congestion ? e.time_congestion : e.call_congestion;
    }
    if (carried) figure = load.offered * (1.0 - figure);
    if (target.met_by(figure)) {
      return {n, fmt::format("{} estimate: {} circuits", model, n)};
    }
  }
  return {};
}

struct Decision {
  analysis::Statistic statistic;
  std::size_t replications = 0;
  bool meets = false;
  bool on_mean_only = false;  ///< the cap was reached with the target inside the CI
};

class Search {
 public:
  Search(const DimensionArgs& args, const Target& target, std::size_t base_replications,
         const std::atomic<int>& stop)
      : args_(args), target_(target), base_(base_replications), stop_(stop) {}

  std::size_t cap() const { return 8 * base_; }

  /// Runs `circuits` with `replications`; nullopt + exit code on failure.
  std::optional<int> run(std::int64_t circuits, std::size_t replications,
                         analysis::RunResults& results) {
    std::unique_ptr<LoadedPoint> point;
    if (const auto failed =
            load_point(args_.study,
                       {fmt::format("trunk_groups.{}.circuits={}", args_.trunk_group, circuits),
                        fmt::format("replications={}", replications)},
                       point)) {
      return failed;
    }
    point->scenario.precision.reset();  // the search chooses the replications itself
    if (const auto failed = guarded(args_.study.file, [&] {
          results = run_point(args_.study, *point, stop_,
                              fmt::format("replications ({} circuits)", circuits));
        })) {
      return failed;
    }
    if (stop_.load() != 0) return report_interrupt(stop_.load());
    return std::nullopt;
  }

  /// Decides whether `circuits` meets the target, adding replications as needed.
  std::optional<int> decide(std::int64_t circuits, Decision& out) {
    if (const auto it = decided_.find(circuits); it != decided_.end()) {
      out = it->second;
      return std::nullopt;
    }
    Decision d;
    for (std::size_t reps = base_;; reps *= 2) {
      analysis::RunResults results;
      if (auto failed = run(circuits, reps, results)) return failed;
      if (!results.metrics.contains(target_.path)) {
        fmt::print(stderr, "telsim: error: --target: no metric '{}' in the results{}\n",
                   target_.path,
                   target_.metric.find('.') == std::string::npos
                       ? ""
                       : " (e.g. trunk_groups.NAME.call_blocking)");
        return exit_bad_input;
      }
      d.statistic = results.metrics.statistic(target_.path);
      d.replications = results.replications;
      if (!d.statistic.mean) {
        fmt::print(stderr, "telsim: error: {}: {} has no data with {} circuits\n", args_.study.file,
                   target_.path, circuits);
        return exit_error;
      }
      const double m = *d.statistic.mean;
      if (d.statistic.ci95) {
        const double h = *d.statistic.ci95;
        const double worst = target_.at_most ? m + h : m - h;
        const double best = target_.at_most ? m - h : m + h;
        if (target_.met_by(worst) && worst != target_.value) {
          d.meets = true;
          break;
        }
        if (!target_.met_by(best)) {
          d.meets = false;
          break;
        }
      }
      if (reps * 2 > cap()) {
        d.meets = target_.met_by(m);
        d.on_mean_only = true;
        break;
      }
    }
    if (!args_.study.quiet) {
      fmt::print("  {:>5} circuits: {} {} ({} replications): {}{}\n", circuits, target_.metric,
                 format_estimate(d.statistic.mean, d.statistic.ci95), d.replications,
                 d.meets ? "meets" : "does not meet",
                 d.on_mean_only ? " (target inside the CI at the replication cap: decided on "
                                  "the mean)"
                                : "");
      std::fflush(stdout);
    }
    decided_[circuits] = d;
    out = d;
    return std::nullopt;
  }

 private:
  const DimensionArgs& args_;
  const Target& target_;
  std::size_t base_;
  const std::atomic<int>& stop_;
  std::map<std::int64_t, Decision> decided_;
};

}  // namespace

int dimension_command(const DimensionArgs& args) {
  std::string error;
  const std::optional<Target> target = parse_target(args.target, args.trunk_group, error);
  if (!target) {
    fmt::print(stderr, "telsim: error: {}\n", error);
    return exit_bad_input;
  }
  std::unique_ptr<LoadedPoint> base;
  if (const auto failed = load_point(args.study, {}, base)) return *failed;
  const auto& net = base->scenario.network;
  std::optional<std::uint32_t> group;
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < net.trunk_groups.size(); ++i) {
    names.push_back(net.trunk_groups[i].name);
    if (net.trunk_groups[i].name == args.trunk_group) group = i;
  }
  if (!group) {
    fmt::print(
        stderr, "telsim: error: --trunk-group '{}': no such trunk group in {} ({})\n",
        args.trunk_group, args.study.file,
        names.empty() ? std::string("it has none") : fmt::format("{}", fmt::join(names, ", ")));
    return exit_bad_input;
  }
  const auto current = static_cast<std::int64_t>(net.trunk_groups[*group].circuits);
  const std::size_t base_reps = std::max<std::size_t>(base->scenario.replications, 5);

  const std::atomic<int>& stop = install_stop_handlers();
  Search search(args, *target, base_reps, stop);

  // The offered load, from a run at the current size (see 2. above).
  Load load;
  {
    analysis::RunResults results;
    if (const auto failed = search.run(current, base_reps, results)) return *failed;
    const std::string tg = fmt::format("trunk_groups.{}.", args.trunk_group);
    const auto carried = results.metrics.statistic(tg + "carried_erlangs").mean.value_or(0.0);
    const auto blocking = results.metrics.statistic(tg + "call_blocking").mean.value_or(0.0);
    load.offered = blocking < 1.0 ? carried / (1.0 - blocking) : carried;
    if (const auto n = engset_sources(net, *group);
        n && static_cast<double>(*n) > carried && blocking < 1.0) {
      load.sources = n;
      load.beta = carried / ((1.0 - blocking) * (static_cast<double>(*n) - carried));
    }
    if (!args.study.quiet) {
      fmt::print("{}: at {} circuits: carried {} Erlang, call blocking {}: offered {} Erlang{}\n",
                 args.trunk_group, current, format_number(carried), format_number(blocking),
                 format_number(load.offered),
                 load.sources ? fmt::format(" from {} sources (Engset, beta {})", *load.sources,
                                            format_number(load.beta))
                              : std::string());
    }
  }
  const std::int64_t analytic_limit = std::max<std::int64_t>(100000, 4 * current);
  const Estimate estimate = analytic_start(*target, args.trunk_group, load, analytic_limit);
  const std::int64_t start = std::max<std::int64_t>(1, estimate.circuits.value_or(current));
  const std::int64_t limit = std::max<std::int64_t>(64, 8 * std::max(start, current));
  if (!args.study.quiet) {
    fmt::print("{}: {}; searching by simulation ({} to {} replications per size)\n",
               args.trunk_group,
               estimate.circuits ? estimate.how
                                 : fmt::format("no analytic estimate for {}: starting from {} "
                                               "circuits",
                                               target->metric, start),
               base_reps, search.cap());
  }

  // Galloping to a bracket, then bisection (see 5. above).
  std::optional<std::int64_t> lo;  // largest size known not to meet
  std::optional<std::int64_t> hi;  // smallest size known to meet
  Decision d;
  if (const auto failed = search.decide(start, d)) return *failed;
  (d.meets ? hi : lo) = start;
  for (std::int64_t step = 1; !lo || !hi; step *= 2) {
    if (hi) {
      if (*hi <= 1) break;
      const std::int64_t n = std::max<std::int64_t>(1, *hi - step);
      if (const auto failed = search.decide(n, d)) return *failed;
      (d.meets ? hi : lo) = n;
    } else {
      if (*lo >= limit) {
        fmt::print(stderr, "telsim: error: {}: {} {} {} is not met with up to {} circuits on {}\n",
                   args.study.file, target->metric, target->at_most ? "<=" : ">=", target->value,
                   limit, args.trunk_group);
        return exit_error;
      }
      const std::int64_t n = std::min(limit, *lo + step);
      if (const auto failed = search.decide(n, d)) return *failed;
      (d.meets ? hi : lo) = n;
    }
  }
  while (lo && *hi - *lo > 1) {
    const std::int64_t mid = *lo + (*hi - *lo) / 2;
    if (const auto failed = search.decide(mid, d)) return *failed;
    (d.meets ? hi : lo) = mid;
  }
  Decision answer;
  if (const auto failed = search.decide(*hi, answer)) return *failed;
  fmt::print("{}: {} circuits ({} {})\n", args.trunk_group, *hi, target->metric,
             format_estimate(answer.statistic.mean, answer.statistic.ci95));
  return exit_ok;
}

}  // namespace telsim::cli
