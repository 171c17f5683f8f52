// Reads the SPEC §5 document back into RunResults: the inverse of results_json.cpp, so a
// change to one needs the same change to the other (results_reader_test holds them together).

#include "telsim/analysis/results_reader.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telsim::analysis {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<const char*, 3> sections{"trunk_groups", "traffic", "policies"};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ResultsFormatError(path + ": " + what);
}

std::string join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string kind(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::null:
      return "null";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "binary data";
  }
}

[[noreturn]] void wrong(const std::string& path, const std::string& expected, const Json& found) {
  fail(path, "expected " + expected + ", found " + kind(found));
}

// `parent` is the path of `object`, "" for the document itself.
const Json& member(const Json& object, const std::string& parent, const std::string& key) {
  const auto found = object.find(key);
  if (found == object.end()) fail(join(parent, key), "missing");
  return *found;
}

const Json& object_at(const Json& value, const std::string& path) {
  if (!value.is_object()) wrong(path, "an object", value);
  return value;
}

const Json& array_at(const Json& value, const std::string& path) {
  if (!value.is_array()) wrong(path, "an array", value);
  return value;
}

std::string string_at(const Json& value, const std::string& path) {
  if (!value.is_string()) wrong(path, "a string", value);
  return value.get<std::string>();
}

bool boolean_at(const Json& value, const std::string& path) {
  if (!value.is_boolean()) wrong(path, "true or false", value);
  return value.get<bool>();
}

std::uint64_t count_at(const Json& value, const std::string& path) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    const auto signed_value = value.get<std::int64_t>();
    if (signed_value >= 0) return static_cast<std::uint64_t>(signed_value);
  }
  wrong(path, "a non-negative integer", value);
}

int int_at(const Json& value, const std::string& path) {
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      return value.get<int>();
    }
  } else if (value.is_number_integer()) {
    const auto signed_value = value.get<std::int64_t>();
    if (signed_value >= std::numeric_limits<int>::min() &&
        signed_value <= std::numeric_limits<int>::max()) {
      return static_cast<int>(signed_value);
    }
  }
  wrong(path, "an integer within int range", value);
}

std::optional<double> optional_at(const Json& value, const std::string& path) {
  if (value.is_number()) return value.get<double>();
  if (value.is_null()) return std::nullopt;
  wrong(path, "a number or null", value);
}

// to_json writes a non-finite double as null; NaN writes as null again.
double double_at(const Json& value, const std::string& path) {
  return optional_at(value, path).value_or(std::numeric_limits<double>::quiet_NaN());
}

std::vector<double> doubles_at(const Json& value, const std::string& path) {
  std::vector<double> numbers;
  numbers.reserve(array_at(value, path).size());
  for (std::size_t k = 0; k < value.size(); ++k) {
    numbers.push_back(double_at(value[k], indexed(path, k)));
  }
  return numbers;
}

// Statistic and histogram leaves are told from groups of leaves by their own fields, not by
// their names: a group's members are objects, a leaf's fields are not.
bool has_leaf_field(const Json& node, std::initializer_list<const char*> fields) {
  for (const char* field : fields) {
    const auto found = node.find(field);
    if (found != node.end() && !found->is_object()) return true;
  }
  return false;
}

bool is_statistic(const Json& node) {
  return has_leaf_field(node, {"mean", "ci95", "n", "values"});
}

bool is_histogram(const Json& node) {
  return has_leaf_field(node, {"edges", "counts"});
}

// The per-replication values of a statistic leaf. Its mean and ci95 follow from them and
// are only checked for kind; n is checked against them, since a mismatch means the values
// are not the ones the summary was computed from.
std::vector<std::optional<double>> statistic_values(const Json& leaf, const std::string& path) {
  object_at(leaf, path);
  optional_at(member(leaf, path, "mean"), join(path, "mean"));
  optional_at(member(leaf, path, "ci95"), join(path, "ci95"));
  const std::uint64_t n = count_at(member(leaf, path, "n"), join(path, "n"));
  const std::string values_path = join(path, "values");
  const Json& values = array_at(member(leaf, path, "values"), values_path);
  std::vector<std::optional<double>> out;
  out.reserve(values.size());
  std::uint64_t numbers = 0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    out.push_back(optional_at(values[k], indexed(values_path, k)));
    if (out.back()) ++numbers;
  }
  if (numbers != n) {
    fail(join(path, "n"),
         std::to_string(n) + ", but values holds " + std::to_string(numbers) + " numbers");
  }
  return out;
}

Histogram histogram_at(const Json& leaf, const std::string& path) {
  Histogram histogram;
  histogram.edges = doubles_at(member(leaf, path, "edges"), join(path, "edges"));
  const std::string counts_path = join(path, "counts");
  const Json& counts = array_at(member(leaf, path, "counts"), counts_path);
  histogram.counts.reserve(counts.size());
  for (std::size_t k = 0; k < counts.size(); ++k) {
    histogram.counts.push_back(count_at(counts[k], indexed(counts_path, k)));
  }
  const bool empty = histogram.edges.empty() && histogram.counts.empty();
  if (!empty && histogram.edges.size() != histogram.counts.size() + 1) {
    fail(path, std::to_string(histogram.edges.size()) + " edges for " +
                   std::to_string(histogram.counts.size()) + " bins (a histogram has one more)");
  }
  return histogram;
}

// Walks trunk_groups, traffic and policies, collecting statistic columns in document order:
// given the paths in that order, to_json nests them exactly as the document does.
class SectionReader {
 public:
  explicit SectionReader(RunResults& results) : results_(results) {}

  void read(const Json& document) {
    for (const char* name : sections) {
      const Json& section = object_at(member(document, "", name), name);
      const bool policies = std::string_view(name) == "policies";
      for (const auto& [key, child] : section.items()) visit(child, name, key, policies);
    }
  }

  // All replications' values, one column per statistic leaf.
  MetricTable table() const {
    MetricTable table;
    if (columns_.empty()) return table;
    const auto& [first_path, first_values] = columns_.front();
    for (const auto& [path, values] : columns_) {
      // A MetricTable has no column without a replication; to_json never writes one.
      if (values.empty()) fail(join(path, "values"), "empty (a metric has one per replication)");
      if (values.size() != first_values.size()) {
        fail(join(path, "values"), std::to_string(values.size()) + " entries, but " +
                                       join(first_path, "values") + " has " +
                                       std::to_string(first_values.size()));
      }
    }
    // One list of paths for every replication, as a run shares it.
    auto paths = std::make_shared<MetricPaths>();
    for (const auto& column : columns_) paths->push_back(column.first);
    for (std::size_t r = 0; r < first_values.size(); ++r) {
      std::vector<std::optional<double>> row;
      row.reserve(columns_.size());
      for (const auto& column : columns_) row.push_back(column.second[r]);
      table.add_replication(ReplicationMetrics(paths, std::move(row)));
    }
    return table;
  }

 private:
  // `policy_block`: `node` is "policies.<name>", whose "type" string is the policy's type.
  void visit(const Json& node, const std::string& parent, const std::string& key,
             bool policy_block) {
    if (key.empty() || key.find('.') != std::string::npos) {
      fail(parent, "key \"" + key + "\" is not a name (empty or with a '.')");
    }
    const std::string path = join(parent, key);
    if (!node.is_object()) {
      wrong(path, "an object (a statistic, a histogram or a group of them)", node);
    }
    if (is_statistic(node)) {
      columns_.emplace_back(path, statistic_values(node, path));
      return;
    }
    if (is_histogram(node)) {
      results_.histograms[path] = histogram_at(node, path);
      return;
    }
    if (node.empty()) fail(path, "an empty object (to_json writes no empty group)");
    for (const auto& [child_key, child] : node.items()) {
      if (policy_block && child_key == "type" && !child.is_object()) {
        results_.policy_types[key] = string_at(child, join(path, child_key));
      } else {
        visit(child, path, child_key, false);
      }
    }
  }

  RunResults& results_;
  std::vector<std::pair<std::string, std::vector<std::optional<double>>>> columns_;
};

RunInfo run_info(const Json& node) {
  object_at(node, "run");
  RunInfo run;
  run.version = string_at(member(node, "run", "version"), "run.version");
  run.commit = string_at(member(node, "run", "commit"), "run.commit");
  run.scenario_sha256 = string_at(member(node, "run", "scenario_sha256"), "run.scenario_sha256");
  run.command_line = string_at(member(node, "run", "command_line"), "run.command_line");
  run.threads = int_at(member(node, "run", "threads"), "run.threads");
  run.started_at = string_at(member(node, "run", "started_at"), "run.started_at");
  return run;
}

EngineInfo engine_info(const Json& node) {
  object_at(node, "engine");
  EngineInfo engine;
  engine.events = count_at(member(node, "engine", "events"), "engine.events");
  engine.wall_seconds = double_at(member(node, "engine", "wall_seconds"), "engine.wall_seconds");
  engine.events_per_second =
      double_at(member(node, "engine", "events_per_second"), "engine.events_per_second");
  engine.peak_pending_events =
      count_at(member(node, "engine", "peak_pending_events"), "engine.peak_pending_events");
  return engine;
}

PrecisionOutcome precision_outcome(const Json& node) {
  object_at(node, "precision");
  PrecisionOutcome precision;
  precision.metric = string_at(member(node, "precision", "metric"), "precision.metric");
  precision.met = boolean_at(member(node, "precision", "met"), "precision.met");
  precision.replications =
      count_at(member(node, "precision", "replications"), "precision.replications");
  return precision;
}

void read_timeseries(const Json& node, RunResults& results) {
  object_at(node, "timeseries");
  const std::string groups_path = "timeseries.trunk_groups";
  const Json& groups = object_at(member(node, "timeseries", "trunk_groups"), groups_path);
  for (const auto& [group, series_by_name] : groups.items()) {
    const std::string group_path = join(groups_path, group);
    object_at(series_by_name, group_path);
    auto& out = results.timeseries[group];  // created even when empty, as to_json wrote it
    for (const auto& [name, series] : series_by_name.items()) {
      const std::string path = join(group_path, name);
      object_at(series, path);
      TimeSeries read;
      read.t = doubles_at(member(series, path, "t"), join(path, "t"));
      read.mean = doubles_at(member(series, path, "mean"), join(path, "mean"));
      if (read.t.size() != read.mean.size()) {
        fail(path, std::to_string(read.t.size()) + " times but " +
                       std::to_string(read.mean.size()) + " means");
      }
      out[name] = std::move(read);
    }
  }
}

}  // namespace

RunResults read_results(const nlohmann::ordered_json& document) {
  if (!document.is_object()) wrong("document", "an object", document);
  const Json& version = member(document, "", "telsim");
  if (!version.is_number_integer() || version != 1) {
    fail("telsim", "format version " + version.dump() + "; this reader reads version 1");
  }
  RunResults results;
  results.scenario = object_at(member(document, "", "scenario"), "scenario");
  results.seed = count_at(member(document, "", "seed"), "seed");
  results.replications = count_at(member(document, "", "replications"), "replications");
  const Json& warmup = member(document, "", "warmup");
  if (warmup.is_string()) {
    results.warmup_field = warmup;  // the runner's convention for "auto": warmup 0
  } else if (warmup.is_number() || warmup.is_null()) {
    results.warmup = double_at(warmup, "warmup");
  } else {
    wrong("warmup", "seconds, null or a word such as \"auto\"", warmup);
  }
  results.duration = double_at(member(document, "", "duration"), "duration");
  results.run = run_info(member(document, "", "run"));
  results.engine = engine_info(member(document, "", "engine"));
  results.warmup_used = statistic_values(member(document, "", "warmup_used"), "warmup_used");
  if (document.contains("precision")) {
    results.precision = precision_outcome(member(document, "", "precision"));
  }
  read_timeseries(member(document, "", "timeseries"), results);
  SectionReader sections_reader(results);
  sections_reader.read(document);
  results.metrics = sections_reader.table();
  return results;
}

}  // namespace telsim::analysis
