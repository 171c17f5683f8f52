// Comparisons (telsim/studies/compare.hpp).
//
// Every alternative is the scenario with the common --set overrides, then KEY=Vi. All
// alternatives keep the scenario's seed and replication count, and the model draws each
// random stream from (seed, replication, purpose), so replication r of every alternative
// sees the same offered traffic (common random numbers, SPEC §3). Each metric's difference
// between two alternatives a < b is therefore estimated pairwise: d_r = x_r(Vb) - x_r(Va)
// over the replications where both have data, with the Student-t interval of the d_r
// (analysis/paired.hpp). When --vary changes the seed the pairs are independent and the
// interval is still valid, only not narrower.
//
// compare.json (nothing is written on an error or an interrupt):
//   {
//     "telsim": 1,
//     "vary": {"key": "traffic.x.completion", "values": ["none", "camp", "cb"]},
//     "alternatives": [ <the results document `telsim run` writes>, ... ],  // one per value
//     "differences": [                                     // one per pair a < b: (none, camp),
//       {"a": "none", "b": "camp", "value": "camp",        // (none, cb), (camp, cb); "value"
//        "metrics": {"traffic.x.completion_ratio":          // (= b) only on the pairs with
//                      {"mean": m, "ci95": h, "n": k,      // the first alternative
//                       "values": [d_0, ...]},             // every metric path both have,
//                    ...}},                                // in a's order
//       ...
//     ]
//   }
// Values are the strings as given on the command line. A difference is a SPEC §5
// statistic of b minus a; values[r] is null where either had no data.
//
// The verdicts hold to the paired interval alone: b is better or worse than a only where
// the 95% CI of b - a excludes 0. A smaller mean whose interval includes 0 is no evidence,
// so no "best" is ever named from means alone.
#include "telsim/studies/compare.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "telsim/analysis/paired.hpp"
#include "telsim/analysis/results_reader.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {

PreparedComparison prepare_comparison(Session& session, const std::string& vary) {
  PreparedComparison prepared;
  try {
    prepared.vary = parse_vary(vary);
  } catch (const VaryError& e) {
    throw StudyError(exit_bad_input, fmt::format("telsim: error: --vary {}", e.what()));
  }
  const VaryAxis& axis = prepared.vary;
  if (axis.values.size() < 2) {
    throw StudyError(exit_bad_input,
                     fmt::format("telsim: error: --vary '{}': give at least 2 values to compare, "
                                 "e.g. {}={},...",
                                 vary, axis.key, axis.values.front()));
  }
  for (const std::string& value : axis.values) {
    try {
      prepared.scenarios.push_back(session.variant({fmt::format("{}={}", axis.key, value)}));
    } catch (const scenarios::ScenarioError& e) {
      throw StudyError(exit_bad_input, e.what());
    }
    prepared.seeds_differ =
        prepared.seeds_differ || prepared.scenarios.back().seed != prepared.scenarios.front().seed;
  }
  return prepared;
}

Comparison run_comparison(
    const Session& session, const PreparedComparison& prepared, Workers& workers,
    const std::atomic<int>& stop,
    const std::function<void(const std::string&, std::size_t, std::size_t)>& progress) {
  const VaryAxis& axis = prepared.vary;
  const std::vector<std::string> documents = outputs_or_throw(workers.map(
      prepared.scenarios.size(),
      [&](std::size_t i) {
        RunControl control;
        control.stop = &stop;
        if (progress) {
          const std::string label = axis.key + "=" + axis.values[i];
          control.progress = [&, label](std::size_t done, std::size_t planned) {
            progress(label, done, planned);
          };
        }
        try {
          return analysis::to_json(
                     session.run(prepared.scenarios[i], session.options().threads, control))
              .dump();
        } catch (const scenarios::Interrupted&) {
          throw;
        } catch (const std::exception& e) {
          throw StudyError(exit_failed, fmt::format("telsim: error: {}: {}",
                                                    session.options().file.string(), e.what()));
        }
      },
      stop, /*stop_after_error=*/true));
  Comparison comparison;
  comparison.vary = axis;
  comparison.seeds_differ = prepared.seeds_differ;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    comparison.alternatives.push_back(
        {axis.values[i], analysis::read_results(nlohmann::ordered_json::parse(documents[i]))});
  }
  return comparison;
}

Comparison run_comparison(
    Session& session, const std::string& vary, Workers& workers, const std::atomic<int>& stop,
    const std::function<void(const std::string&, std::size_t, std::size_t)>& progress) {
  return run_comparison(session, prepare_comparison(session, vary), workers, stop, progress);
}

std::vector<std::pair<std::size_t, std::size_t>> alternative_pairs(std::size_t count) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = a + 1; b < count; ++b) pairs.emplace_back(a, b);
  }
  return pairs;
}

Verdict verdict(const analysis::Statistic& difference, analysis::Better better) {
  if (!analysis::excludes_zero(difference)) return Verdict::no_significant_difference;
  if (better == analysis::Better::neither) return Verdict::significant;
  return (better == analysis::Better::lower) == (*difference.mean < 0) ? Verdict::b_better
                                                                       : Verdict::b_worse;
}

std::vector<PairDifference> pair_differences(const Comparison& comparison, std::string_view path) {
  const analysis::Better better = analysis::better_direction(path);
  std::vector<PairDifference> differences;
  for (const auto& [a, b] : alternative_pairs(comparison.alternatives.size())) {
    const auto& ma = comparison.alternatives[a].results.metrics;
    const auto& mb = comparison.alternatives[b].results.metrics;
    if (!ma.contains(path) || !mb.contains(path)) continue;
    PairDifference d{a, b, analysis::paired_difference(mb.values(path), ma.values(path)),
                     Verdict::no_significant_difference};
    d.verdict = verdict(d.difference, better);
    differences.push_back(std::move(d));
  }
  return differences;
}

std::optional<std::size_t> significantly_best(const Comparison& comparison, std::string_view path) {
  const std::size_t count = comparison.alternatives.size();
  if (count < 2) return std::nullopt;
  const std::vector<PairDifference> differences = pair_differences(comparison, path);
  // Every pair must be there (each alternative holds the metric) for "every other".
  if (differences.size() != count * (count - 1) / 2) return std::nullopt;
  for (std::size_t x = 0; x < count; ++x) {
    const bool beats_all =
        std::all_of(differences.begin(), differences.end(), [&](const PairDifference& d) {
          if (d.a == x) return d.verdict == Verdict::b_worse;
          if (d.b == x) return d.verdict == Verdict::b_better;
          return true;
        });
    if (beats_all) return x;
  }
  return std::nullopt;
}

nlohmann::ordered_json comparison_json(const Comparison& comparison) {
  nlohmann::ordered_json doc;
  doc["telsim"] = 1;
  doc["vary"]["key"] = comparison.vary.key;
  doc["vary"]["values"] = comparison.vary.values;
  doc["alternatives"] = nlohmann::ordered_json::array();
  for (const auto& a : comparison.alternatives) {
    doc["alternatives"].push_back(analysis::to_json(a.results));
  }
  doc["differences"] = nlohmann::ordered_json::array();
  for (const auto& [a, b] : alternative_pairs(comparison.alternatives.size())) {
    const auto& ma = comparison.alternatives[a].results.metrics;
    const auto& mb = comparison.alternatives[b].results.metrics;
    nlohmann::ordered_json entry;
    entry["a"] = comparison.alternatives[a].value;
    entry["b"] = comparison.alternatives[b].value;
    // What compare.json held when it gave only the differences to the first alternative.
    if (a == 0) entry["value"] = comparison.alternatives[b].value;
    entry["metrics"] = nlohmann::ordered_json::object();
    for (const auto& path : ma.paths()) {
      if (!mb.contains(path)) continue;
      entry["metrics"][path] =
          analysis::to_json(analysis::paired_difference(mb.values(path), ma.values(path)));
    }
    doc["differences"].push_back(std::move(entry));
  }
  return doc;
}

}  // namespace telsim::studies
