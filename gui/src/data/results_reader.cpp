// Parsing is strict about what makes a file telsim's ("telsim": 1 and the sections SPEC §5
// promises) and lenient about the rest, so that files from newer telsim versions that
// only add keys still open.
#include "results_reader.hpp"

#include <fstream>
#include <limits>
#include <sstream>

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

std::optional<double> number_or_null(const json& value) {
  if (value.is_number()) return value.get<double>();
  return std::nullopt;
}

bool is_statistic(const json& node) {
  return node.is_object() && node.contains("n") && node["n"].is_number() && node.contains("mean") &&
         (node["mean"].is_number() || node["mean"].is_null());
}

Estimate estimate_of(const json& node) {
  Estimate e;
  e.mean = number_or_null(node["mean"]);
  if (node.contains("ci95")) e.ci95 = number_or_null(node["ci95"]);
  e.n = node["n"].get<std::size_t>();
  if (node.contains("values") && node["values"].is_array()) {
    for (const json& v : node["values"]) e.values.push_back(number_or_null(v));
  }
  return e;
}

analysis::Histogram histogram_of(const json& node, const std::string& where) {
  analysis::Histogram h;
  if (!node.is_object() || !node.contains("edges") || !node.contains("counts")) {
    throw ReadError(where + ": a latency histogram needs \"edges\" and \"counts\"");
  }
  for (const json& edge : node["edges"]) h.edges.push_back(edge.get<double>());
  for (const json& count : node["counts"]) h.counts.push_back(count.get<std::uint64_t>());
  if (!h.counts.empty() && h.edges.size() != h.counts.size() + 1) {
    throw ReadError(where + ": a latency histogram has " + std::to_string(h.edges.size()) +
                    " edges for " + std::to_string(h.counts.size()) + " bins");
  }
  return h;
}

// Collects statistic leaves below `node` (at `path`) in document order.
void collect(const json& node, const std::string& path, Run& run, const std::string& where) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string child = path + "." + it.key();
    if (is_statistic(it.value())) {
      run.metrics.emplace_back(child, estimate_of(it.value()));
    } else if (it.key() == "completion_latency_histogram") {
      run.latency_histograms[path] = histogram_of(it.value(), where);
    } else if (it.value().is_object()) {
      collect(it.value(), child, run, where);
    }
  }
}

const json& section(const json& document, const char* name, const std::string& where) {
  if (!document.contains(name) || !document[name].is_object()) {
    throw ReadError(where + " is not a telsim results file: it has no \"" + name + "\" section");
  }
  return document[name];
}

}  // namespace

Run run_from_json(const nlohmann::ordered_json& document, const std::string& where) {
  check_version(document, where, "results file");
  Run run;
  const json& groups = section(document, "trunk_groups", where);
  const json& traffic = section(document, "traffic", where);
  const json& policies = document.contains("policies") ? document["policies"] : json::object();
  run.scenario = document.value("scenario", json::object());
  run.name = run.scenario.is_object() ? run.scenario.value("name", "") : "";
  run.replications = document.value("replications", std::size_t{0});
  if (document.contains("duration") && document["duration"].is_number()) {
    run.duration = document["duration"].get<double>();
  }
  if (document.contains("warmup") && document["warmup"].is_number()) {
    run.warmup = document["warmup"].get<double>();
  } else if (document.contains("warmup_used") && is_statistic(document["warmup_used"])) {
    run.warmup = estimate_of(document["warmup_used"]).mean.value_or(0);
  }
  for (auto it = groups.begin(); it != groups.end(); ++it) run.trunk_groups.push_back(it.key());
  for (auto it = traffic.begin(); it != traffic.end(); ++it) run.relations.push_back(it.key());
  for (auto it = policies.begin(); it != policies.end(); ++it) {
    run.policies.push_back({it.key(), it.value().value("type", "")});
  }
  collect(groups, "trunk_groups", run, where);
  collect(traffic, "traffic", run, where);
  collect(policies, "policies", run, where);
  if (document.contains("timeseries") && document["timeseries"].contains("trunk_groups")) {
    const json& series = document["timeseries"]["trunk_groups"];
    for (auto it = series.begin(); it != series.end(); ++it) {
      if (!it.value().contains("busy_circuits")) continue;
      const json& busy = it.value()["busy_circuits"];
      analysis::TimeSeries ts;
      for (const json& t : busy.at("t")) ts.t.push_back(t.get<double>());
      for (const json& m : busy.at("mean")) {
        ts.mean.push_back(m.is_number() ? m.get<double>()
                                        : std::numeric_limits<double>::quiet_NaN());
      }
      if (ts.t.size() != ts.mean.size()) {
        throw ReadError(where + ": the busy-circuit series of " + it.key() + " has " +
                        std::to_string(ts.t.size()) + " times for " +
                        std::to_string(ts.mean.size()) + " values");
      }
      run.busy_circuits[it.key()] = std::move(ts);
    }
  }
  return run;
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
