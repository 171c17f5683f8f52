// Comparisons (telsim/studies/compare.hpp).
//
// Every alternative is the scenario with the common --set overrides, then KEY=Vi. All
// alternatives keep the scenario's seed and replication count, and the model draws each
// random stream from (seed, replication, purpose), so replication r of every alternative
// sees the same offered traffic (common random numbers, SPEC §3). Each metric's difference
// to the first alternative is therefore estimated pairwise: d_r = x_r(Vi) - x_r(V1) over
// the replications where both have data, with the Student-t interval of the d_r
// (analysis/paired.hpp). When --vary changes the seed the pairs are independent and the
// interval is still valid, only not narrower.
//
// compare.json (nothing is written on an error or an interrupt):
//   {
//     "telsim": 1,
//     "vary": {"key": "traffic.x.completion", "values": ["none", "camp", "cb"]},
//     "alternatives": [ <the results document `telsim run` writes>, ... ],  // one per value
//     "differences": [                                                      // one per value
//       {"value": "camp",                                                   // after the first
//        "metrics": {"traffic.x.completion_ratio":                           // every metric path
//                      {"mean": m, "ci95": h, "n": k, "values": [d_0, ...]}, // both alternatives
//                    ...}},                                                  // have, in the first
//       ...                                                                  // one's order
//     ]
//   }
// Values are the strings as given on the command line. A difference is a SPEC §5
// statistic of alternative minus first alternative; values[r] is null where either had no
// data.
#include "telsim/studies/compare.hpp"

#include <fmt/format.h>

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
  const auto& first = comparison.alternatives.front().results.metrics;
  for (std::size_t i = 1; i < comparison.alternatives.size(); ++i) {
    const auto& metrics = comparison.alternatives[i].results.metrics;
    nlohmann::ordered_json entry;
    entry["value"] = comparison.alternatives[i].value;
    entry["metrics"] = nlohmann::ordered_json::object();
    for (const auto& path : first.paths()) {
      if (!metrics.contains(path)) continue;
      entry["metrics"][path] =
          analysis::to_json(analysis::paired_difference(metrics.values(path), first.values(path)));
    }
    doc["differences"].push_back(std::move(entry));
  }
  return doc;
}

}  // namespace telsim::studies
