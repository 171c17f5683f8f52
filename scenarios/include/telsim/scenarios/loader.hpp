#pragma once
/// Loading and validating scenario files (SPEC §2), before t=0.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/json_writer.hpp"

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::scenarios {

/// A bad scenario: `what()` is the full "FILE:LINE:COLUMN: error: MESSAGE"
/// line (LINE and COLUMN from 1). Exit code 2.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, int column, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

/// Reads and validates `path`, first applying `overrides` ("KEY=VALUE", SPEC
/// §4 `--set`). Throws ScenarioError for every problem, naming the key and
/// value; a file that cannot be read is reported as FILE:1:1.
Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides,
                            const models::PolicyRegistry& registry);

/// The bytes of a scenario file, as load_scenario_file reads them: throws the same
/// ScenarioError (FILE:1:1) for a folder or a file that cannot be read. A study reads its
/// file once and makes every variant from the text (load_scenario_text).
std::string read_scenario_text(const std::filesystem::path& path);

/// The same from text; `display_name` is what error lines call the file.
Scenario load_scenario_text(std::string_view text, const std::string& display_name,
                            const std::vector<std::string>& overrides,
                            const models::PolicyRegistry& registry);

/// The scenario as resolved after --set, defaults filled in (SPEC §5
/// `scenario`), in the file's own vocabulary (names, not indices). Never
/// holds a file path.
nlohmann::ordered_json resolved_scenario_json(const Scenario& scenario,
                                              const models::PolicyRegistry& registry);
/// The same, written into `out` piece by piece (RunResults::write_scenario): the bytes
/// of resolved_scenario_json, without the tree.
void write_resolved_scenario(const Scenario& scenario, const models::PolicyRegistry& registry,
                             analysis::JsonWriter& out);

}  // namespace telsim::scenarios
