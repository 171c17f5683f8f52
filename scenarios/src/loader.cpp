// The loader's entry points: read the text, parse it, apply --set, then
// check every part of the scenario in SPEC §2 order before t=0.
#include "telsim/scenarios/loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "loader_diagnostics.hpp"
#include "loader_sections.hpp"
#include "set_overrides.hpp"
#include "yaml_checks.hpp"
#include "yaml_tree.hpp"

namespace telsim::scenarios {

ScenarioError::ScenarioError(std::string file, int line, int column, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                         ": error: " + message),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

Scenario load_scenario_text(std::string_view text, const std::string& display_name,
                            const std::vector<std::string>& overrides,
                            const models::PolicyRegistry& registry) {
  using namespace detail;
  const Diagnostics diag(display_name);
  const Origin start{};
  if (text.find('\0') != std::string_view::npos) {
    diag.fail(start, "not a text file (it holds NUL bytes); a scenario is a YAML text file");
  }
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    diag.fail(start, "not a text file (line " + std::to_string(line) +
                         " is not valid UTF-8); a scenario is a YAML text file in UTF-8");
  }
  Node root;
  try {
    root = parse_yaml(text, Origin::Source::file, 0);
  } catch (const YamlParseError& e) {
    Origin where;
    where.line = e.line < 0 ? 0 : e.line;
    where.column = e.column < 0 ? 0 : e.column;
    diag.fail(where, e.message);
  }
  if (root.is_null()) {
    diag.fail(start,
              "empty scenario: expected a map with at least telsim, name, duration, "
              "exchanges, subscribers and traffic");
  }
  if (!root.is_map()) {
    diag.fail(start,
              "the top level of a scenario must be a map of keys (telsim: 1, name: ..., "
              "...), got " +
                  got(root));
  }
  apply_overrides(root, overrides);

  check_map(root, Scope{}, declared_keys("scenario"), diag);
  Scenario scenario;
  load_run_settings(root, scenario, diag);
  auto& net = scenario.network;
  load_exchanges(root, net, diag);
  load_populations(root, net, diag);
  load_trunk_groups(root, net, diag);
  load_routes(root, net, diag);
  // Relations name policies, so policies come first even though SPEC §2
  // lists them after traffic.
  load_policies(root, net, registry, diag);
  load_relations(root, net, diag);
  check_policy_reach(root, net, registry, diag);
  load_plugins_and_expect(root, scenario, diag);
  check_metric_paths(root, scenario, diag);
  return scenario;
}

std::string read_scenario_text(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ScenarioError(name, 1, 1, "this is a folder, not a scenario file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ScenarioError(name, 1, 1, std::string("cannot read the file: ") + std::strerror(errno));
  }
  // In chunks rather than through a stringstream (which copies twice): the
  // file may be a pipe of unknown size, or a national network of 8 MB.
  std::string text;
  // Sized once for a regular file: doubling held twice the file (16 MB for
  // a national network) for the whole run.
  if (const auto size = std::filesystem::file_size(path, ec); !ec) text.reserve(size);
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    throw ScenarioError(name, 1, 1, std::string("cannot read the file: ") + std::strerror(errno));
  }
  return text;
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides,
                            const models::PolicyRegistry& registry) {
  return load_scenario_text(read_scenario_text(path), path.string(), overrides, registry);
}

}  // namespace telsim::scenarios
