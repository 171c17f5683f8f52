// Writes the SPEC §5 document from the flat metric table, as a stream.

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pretty_json.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

using detail::PrettyJson;

constexpr std::array<std::string_view, 3> sections{"trunk_groups", "traffic", "policies"};
constexpr std::string_view histogram_suffix = "_histogram";

void write_numbers(PrettyJson& json, const std::vector<double>& numbers) {
  json.begin_array();
  for (double value : numbers) json.number(value);
  json.end_array();
}

void write_histogram(PrettyJson& json, const Histogram& histogram) {
  json.begin_object();
  json.key("edges");
  write_numbers(json, histogram.edges);
  json.key("counts");
  json.begin_array();
  for (const auto count : histogram.counts) json.unsigned_integer(count);
  json.end_array();
  json.end_object();
}

/// As to_json(Statistic) writes it.
void write_statistic(PrettyJson& json, const Statistic& statistic) {
  json.begin_object();
  json.key("mean");
  json.number(statistic.mean);
  json.key("ci95");
  json.number(statistic.ci95);
  json.key("n");
  json.unsigned_integer(statistic.n);
  json.key("values");
  json.begin_array();
  for (const auto& value : statistic.values) json.number(value);
  json.end_array();
  json.end_object();
}

// The trunk_groups / traffic / policies trees, built in time linear in the
// number of paths, keeping first-seen key order and the placement rules
// documented on to_json. Names are views into the paths, which outlive it.
class SectionTree {
 public:
  explicit SectionTree(const RunResults& results) : results_(results) {
    // A node per path, and about one more per four paths above them (a
    // relation's 40 figures sit under 5 nodes): sized once rather than
    // doubled, which held half a national network's tree again.
    const std::size_t paths = results.metrics.paths().size() + results.histograms.size();
    nodes_.reserve(4 + paths + paths / 4 + 2 * results.policy_types.size());
    new_node(root, "", Leaf{});  // the root itself
    for (std::string_view name : sections) new_node(root, name, Leaf{});
  }

  void add_statistic(const std::string& path, std::uint32_t column) {
    add_leaf(path, Leaf{Kind::statistic, column, nullptr});
  }

  void add_remaining() {
    for (const auto& [path, histogram] : results_.histograms) {
      if (placed_histograms_.contains(path)) continue;
      add_leaf(path, Leaf{Kind::histogram, 0, &histogram});
    }
    const std::uint32_t policies = find_child(root, "policies").value();
    for (const auto& [name, type] : results_.policy_types) {
      if (!find_child(policies, name)) create(policies, "policies", name, Leaf{});
    }
  }

  void write(PrettyJson& json, std::string_view section) const {
    write_node(json, *find_child(root, section));
  }

 private:
  enum class Kind : unsigned char { object, statistic, histogram, type };
  struct Leaf {
    Kind kind = Kind::object;
    std::uint32_t column = 0;      ///< a statistic's column in the metric table
    const void* target = nullptr;  ///< a histogram's Histogram, a type's string
  };
  struct TreeNode {
    std::string_view name;
    Leaf leaf;
    std::uint32_t first_child = none;
    std::uint32_t last_child = none;
    std::uint32_t next_sibling = none;
    std::uint32_t children = 0;
  };
  static constexpr std::uint32_t none = 0xFFFFFFFFu;
  static constexpr std::uint32_t root = 0;
  // Below this many children a node's names are searched in order; above,
  // in a hash index (a section holds one child per group or relation).
  static constexpr std::uint32_t indexed_from = 16;

  std::uint32_t new_node(std::uint32_t parent, std::string_view name, const Leaf& leaf) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    TreeNode node;
    node.name = name;
    node.leaf = leaf;
    nodes_.push_back(node);
    if (id == root) return id;
    TreeNode& p = nodes_[parent];
    if (p.last_child == none) {
      p.first_child = id;
    } else {
      nodes_[p.last_child].next_sibling = id;
    }
    p.last_child = id;
    ++p.children;
    if (p.children == indexed_from) {
      auto& index = indexes_[parent];
      for (std::uint32_t c = p.first_child; c != none; c = nodes_[c].next_sibling) {
        index.emplace(nodes_[c].name, c);
      }
    } else if (p.children > indexed_from) {
      indexes_[parent].emplace(name, id);
    }
    return id;
  }

  std::optional<std::uint32_t> find_child(std::uint32_t parent, std::string_view name) const {
    const TreeNode& p = nodes_[parent];
    if (p.children >= indexed_from) {
      const auto& index = indexes_.at(parent);
      const auto found = index.find(name);
      if (found == index.end()) return std::nullopt;
      return found->second;
    }
    for (std::uint32_t c = p.first_child; c != none; c = nodes_[c].next_sibling) {
      if (nodes_[c].name == name) return c;
    }
    return std::nullopt;
  }

  void add_leaf(const std::string& path, const Leaf& leaf) {
    const std::vector<std::string_view> parts = split_path(path);
    const std::optional<std::uint32_t> section =
        parts.size() < 2 ? std::nullopt : find_child(root, parts.front());
    if (!section) {
      throw std::invalid_argument("results: metric path '" + path +
                                  "' must start with trunk_groups., traffic. or policies.");
    }
    std::uint32_t node = *section;
    std::size_t prefix_length = parts.front().size();
    for (std::size_t k = 1; k + 1 < parts.size(); ++k) {
      const std::string_view prefix(path.data(), prefix_length);
      const std::optional<std::uint32_t> child = find_child(node, parts[k]);
      prefix_length += 1 + parts[k].size();
      if (child && nodes_[*child].leaf.kind != Kind::object) {
        conflict(path, path.substr(0, prefix_length));
      }
      node = child ? *child : create(node, prefix, parts[k], Leaf{});
    }
    if (find_child(node, parts.back())) conflict(path, path);
    create(node, std::string_view(path.data(), prefix_length), parts.back(), leaf);
  }

  /// Splits at the dots into views of `path`.
  static std::vector<std::string_view> split_path(const std::string& path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = path.find('.', start);
      const std::size_t end = dot == std::string::npos ? path.size() : dot;
      parts.emplace_back(path.data() + start, end - start);
      if (parts.back().empty()) {
        throw std::invalid_argument("results: metric path '" + path + "' has an empty component");
      }
      if (dot == std::string::npos) return parts;
      start = dot + 1;
    }
  }

  [[noreturn]] static void conflict(const std::string& path, const std::string& existing) {
    throw std::invalid_argument("results: metric path '" + path + "' collides with '" + existing +
                                "' (a value cannot also hold other values)");
  }

  // Creates `name` under `parent` (at `prefix`) and whatever must come right after it: a
  // policy's type first in its block, a histogram right after its sibling.
  std::uint32_t create(std::uint32_t parent, std::string_view prefix, std::string_view name,
                       const Leaf& leaf) {
    const std::uint32_t id = new_node(parent, name, leaf);
    if (prefix == "policies") {
      const auto type = results_.policy_types.find(std::string(name));
      if (type != results_.policy_types.end()) {
        new_node(id, "type", Leaf{Kind::type, 0, &type->second});
      }
    }
    std::string histogram_path;
    histogram_path.reserve(prefix.size() + 1 + name.size() + histogram_suffix.size());
    histogram_path.append(prefix).append(".").append(name).append(histogram_suffix);
    const auto histogram = results_.histograms.find(histogram_path);
    if (histogram != results_.histograms.end() && !placed_histograms_.contains(histogram_path)) {
      const std::string_view histogram_name =
          std::string_view(histogram->first).substr(prefix.size() + 1);
      if (!find_child(parent, histogram_name)) {
        new_node(parent, histogram_name, Leaf{Kind::histogram, 0, &histogram->second});
        placed_histograms_.insert(histogram->first);
      }
    }
    return id;
  }

  void write_node(PrettyJson& json, std::uint32_t id) const {
    const TreeNode& node = nodes_[id];
    switch (node.leaf.kind) {
      case Kind::object:
        json.begin_object();
        for (std::uint32_t c = node.first_child; c != none; c = nodes_[c].next_sibling) {
          json.key(nodes_[c].name);
          write_node(json, c);
        }
        json.end_object();
        return;
      case Kind::statistic:
        write_statistic(json, results_.metrics.statistic_at(node.leaf.column));
        return;
      case Kind::histogram:
        write_histogram(json, *static_cast<const Histogram*>(node.leaf.target));
        return;
      case Kind::type:
        json.string(*static_cast<const std::string*>(node.leaf.target));
        return;
    }
  }

  const RunResults& results_;
  std::vector<TreeNode> nodes_;
  std::unordered_map<std::uint32_t, std::unordered_map<std::string_view, std::uint32_t>> indexes_;
  std::set<std::string_view> placed_histograms_;
};

void write_document(PrettyJson& json, const RunResults& results) {
  // The sections' tree first: a table that cannot be written (paths that
  // collide or lie outside the sections) throws before the first byte goes
  // out, which matters where the output is a pipe.
  SectionTree tree(results);
  const auto& paths = results.metrics.paths();
  for (std::size_t column = 0; column < paths.size(); ++column) {
    tree.add_statistic(paths[column], static_cast<std::uint32_t>(column));
  }
  tree.add_remaining();

  json.begin_object();
  json.key("telsim");
  json.unsigned_integer(1);
  json.key("scenario");
  json.value(results.scenario);
  json.key("seed");
  json.unsigned_integer(results.seed);
  json.key("replications");
  json.unsigned_integer(results.replications);
  json.key("warmup");
  if (results.warmup_field.is_null()) {
    json.number(results.warmup);
  } else {
    json.value(results.warmup_field);
  }
  json.key("duration");
  json.number(results.duration);

  json.key("run");
  json.begin_object();
  json.key("version");
  json.string(results.run.version);
  json.key("commit");
  json.string(results.run.commit);
  json.key("scenario_sha256");
  json.string(results.run.scenario_sha256);
  json.key("command_line");
  json.string(results.run.command_line);
  json.key("threads");
  json.value(results.run.threads);
  json.key("started_at");
  json.string(results.run.started_at);
  json.end_object();

  json.key("engine");
  json.begin_object();
  json.key("events");
  json.unsigned_integer(results.engine.events);
  json.key("wall_seconds");
  json.number(results.engine.wall_seconds);
  json.key("events_per_second");
  json.number(results.engine.events_per_second);
  json.key("peak_pending_events");
  json.unsigned_integer(results.engine.peak_pending_events);
  json.end_object();

  json.key("warmup_used");
  write_statistic(json, summarize(results.warmup_used));
  if (results.precision) {
    json.key("precision");
    json.begin_object();
    json.key("metric");
    json.string(results.precision->metric);
    json.key("met");
    json.value(results.precision->met);
    json.key("replications");
    json.unsigned_integer(results.precision->replications);
    json.end_object();
  }

  json.key("timeseries");
  json.begin_object();
  json.key("trunk_groups");
  json.begin_object();
  for (const auto& [group, series_by_name] : results.timeseries) {
    json.key(group);
    json.begin_object();
    for (const auto& [name, series] : series_by_name) {
      json.key(name);
      json.begin_object();
      json.key("t");
      write_numbers(json, series.t);
      json.key("mean");
      write_numbers(json, series.mean);
      json.end_object();
    }
    json.end_object();
  }
  json.end_object();
  json.end_object();

  for (std::string_view section : sections) {
    json.key(section);
    tree.write(json, section);
  }
  json.end_object();
}

}  // namespace

void write_results(std::ostream& out, const RunResults& results) {
  PrettyJson json(out);
  write_document(json, results);
  out.put('\n');
}

nlohmann::ordered_json to_json(const RunResults& results) {
  std::ostringstream text;
  write_results(text, results);
  return nlohmann::ordered_json::parse(text.str());
}

void write_results_file(const std::filesystem::path& target, const RunResults& results) {
  // A bad table (paths that collide, outside the sections) throws before
  // writing; any failure later removes the temporary file.
  write_file_atomically(target, [&](std::ostream& out) { write_results(out, results); });
}

}  // namespace telsim::analysis
