// telsim: the command line (SPEC §4). This is the only translation unit that
// includes CLI11, which is slow to compile.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <thread>

#include "commands.hpp"

namespace {

std::string quote_argument(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`;&|<>()*?[]{}!#~") == std::string::npos) {
    return arg;
  }
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace telsim::cli;
  CLI::App app{"telsim: a discrete-event simulator of circuit-switched telephony networks"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("telsim ") + TELSIM_VERSION);

  RunArgs run;
  std::uint64_t replications = 0;
  unsigned threads = 0;
  std::string out, csv, junit;
  auto* run_cmd = app.add_subcommand("run", "run a scenario's replications and write its results");
  run_cmd->add_option("FILE", run.file, "scenario file (YAML)")->required();
  auto* opt_reps = run_cmd->add_option("--replications", replications, "replications (overrides the scenario)")
                       ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
  // Read as text and validated by the loader like `--set seed=S`, so a
  // negative or too large seed is refused rather than wrapped.
  std::string seed_text;
  auto* opt_seed = run_cmd->add_option("--seed", seed_text, "seed, 0 to 2^64-1 (overrides the scenario)");
  auto* opt_threads = run_cmd->add_option("--threads", threads, "threads (default: all cores); results do not depend on it")
                          ->check(CLI::Range(1u, 1024u));
  run_cmd->add_option("--set", run.sets, "override a scenario value: KEY=VALUE (repeatable)");
  run_cmd->add_option("--plugin", run.plugins,
                      "load a plug-in of policy types: a path or a bare name (repeatable)")
      ->allow_extra_args(false);
  auto* opt_out = run_cmd->add_option("--out", out, "results file (default: <scenario name>.results.json)");
  auto* opt_csv = run_cmd->add_option("--csv", csv, "also write CSV files into this folder");
  auto* opt_junit = run_cmd->add_option("--junit", junit, "write a JUnit XML report of the expect checks");
  run_cmd->add_flag("--quiet", run.quiet, "print no summary table");

  std::string validate_file;
  std::vector<std::string> validate_sets;
  std::vector<std::string> validate_plugins;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file without running it");
  validate_cmd->add_option("FILE", validate_file, "scenario file (YAML)")->required();
  validate_cmd->add_option("--set", validate_sets, "override a scenario value: KEY=VALUE (repeatable)");
  validate_cmd->add_option("--plugin", validate_plugins,
                           "load a plug-in of policy types: a path or a bare name (repeatable)")
      ->allow_extra_args(false);

  std::vector<std::string> policies_plugins;
  auto* policies_cmd = app.add_subcommand("policies", "list completion-policy types and their parameters");
  policies_cmd->add_option("--plugin", policies_plugins,
                           "also load this plug-in: a path or a bare name (repeatable)")
      ->allow_extra_args(false);

  AnalyticArgs analytic;
  auto* analytic_cmd = app.add_subcommand("analytic", "closed-form teletraffic formulas");
  analytic_cmd->require_subcommand(1);
  auto* erlang_b = analytic_cmd->add_subcommand("erlang-b", "Erlang B blocking (lost calls cleared)");
  erlang_b->add_option("--circuits", analytic.circuits, "circuits")->required();
  erlang_b->add_option("--load", analytic.load, "offered traffic, Erlangs")->required();
  auto* erlang_c = analytic_cmd->add_subcommand("erlang-c", "Erlang C waiting (lost calls delayed); mean_wait over all calls, in mean holding times");
  erlang_c->add_option("--circuits", analytic.circuits, "circuits")->required();
  erlang_c->add_option("--load", analytic.load, "offered traffic, Erlangs")->required();
  auto* engset = analytic_cmd->add_subcommand("engset", "Engset congestion (finite sources)");
  engset->add_option("--circuits", analytic.circuits, "circuits")->required();
  engset->add_option("--sources", analytic.sources, "sources")->required();
  engset->add_option("--beta", analytic.beta, "offered traffic per idle source (call rate x mean holding)")
      ->required();
  auto* erlang_a =
      analytic_cmd->add_subcommand("erlang-a", "Erlang A waiting with abandonment (M/M/c+M)");
  erlang_a->add_option("--circuits", analytic.circuits, "circuits")->required();
  erlang_a->add_option("--rate", analytic.rate, "call arrival rate")->required();
  erlang_a->add_option("--mean-holding", analytic.mean_holding, "mean holding time")->required();
  erlang_a
      ->add_option("--mean-patience", analytic.mean_patience,
                   "mean patience in the queue (inf: nobody abandons, Erlang C)")
      ->required();
  auto* retrial = analytic_cmd->add_subcommand("retrial", "M/M/c retrial queue (persistence 1)");
  retrial->add_option("--circuits", analytic.circuits, "circuits")->required();
  retrial->add_option("--rate", analytic.rate, "first-attempt arrival rate")->required();
  retrial->add_option("--mean-holding", analytic.mean_holding, "mean holding time")->required();
  retrial
      ->add_option("--mean-retrial", analytic.mean_retrial,
                   "mean delay between one caller's retries")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // --help and --version are successes; every other parse error is bad usage.
    return code == 0 ? exit_ok : exit_bad_input;
  }

  if (*run_cmd) {
    if (*opt_reps) run.replications = replications;
    if (*opt_seed) run.seed = seed_text;
    run.threads = *opt_threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    if (*opt_out) run.out = out;
    if (*opt_csv) run.csv = csv;
    if (*opt_junit) run.junit = junit;
    for (int i = 0; i < argc; ++i) {
      if (i > 0) run.command_line += ' ';
      run.command_line += quote_argument(argv[i]);
    }
    return run_command(run);
  }
  if (*validate_cmd) return validate_command(validate_file, validate_sets, validate_plugins);
  if (*policies_cmd) return policies_command(policies_plugins);
  if (*analytic_cmd) {
    if (*erlang_b) analytic.model = "erlang-b";
    if (*erlang_c) analytic.model = "erlang-c";
    if (*engset) analytic.model = "engset";
    if (*erlang_a) analytic.model = "erlang-a";
    if (*retrial) analytic.model = "retrial";
    return analytic_command(analytic);
  }
  return exit_bad_input;
}
