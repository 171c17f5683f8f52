#pragma once
// The telsim subcommands. Each returns the process exit code (SPEC §4).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telsim::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_expect_failed = 1,
  exit_bad_input = 2,
  exit_error = 3,
  exit_sigint = 130,
  exit_sigterm = 143,
};

struct RunArgs {
  std::string file;
  std::optional<std::uint64_t> replications;
  std::optional<std::string> seed;  // validated by the loader
  std::optional<unsigned> threads;
  std::vector<std::string> sets;
  std::vector<std::string> plugins;  // --plugin PATH, relative to the current folder
  bool allow_plugins = false;        // --allow-plugins: the scenario's `plugins:` paths load
  std::optional<std::string> out;
  std::optional<std::string> csv;
  std::optional<std::string> junit;
  std::optional<std::string> calls;  // --calls FILE.csv: call detail records
  bool quiet = false;
  bool timings = false;  // --timings: where the time and memory went, on stderr
  std::string command_line;
};

int run_command(const RunArgs& args);
int validate_command(const std::string& file, const std::vector<std::string>& sets,
                     const std::vector<std::string>& plugins, bool allow_plugins,
                     bool print_resolved);
int policies_command(const std::vector<std::string>& plugins);

struct SchemaArgs {
  std::vector<std::string> plugins;
  std::string format = "json";  // json (JSON Schema), markdown (the reference page), man (5)
};
int schema_command(const SchemaArgs& args);

struct AnalyticArgs {
  std::string model;  // erlang-b, erlang-c, engset, erlang-a, retrial
  std::int64_t circuits = 0;
  double load = 0.0;
  std::int64_t sources = 0;
  double beta = 0.0;
  double rate = 0.0;           // erlang-a, retrial: first-attempt arrival rate
  double mean_holding = 0.0;   // erlang-a, retrial
  double mean_patience = 0.0;  // erlang-a ("inf" for none: Erlang C)
  double mean_retrial = 0.0;   // retrial
  // erlang-b: two of circuits, load, target (the third is computed)
  bool has_circuits = false;
  bool has_load = false;
  std::optional<double> target;
  std::vector<std::string> classes;  // kaufman-roberts: BANDWIDTH:ERLANGS per class
};
int analytic_command(const AnalyticArgs& args);

/// What every study command shares with `run`.
struct StudyArgs {
  std::string file;
  std::vector<std::string> sets;   ///< --set KEY=VALUE, applied to every point
  std::uint64_t replications = 0;  ///< --replications N (0: not given)
  std::string seed;                ///< --seed S, as text for the loader to check (empty: not given)
  std::vector<std::string> plugins;  ///< --plugin PATH
  bool allow_plugins = false;        ///< --allow-plugins
  unsigned threads = 1;
  bool quiet = false;
  std::string command_line;
};

/// telsim sweep FILE --vary ... --out DIR [--resume] [--threads T] [--junit FILE.xml]
struct SweepArgs {
  StudyArgs study;
  std::vector<std::string> vary;  ///< KEY=V1,V2,... or KEY=START:STOP:POINTS, first varies slowest
  std::string out;                ///< the sweep folder
  bool resume = false;
  std::optional<std::string> junit;
};
int sweep_command(const SweepArgs& args);  // cli/sweep_command.cpp

/// telsim compare FILE --vary KEY=V1,V2,... [--out compare.json]
struct CompareArgs {
  StudyArgs study;
  std::string vary;                ///< KEY=V1,V2,... (the first value is the baseline)
  std::optional<std::string> out;  ///< default compare.json
};
int compare_command(const CompareArgs& args);  // cli/compare_command.cpp

/// telsim dimension FILE --trunk-group NAME --target METRIC<=VALUE | METRIC>=VALUE
struct DimensionArgs {
  StudyArgs study;
  std::string trunk_group;
  bool all = false;    ///< --all: every trunk group (studies/dimension_network.hpp)
  std::string target;  ///< as written, e.g. "call_blocking<=0.01"
};
int dimension_command(const DimensionArgs& args);  // cli/dimension_command.cpp

/// telsim generate [options] --out FILE.yaml (docs/generate.md); defaults as GenerateOptions.
struct GenerateArgs {
  std::uint32_t exchanges = 200;
  std::uint64_t subscribers = 1'000'000;
  std::uint32_t tandems = 10;
  double gos = 0.01;
  double erlangs_per_sub = 0.05;
  double holding = 120.0;
  std::string policy_mix = "none=1";
  std::uint64_t seed = 1;
  std::uint32_t partners = 10;
  double local_fraction = 0.5;
  double distance_exponent = 2.0;
  double size_sigma = 1.0;
  double area_km = 600.0;
  double direct_erlangs = 30.0;
  std::uint64_t replications = 10;
  double warmup = 300.0;
  double duration = 3600.0;
  std::uint32_t pilot_passes = 4;  ///< 0 (or --no-pilot): Erlang B on first attempts only
  double pilot_duration = 1800.0;
  bool no_pilot = false;
  std::optional<std::string> name;
  std::string out;
};
int generate_command(const GenerateArgs& args);  // cli/generate_command.cpp

/// telsim analytic network FILE
int analytic_network_command(const std::string& file, const std::vector<std::string>& sets,
                             const std::vector<std::string>& plugins,
                             bool allow_plugins);  // cli/analytic_network_command.cpp

}  // namespace telsim::cli
