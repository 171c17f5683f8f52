// Writes the SPEC §5 document from the flat metric table, as a stream.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "telsim/analysis/json_writer.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

constexpr std::array<std::string_view, 3> sections{"trunk_groups", "traffic", "policies"};
constexpr std::string_view histogram_suffix = "_histogram";

void write_numbers(JsonWriter& json, const std::vector<double>& numbers) {
  json.begin_array();
  for (double value : numbers) json.number(value);
  json.end_array();
}

void write_histogram(JsonWriter& json, const Histogram& histogram) {
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
void write_statistic(JsonWriter& json, const Statistic& statistic) {
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
// documented on write_results. Objects, histograms and policy types are nodes;
// a statistic is not: it is its column in the metric table, linked to its
// next sibling. A national network has 823,000 statistics under 130,000
// objects, and a node for each took 55 MB.
class SectionTree {
 public:
  explicit SectionTree(const RunResults& results)
      : results_(results),
        column_next_(results.metrics.paths().size(), none),
        column_name_(results.metrics.paths().size(), nullptr) {
    new_node(root, intern(""), Kind::object, nullptr);  // the root itself
    for (std::string_view name : sections) new_node(root, intern(name), Kind::object, nullptr);
  }

  void add_statistics() {
    const MetricPaths& paths = results_.metrics.paths();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
      const auto column = static_cast<std::uint32_t>(it.index());
      const Placed placed = place(*it);
      if (find_node(placed.parent, placed.name)) conflict(*it, *it);
      column_name_[column] = &intern(placed.name);
      append(placed.parent, column | column_bit);
      after_created(placed.parent, placed.prefix, placed.name);
    }
  }

  void add_remaining() {
    for (const auto& [path, histogram] : results_.histograms) {
      if (placed_histograms_.contains(path)) continue;
      const Placed placed = place(path);
      if (find_node(placed.parent, placed.name) || results_.metrics.contains(path)) {
        conflict(path, path);
      }
      // The histogram's own name, a view into its key in the map, which outlives the tree.
      const std::string_view name = std::string_view(path).substr(placed.prefix.size() + 1);
      new_node(placed.parent, name, Kind::histogram, &histogram);
      after_created(placed.parent, placed.prefix, name);
    }
    const std::uint32_t policies = find_node(root, "policies").value();
    for (const auto& [name, type] : results_.policy_types) {
      if (!find_node(policies, name) && !results_.metrics.contains("policies." + name)) {
        create(policies, "policies", name);
      }
    }
  }

  void write(JsonWriter& json, std::string_view section) const {
    write_node(json, *find_node(root, section));
  }

 private:
  enum class Kind : unsigned char { object, histogram, type };
  struct TreeNode {
    std::string_view name;         ///< interned, or a histogram's key, or "type"
    const void* target = nullptr;  ///< a histogram's Histogram, a type's string
    std::uint32_t first_child = none;
    std::uint32_t last_child = none;
    std::uint32_t next_sibling = none;
    std::uint32_t node_children = 0;  ///< children that are nodes, not statistics
    Kind kind = Kind::object;
  };
  /// Where a path's last component goes: under `parent`, whose path is `prefix`.
  struct Placed {
    std::uint32_t parent;
    std::string_view prefix;
    std::string_view name;
  };
  static constexpr std::uint32_t none = 0xFFFFFFFFu;
  static constexpr std::uint32_t column_bit = 0x80000000u;  // a child that is a statistic
  static constexpr std::uint32_t root = 0;
  // Below this many node children a node's names are searched in order;
  // above, in a hash index (a section holds one child per group or relation).
  static constexpr std::uint32_t indexed_from = 16;

  const std::string& intern(std::string_view name) {
    const auto found = names_.find(name);
    if (found != names_.end()) return *found->second;
    const std::string& kept = name_store_.emplace_back(name);
    names_.emplace(kept, &kept);
    return kept;
  }

  std::uint32_t& next_of(std::uint32_t ref) {
    return (ref & column_bit) != 0 ? column_next_[ref & ~column_bit] : nodes_[ref].next_sibling;
  }

  void append(std::uint32_t parent, std::uint32_t ref) {
    TreeNode& p = nodes_[parent];
    if (p.last_child == none) {
      p.first_child = ref;
    } else {
      next_of(p.last_child) = ref;
    }
    nodes_[parent].last_child = ref;
  }

  std::uint32_t new_node(std::uint32_t parent, std::string_view name, Kind kind,
                         const void* target) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    if (id >= column_bit) throw std::length_error("results: too many objects");
    TreeNode node;
    node.name = name;
    node.kind = kind;
    node.target = target;
    nodes_.push_back(node);
    if (id == root) return id;
    append(parent, id);
    TreeNode& p = nodes_[parent];
    ++p.node_children;
    if (p.node_children == indexed_from) {
      auto& index = indexes_[parent];
      for (std::uint32_t c = p.first_child; c != none; c = next_of(c)) {
        if ((c & column_bit) == 0) index.emplace(nodes_[c].name, c);
      }
    } else if (p.node_children > indexed_from) {
      indexes_[parent].emplace(name, id);
    }
    return id;
  }

  /// The child node (not statistic) of `parent` called `name`.
  std::optional<std::uint32_t> find_node(std::uint32_t parent, std::string_view name) const {
    const TreeNode& p = nodes_[parent];
    if (p.node_children >= indexed_from) {
      const auto& index = indexes_.at(parent);
      const auto found = index.find(name);
      if (found == index.end()) return std::nullopt;
      return found->second;
    }
    for (std::uint32_t c = p.first_child; c != none;) {
      if ((c & column_bit) != 0) {
        c = column_next_[c & ~column_bit];
        continue;
      }
      if (nodes_[c].name == name) return c;
      c = nodes_[c].next_sibling;
    }
    return std::nullopt;
  }

  /// Walks (creating objects as needed) to the object that holds `path`'s last component.
  Placed place(std::string_view path) {
    const std::size_t first_dot = path.find('.');
    const std::string_view section_name = path.substr(0, first_dot);
    const std::optional<std::uint32_t> section =
        first_dot == std::string_view::npos ? std::nullopt : find_node(root, section_name);
    if (!section) {
      throw std::invalid_argument("results: metric path '" + std::string(path) +
                                  "' must start with trunk_groups., traffic. or policies.");
    }
    std::uint32_t node = *section;
    std::size_t start = first_dot + 1;
    for (;;) {
      const std::size_t dot = path.find('.', start);
      const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
      const std::string_view part = path.substr(start, end - start);
      if (part.empty()) {
        throw std::invalid_argument("results: metric path '" + std::string(path) +
                                    "' has an empty component");
      }
      const std::string_view prefix = path.substr(0, start - 1);
      if (dot == std::string_view::npos) return Placed{node, prefix, part};
      const std::string_view here = path.substr(0, end);
      const std::optional<std::uint32_t> child = find_node(node, part);
      // A value cannot also hold other values: a statistic (anywhere in the
      // table) or a histogram or type (already placed) at this prefix.
      if ((child && nodes_[*child].kind != Kind::object) || results_.metrics.contains(here)) {
        conflict(path, here);
      }
      node = child ? *child : create(node, prefix, part);
      start = end + 1;
    }
  }

  [[noreturn]] static void conflict(std::string_view path, std::string_view existing) {
    throw std::invalid_argument("results: metric path '" + std::string(path) + "' collides with '" +
                                std::string(existing) +
                                "' (a value cannot also hold other values)");
  }

  // Creates the object `name` under `parent` (at `prefix`) and what must come with it.
  std::uint32_t create(std::uint32_t parent, std::string_view prefix, std::string_view name) {
    const std::uint32_t id = new_node(parent, intern(name), Kind::object, nullptr);
    if (prefix == "policies") {
      const auto type = results_.policy_types.find(std::string(name));
      if (type != results_.policy_types.end()) {
        new_node(id, "type", Kind::type, &type->second);
      }
    }
    after_created(parent, prefix, name);
    return id;
  }

  // A histogram "<name>_histogram" comes right after its sibling `name`.
  void after_created(std::uint32_t parent, std::string_view prefix, std::string_view name) {
    if (results_.histograms.empty()) return;
    std::string histogram_path;
    histogram_path.reserve(prefix.size() + 1 + name.size() + histogram_suffix.size());
    histogram_path.append(prefix).append(".").append(name).append(histogram_suffix);
    const auto histogram = results_.histograms.find(histogram_path);
    if (histogram == results_.histograms.end() || placed_histograms_.contains(histogram->first)) {
      return;
    }
    const std::string_view histogram_name =
        std::string_view(histogram->first).substr(prefix.size() + 1);
    if (find_node(parent, histogram_name) || results_.metrics.contains(histogram_path)) {
      conflict(histogram_path, histogram_path);
    }
    new_node(parent, histogram_name, Kind::histogram, &histogram->second);
    placed_histograms_.insert(histogram->first);
  }

  void write_node(JsonWriter& json, std::uint32_t id) const {
    const TreeNode& node = nodes_[id];
    switch (node.kind) {
      case Kind::object:
        json.begin_object();
        for (std::uint32_t c = node.first_child; c != none;) {
          if ((c & column_bit) != 0) {
            const std::uint32_t column = c & ~column_bit;
            json.key(*column_name_[column]);
            write_statistic(json, results_.metrics.statistic_at(column));
            c = column_next_[column];
          } else {
            json.key(nodes_[c].name);
            write_node(json, c);
            c = nodes_[c].next_sibling;
          }
        }
        json.end_object();
        return;
      case Kind::histogram:
        write_histogram(json, *static_cast<const Histogram*>(node.target));
        return;
      case Kind::type:
        json.string(*static_cast<const std::string*>(node.target));
        return;
    }
  }

  const RunResults& results_;
  std::vector<TreeNode> nodes_;
  std::vector<std::uint32_t> column_next_;       // a statistic's next sibling
  std::vector<const std::string*> column_name_;  // a statistic's key, interned
  std::deque<std::string> name_store_;           // interned names (stable addresses)
  std::unordered_map<std::string_view, const std::string*> names_;
  std::unordered_map<std::uint32_t, std::unordered_map<std::string_view, std::uint32_t>> indexes_;
  std::set<std::string_view> placed_histograms_;
};

void write_document(JsonWriter& json, const RunResults& results) {
  // The sections' tree first: a table that cannot be written (paths that
  // collide or lie outside the sections) throws before the first byte goes
  // out, which matters where the output is a pipe.
  SectionTree tree(results);
  tree.add_statistics();
  tree.add_remaining();

  json.begin_object();
  json.key("telsim");
  json.unsigned_integer(1);
  json.key("scenario");
  if (results.write_scenario) {
    results.write_scenario(json);
  } else {
    json.value(results.scenario);
  }
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
  JsonWriter json(out);
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
