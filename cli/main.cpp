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
  std::string out, csv, junit, calls;
  auto* run_cmd = app.add_subcommand("run", "run a scenario's replications and write its results");
  run_cmd->add_option("FILE", run.file, "scenario file (YAML)")->required();
  auto* opt_reps =
      run_cmd->add_option("--replications", replications, "replications (overrides the scenario)")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
  // Read as text and validated by the loader like `--set seed=S`, so a
  // negative or too large seed is refused rather than wrapped.
  std::string seed_text;
  auto* opt_seed =
      run_cmd->add_option("--seed", seed_text, "seed, 0 to 2^64-1 (overrides the scenario)");
  auto* opt_threads = run_cmd
                          ->add_option("--threads", threads,
                                       "threads (default: all cores); results do not depend on it")
                          ->check(CLI::Range(1u, 1024u));
  run_cmd->add_option("--set", run.sets, "override a scenario value: KEY=VALUE (repeatable)");
  run_cmd
      ->add_option("--plugin", run.plugins,
                   "load a plug-in of policy types: a path or a bare name (repeatable)")
      ->allow_extra_args(false);
  run_cmd->add_flag(
      "--allow-plugins", run.allow_plugins,
      "load the plug-ins the scenario names by path (their code runs; trust the scenario)");
  auto* opt_out =
      run_cmd->add_option("--out", out, "results file (default: <scenario name>.results.json)");
  auto* opt_csv = run_cmd->add_option("--csv", csv, "also write CSV files into this folder");
  auto* opt_junit =
      run_cmd->add_option("--junit", junit, "write a JUnit XML report of the expect checks");
  auto* opt_calls = run_cmd->add_option(
      "--calls", calls, "write one row per measured call (call detail records) to this CSV file");
  run_cmd->add_flag("--quiet", run.quiet, "print no summary table");
  run_cmd->add_flag("--timings", run.timings,
                    "print where the time and memory went (loading, simulation, results) on "
                    "stderr");

  std::string validate_file;
  std::vector<std::string> validate_sets;
  std::vector<std::string> validate_plugins;
  bool validate_allow_plugins = false;
  bool validate_resolved = false;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file without running it");
  validate_cmd->add_option("FILE", validate_file, "scenario file (YAML)")->required();
  validate_cmd->add_option("--set", validate_sets,
                           "override a scenario value: KEY=VALUE (repeatable)");
  validate_cmd
      ->add_option("--plugin", validate_plugins,
                   "load a plug-in of policy types: a path or a bare name (repeatable)")
      ->allow_extra_args(false);
  // validate loads the scenario's plug-ins too (their types are validated), so it runs
  // their code: it needs the same permission as run.
  validate_cmd->add_flag(
      "--allow-plugins", validate_allow_plugins,
      "load the plug-ins the scenario names by path (their code runs; trust the scenario)");
  validate_cmd->add_flag("--resolved", validate_resolved,
                         "print the scenario as resolved (after --set, defaults filled in) as "
                         "JSON, as run records it, instead of the summary");

  std::vector<std::string> policies_plugins;
  auto* policies_cmd =
      app.add_subcommand("policies", "list completion-policy types and their parameters");
  policies_cmd
      ->add_option("--plugin", policies_plugins,
                   "also load this plug-in: a path or a bare name (repeatable)")
      ->allow_extra_args(false);

  SchemaArgs schema;
  auto* schema_cmd = app.add_subcommand(
      "schema", "print the scenario format as a JSON Schema (draft 2020-12), for editors");
  schema_cmd
      ->add_option("--plugin", schema.plugins,
                   "also declare this plug-in's policy types: a path or a bare name (repeatable)")
      ->allow_extra_args(false);
  bool schema_markdown = false;
  bool schema_man = false;
  schema_cmd
      ->add_flag("--markdown", schema_markdown,
                 "print the scenario format's reference page (docs/reference) instead")
      ->excludes(schema_cmd->add_flag("--man", schema_man,
                                      "print the telsim-scenario(5) man page instead"));

  AnalyticArgs analytic;
  auto* analytic_cmd = app.add_subcommand("analytic", "closed-form teletraffic formulas");
  analytic_cmd->require_subcommand(1);
  auto* erlang_b =
      analytic_cmd->add_subcommand("erlang-b", "Erlang B blocking (lost calls cleared)");
  // Two of the three: blocking from circuits and load, or the inverse questions.
  auto* erlang_b_circuits = erlang_b->add_option("--circuits", analytic.circuits, "circuits");
  auto* erlang_b_load = erlang_b->add_option("--load", analytic.load, "offered traffic, Erlangs");
  double erlang_b_target = 0.0;
  auto* erlang_b_target_opt = erlang_b->add_option(
      "--target", erlang_b_target,
      "a blocking B: with --load the fewest circuits, with --circuits the largest load, whose "
      "blocking is at most B");
  auto* kaufman_roberts = analytic_cmd->add_subcommand(
      "kaufman-roberts", "multi-rate loss: per-class blocking on one shared group");
  kaufman_roberts->add_option("--circuits", analytic.circuits, "circuits")->required();
  kaufman_roberts
      ->add_option("--class", analytic.classes,
                   "a class of calls: BANDWIDTH:ERLANGS, circuits per call and offered traffic "
                   "(repeatable, in order)")
      ->required();
  auto* erlang_c = analytic_cmd->add_subcommand(
      "erlang-c",
      "Erlang C waiting (lost calls delayed); mean_wait over all calls, in mean holding times");
  erlang_c->add_option("--circuits", analytic.circuits, "circuits")->required();
  erlang_c->add_option("--load", analytic.load, "offered traffic, Erlangs")->required();
  auto* engset = analytic_cmd->add_subcommand("engset", "Engset congestion (finite sources)");
  engset->add_option("--circuits", analytic.circuits, "circuits")->required();
  engset->add_option("--sources", analytic.sources, "sources")->required();
  engset
      ->add_option("--beta", analytic.beta,
                   "offered traffic per idle source (call rate x mean holding)")
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

  // Studies (SPEC §4): each shares the scenario options of `run`.
  auto add_study_options = [](CLI::App* cmd, StudyArgs& study, unsigned& threads_value) {
    cmd->add_option("FILE", study.file, "scenario file (YAML)")->required();
    cmd->add_option("--set", study.sets, "override a scenario value: KEY=VALUE (repeatable)");
    cmd->add_option("--plugin", study.plugins, "load a plug-in of policy types (repeatable)")
        ->allow_extra_args(false);
    cmd->add_flag("--allow-plugins", study.allow_plugins,
                  "load the plug-ins the scenario names by path (their code runs; trust the "
                  "scenario)");
    cmd->add_option("--replications", study.replications,
                    "replications of every run (overrides the scenario)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}));
    cmd->add_option("--seed", study.seed, "seed, 0 to 2^64-1 (overrides the scenario)");
    cmd->add_option("--threads", threads_value,
                    "threads (default: all cores); results do not depend on it")
        ->check(CLI::Range(1u, 1024u));
    cmd->add_flag("--quiet", study.quiet, "print only the essential lines");
  };

  SweepArgs sweep;
  unsigned sweep_threads = 0;
  std::string sweep_junit;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "run a scenario over a grid of values, one results file per point");
  add_study_options(sweep_cmd, sweep.study, sweep_threads);
  sweep_cmd
      ->add_option("--vary", sweep.vary,
                   "KEY=V1,V2,... or KEY=START:STOP:POINTS (repeatable; the first varies slowest)")
      ->required()
      ->allow_extra_args(false);
  sweep_cmd->add_option("--out", sweep.out, "the sweep folder")->required();
  sweep_cmd->add_flag("--resume", sweep.resume,
                      "keep finished points and run only the missing ones");
  auto* opt_sweep_junit = sweep_cmd->add_option("--junit", sweep_junit,
                                                "JUnit XML report of the expect checks, per point");

  CompareArgs compare;
  unsigned compare_threads = 0;
  std::string compare_out;
  auto* compare_cmd = app.add_subcommand(
      "compare", "run alternatives with common random numbers and compare them pairwise");
  add_study_options(compare_cmd, compare.study, compare_threads);
  compare_cmd->add_option("--vary", compare.vary, "KEY=V1,V2,... (the first is the baseline)")
      ->required();
  auto* opt_compare_out =
      compare_cmd->add_option("--out", compare_out, "comparison file (default: compare.json)");

  DimensionArgs dimension;
  unsigned dimension_threads = 0;
  auto* dimension_cmd = app.add_subcommand(
      "dimension",
      "find the fewest circuits on a trunk group (or on every one) that meet a target");
  add_study_options(dimension_cmd, dimension.study, dimension_threads);
  auto* dimension_group =
      dimension_cmd->add_option("--trunk-group", dimension.trunk_group, "the trunk group to size");
  auto* dimension_all = dimension_cmd->add_flag(
      "--all", dimension.all,
      "size every trunk group together: the fewest circuits per group with every group "
      "meeting the target in one run of the whole network");
  dimension_group->excludes(dimension_all);
  dimension_all->excludes(dimension_group);
  dimension_cmd
      ->add_option("--target", dimension.target,
                   "METRIC<=VALUE or METRIC>=VALUE, e.g. call_blocking<=0.01")
      ->required();

  std::string network_file;
  std::vector<std::string> network_sets, network_plugins;
  bool network_allow_plugins = false;
  auto* network = analytic_cmd->add_subcommand(
      "network", "each trunk group's blocking by the Erlang fixed point (reduced load)");
  network->add_option("FILE", network_file, "scenario file (YAML)")->required();
  network->add_option("--set", network_sets, "override a scenario value: KEY=VALUE (repeatable)");
  network->add_option("--plugin", network_plugins, "load a plug-in of policy types (repeatable)")
      ->allow_extra_args(false);
  network->add_flag(
      "--allow-plugins", network_allow_plugins,
      "load the plug-ins the scenario names by path (their code runs; trust the scenario)");

  GenerateArgs generate;
  std::string generate_name;
  auto* generate_cmd =
      app.add_subcommand("generate", "write a national network scenario (docs/generate.md)");
  generate_cmd->add_option("--out", generate.out, "scenario file to write (YAML)")->required();
  generate_cmd->add_option("--exchanges", generate.exchanges, "local exchanges")
      ->check(CLI::Range(2u, 999u));
  generate_cmd->add_option("--subscribers", generate.subscribers, "subscribers in all");
  generate_cmd->add_option("--tandems", generate.tandems, "tandem exchanges")
      ->check(CLI::Range(1u, 99u));
  generate_cmd->add_option("--gos", generate.gos, "grade of service trunk groups are sized for");
  generate_cmd->add_option("--erlangs-per-sub", generate.erlangs_per_sub,
                           "originating Erlangs per subscriber");
  generate_cmd->add_option("--holding", generate.holding, "mean holding time, seconds");
  generate_cmd->add_option("--policy-mix", generate.policy_mix,
                           "share of relations per policy type, e.g. none=0.6,callback=0.4");
  generate_cmd->add_option("--seed", generate.seed, "seed of the generator and the scenario");
  generate_cmd->add_option("--partners", generate.partners,
                           "inter-exchange relations per exchange (strongest gravity)");
  generate_cmd->add_option("--local-fraction", generate.local_fraction,
                           "share of traffic that stays inside its exchange");
  generate_cmd->add_option("--distance-exponent", generate.distance_exponent,
                           "gravity model: weight size / distance^k");
  generate_cmd->add_option("--size-sigma", generate.size_sigma,
                           "lognormal spread of exchange sizes (sd of the log)");
  generate_cmd->add_option("--area-km", generate.area_km,
                           "exchanges lie uniformly in a square this wide, km");
  generate_cmd->add_option("--direct-erlangs", generate.direct_erlangs,
                           "pair traffic from which a direct trunk group is built");
  generate_cmd->add_option("--replications", generate.replications, "the scenario's replications");
  generate_cmd->add_option("--warmup", generate.warmup, "the scenario's warm-up, seconds");
  generate_cmd->add_option("--duration", generate.duration, "the scenario's duration, seconds");
  generate_cmd->add_option("--pilot-passes", generate.pilot_passes,
                           "pilot simulations to re-size the groups (0: none)");
  generate_cmd->add_option("--pilot-duration", generate.pilot_duration,
                           "each pilot's simulated seconds after the warm-up");
  generate_cmd->add_flag("--no-pilot", generate.no_pilot,
                         "size on first attempts only (as --pilot-passes 0)");
  auto* opt_generate_name =
      generate_cmd->add_option("--name", generate_name, "the scenario's name");

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
    if (*opt_calls) run.calls = calls;
    for (int i = 0; i < argc; ++i) {
      if (i > 0) run.command_line += ' ';
      run.command_line += quote_argument(argv[i]);
    }
    return run_command(run);
  }
  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) command_line += ' ';
    command_line += quote_argument(argv[i]);
  }
  const auto threads_or_all = [](unsigned given) {
    return given != 0 ? given : std::max(1u, std::thread::hardware_concurrency());
  };
  if (*sweep_cmd) {
    sweep.study.threads = threads_or_all(sweep_threads);
    sweep.study.command_line = command_line;
    if (*opt_sweep_junit) sweep.junit = sweep_junit;
    return sweep_command(sweep);
  }
  if (*compare_cmd) {
    compare.study.threads = threads_or_all(compare_threads);
    compare.study.command_line = command_line;
    if (*opt_compare_out) compare.out = compare_out;
    return compare_command(compare);
  }
  if (*dimension_cmd) {
    if (!dimension.all && dimension_group->count() == 0) {
      std::fprintf(stderr,
                   "telsim dimension: error: give --trunk-group NAME or --all (see --help)\n");
      return exit_bad_input;
    }
    dimension.study.threads = threads_or_all(dimension_threads);
    dimension.study.command_line = command_line;
    return dimension_command(dimension);
  }
  if (*generate_cmd) {
    if (*opt_generate_name) generate.name = generate_name;
    return generate_command(generate);
  }
  if (*network) {
    return analytic_network_command(network_file, network_sets, network_plugins,
                                    network_allow_plugins);
  }
  if (*validate_cmd) {
    return validate_command(validate_file, validate_sets, validate_plugins, validate_allow_plugins,
                            validate_resolved);
  }
  if (*policies_cmd) return policies_command(policies_plugins);
  if (*schema_cmd) {
    if (schema_markdown) schema.format = "markdown";
    if (schema_man) schema.format = "man";
    return schema_command(schema);
  }
  if (*analytic_cmd) {
    if (*erlang_b) {
      analytic.model = "erlang-b";
      analytic.has_circuits = erlang_b_circuits->count() > 0;
      analytic.has_load = erlang_b_load->count() > 0;
      if (*erlang_b_target_opt) analytic.target = erlang_b_target;
      if (static_cast<int>(analytic.has_circuits) + static_cast<int>(analytic.has_load) +
              static_cast<int>(analytic.target.has_value()) !=
          2) {
        std::fprintf(stderr,
                     "telsim analytic erlang-b: error: give two of --circuits, --load and "
                     "--target (see --help)\n");
        return exit_bad_input;
      }
    }
    if (*kaufman_roberts) analytic.model = "kaufman-roberts";
    if (*erlang_c) analytic.model = "erlang-c";
    if (*engset) analytic.model = "engset";
    if (*erlang_a) analytic.model = "erlang-a";
    if (*retrial) analytic.model = "retrial";
    return analytic_command(analytic);
  }
  return exit_bad_input;
}
