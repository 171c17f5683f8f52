// Results documents are read by analysis::read_results, as strict as to_json is exact, and
// lenient only about keys it never writes, so that files from newer telsim versions that
// only add keys still open. Here: files, sweep folders, compare.json, and the view of a run.
#include "results_reader.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "telsim/analysis/results_reader.hpp"

namespace telsim::view {
namespace {

// ordered: relations, groups and policies keep the order the file gives them.
using json = nlohmann::ordered_json;

std::string quoted(const std::filesystem::path& path) {
  return path.string();
}

json parse_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReadError("cannot open " + quoted(path));
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw ReadError(quoted(path) + " is not a telsim " + what + ": it is not JSON (byte " +
                    std::to_string(e.byte) + ")");
  }
}

void check_version(const json& document, const std::string& where, const std::string& what) {
  if (!document.is_object() || !document.contains("telsim")) {
    throw ReadError(where + " is not a telsim " + what + ": it has no \"telsim\": 1 key");
  }
  if (document["telsim"] != 1) {
    throw ReadError(where + " has telsim format version " + document["telsim"].dump() +
                    "; this viewer reads version 1");
  }
}

void require_section(const json& document, const char* name, const std::string& where) {
  if (!document.contains(name) || !document[name].is_object()) {
    throw ReadError(where + " is not a telsim results file: it has no \"" + name + "\" section");
  }
}

// The owners under one section ("trunk_groups" -> "AB", ...) in the order to_json writes
// them, which is the file's: first seen in the metric paths, then the owners of histograms
// it places last, then (policies) those that have only a type.
std::vector<std::string> owners(const analysis::RunResults& results, const std::string& section) {
  const std::string prefix = section + ".";
  std::vector<std::string> names;
  std::set<std::string> seen;
  const auto add = [&](const std::string& path) {
    if (!path.starts_with(prefix)) return;
    std::string name = path.substr(prefix.size(), path.find('.', prefix.size()) - prefix.size());
    if (seen.insert(name).second) names.push_back(std::move(name));
  };
  for (const std::string& path : results.metrics.paths()) add(path);
  for (const auto& [path, histogram] : results.histograms) add(path);
  if (section == "policies") {
    for (const auto& [name, type] : results.policy_types) add(prefix + name);
  }
  return names;
}

Run run_of(const analysis::RunResults& results) {
  Run run;
  run.scenario = results.scenario;
  const auto name = run.scenario.find("name");
  if (name != run.scenario.end() && name->is_string()) run.name = name->get<std::string>();
  run.replications = results.replications;
  if (std::isfinite(results.duration)) run.duration = results.duration;
  if (results.warmup_field.is_null() && std::isfinite(results.warmup)) {
    run.warmup = results.warmup;
  } else {  // "auto": what MSER-5 chose, on average
    run.warmup = analysis::summarize(results.warmup_used).mean.value_or(0);
  }
  const analysis::MetricPaths& paths = results.metrics.paths();
  for (auto path = paths.begin(); path != paths.end(); ++path) {
    run.metrics.emplace_back(*path, results.metrics.statistic_at(path.index()));
  }
  const std::string latency_suffix = ".completion_latency_histogram";
  for (const auto& [path, histogram] : results.histograms) {
    if (path.ends_with(latency_suffix)) {
      run.latency_histograms[path.substr(0, path.size() - latency_suffix.size())] = histogram;
    }
  }
  for (const auto& [group, series_by_name] : results.timeseries) {
    const auto busy = series_by_name.find("busy_circuits");
    if (busy != series_by_name.end()) run.busy_circuits[group] = busy->second;
  }
  run.trunk_groups = owners(results, "trunk_groups");
  run.relations = owners(results, "traffic");
  for (std::string& policy : owners(results, "policies")) {
    const auto type = results.policy_types.find(policy);
    run.policies.push_back(
        {std::move(policy), type == results.policy_types.end() ? std::string() : type->second});
  }
  return run;
}

}  // namespace

Run run_from_json(const nlohmann::ordered_json& document, const std::string& where) {
  check_version(document, where, "results file");
  // Not a results file at all: said as for the other kinds of document.
  require_section(document, "trunk_groups", where);
  require_section(document, "traffic", where);
  try {
    return run_of(analysis::read_results(document));
  } catch (const analysis::ResultsFormatError& e) {
    throw ReadError(where + ": " + e.what());
  }
}

namespace {

using json = nlohmann::ordered_json;

std::string value_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Sweep read_sweep(const std::filesystem::path& folder) {
  const std::filesystem::path summary_path = folder / "summary.json";
  if (!std::filesystem::exists(summary_path)) {
    throw ReadError(quoted(folder) +
                    " is not a telsim sweep folder: it has no summary.json (an interrupted "
                    "sweep writes it when `telsim sweep ... --resume` finishes)");
  }
  const json summary = parse_file(summary_path, "sweep summary");
  check_version(summary, quoted(summary_path), "sweep summary");
  if (!summary.contains("vary") || !summary.contains("points")) {
    throw ReadError(quoted(summary_path) +
                    " is not a telsim sweep summary: it needs \"vary\" and \"points\"");
  }
  Sweep sweep;
  for (const json& axis : summary["vary"]) {
    SweepAxis a;
    a.key = axis.at("key").get<std::string>();
    for (const json& v : axis.at("values")) a.values.push_back(value_text(v));
    sweep.axes.push_back(std::move(a));
  }
  for (const json& row : summary["points"]) {
    SweepPoint point;
    for (const SweepAxis& axis : sweep.axes)
      point.values.push_back(value_text(row["values"][axis.key]));
    const std::filesystem::path file = folder / row.at("file").get<std::string>();
    point.run = run_from_json(parse_file(file, "results file"), quoted(file));
    sweep.points.push_back(std::move(point));
  }
  return sweep;
}

Comparison read_comparison(const json& document, const std::string& where) {
  Comparison c;
  if (document.contains("vary")) {
    c.key = document["vary"].value("key", "");
    for (const json& v : document["vary"].value("values", json::array())) {
      c.values.push_back(value_text(v));
    }
  }
  std::size_t k = 0;
  for (const json& alternative : document["alternatives"]) {
    c.alternatives.push_back(
        run_from_json(alternative, where + " (alternative " + std::to_string(k) + ")"));
    if (c.values.size() <= k) c.values.push_back("alternative " + std::to_string(k));
    ++k;
  }
  if (c.alternatives.empty()) throw ReadError(where + ": a compare.json with no alternatives");
  return c;
}

}  // namespace

Document read_document(const std::filesystem::path& path) {
  Document doc;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    doc.source = path;
    doc.content = read_sweep(path);
    return doc;
  }
  if (!std::filesystem::exists(path, ec))
    throw ReadError("cannot open " + quoted(path) + ": no such file");
  const json document = parse_file(path, "results file");
  check_version(document, quoted(path), "results file");
  if (document.contains("alternatives")) {
    doc.source = path;
    doc.content = read_comparison(document, quoted(path));
  } else if (document.contains("points") && document.contains("vary")) {
    doc.source = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    doc.content = read_sweep(doc.source);
  } else {
    doc.source = path;
    doc.content = run_from_json(document, quoted(path));
  }
  return doc;
}

}  // namespace telsim::view
