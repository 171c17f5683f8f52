// `telsim generate` (docs/generate.md): the generated scenario is valid, its
// trunk groups are sized by Erlang B for the load the generator routed onto
// them, the traffic adds up to what was asked, and the same options give the
// same bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "run_telsim.hpp"
#include "telsim/analysis/erlang.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/generate.hpp"

namespace telsim::studies {

using namespace telsim::scenarios;
namespace {

// The bundled national scenario's replications (docs/generate.md).
constexpr std::uint64_t national_replications = 4;

GenerateOptions small_options() {
  GenerateOptions o;
  o.name = "generated-small";
  o.exchanges = 24;
  o.subscribers = 60'000;
  o.tandems = 3;
  o.partners = 5;
  o.direct_erlangs = 15.0;
  o.policy_mix = {{"none", 0.4},   {"callback", 0.2}, {"campon", 0.1},
                  {"redial", 0.1}, {"intrude", 0.1},  {"message", 0.1}};
  o.seed = 11;
  o.replications = 2;
  o.warmup = 100;
  o.duration = 400;
  o.pilot_passes = 0;  // the first-attempt sizing (the pilot has its own tests)
  return o;
}

TEST(Generate, TheScenarioLoadsAndMatchesWhatWasGenerated) {
  const GeneratedNetwork net = generate_network(small_options());
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(net.yaml, "generated.yaml", {}, registry);
  EXPECT_EQ(s.name, "generated-small");
  EXPECT_EQ(s.replications, 2u);
  EXPECT_EQ(s.network.exchanges.size(), 24u + 3u);
  ASSERT_EQ(s.network.populations.size(), 24u);
  std::uint64_t subscribers = 0;
  for (const auto& p : s.network.populations) {
    EXPECT_GE(p.count, 2u) << p.name;
    subscribers += p.count;
  }
  EXPECT_EQ(subscribers, 60'000u);
  ASSERT_EQ(s.network.trunk_groups.size(), net.groups.size());
  for (std::size_t g = 0; g < net.groups.size(); ++g) {
    EXPECT_EQ(s.network.trunk_groups[g].name, net.groups[g].name);
    EXPECT_EQ(s.network.trunk_groups[g].circuits, net.groups[g].circuits) << net.groups[g].name;
  }
  // One local relation per exchange and `partners` outgoing ones.
  EXPECT_EQ(s.network.relations.size(), 24u * (1 + 5));
  // Every policy type of the mix is used and defined (24 x 6 draws).
  std::set<std::string> types;
  for (const auto& p : s.network.policies) types.insert(p.type);
  EXPECT_EQ(types, (std::set<std::string>{"callback", "campon", "redial", "intrude", "message"}));
}

TEST(Generate, TrafficAddsUpToTheSubscribersLoad) {
  const GenerateOptions o = small_options();
  const GeneratedNetwork net = generate_network(o);
  double total = 0.0;
  std::map<std::uint32_t, double> originating, local;
  for (const auto& r : net.relations) {
    total += r.erlangs;
    originating[r.from] += r.erlangs;
    if (r.from == r.to) local[r.from] += r.erlangs;
  }
  EXPECT_NEAR(total, static_cast<double>(o.subscribers) * o.erlangs_per_sub, 1e-6);
  for (std::uint32_t i = 0; i < o.exchanges; ++i) {
    const double expected = static_cast<double>(net.locals[i].subscribers) * o.erlangs_per_sub;
    EXPECT_NEAR(originating[i], expected, 1e-9 * expected) << net.locals[i].name;
    EXPECT_NEAR(local[i], expected * o.local_fraction, 1e-9 * expected) << net.locals[i].name;
  }
}

TEST(Generate, TrunkGroupsAreSizedByErlangBForTheirOfferedLoad) {
  for (const double gos : {0.001, 0.01, 0.05}) {
    GenerateOptions o = small_options();
    o.gos = gos;
    const GeneratedNetwork net = generate_network(o);
    std::size_t direct = 0;
    for (const auto& g : net.groups) {
      SCOPED_TRACE(g.name + " gos " + std::to_string(gos));
      ASSERT_GE(g.circuits, 1u);
      EXPECT_LE(analysis::erlang_b(g.circuits, g.offered_erlangs), gos);
      if (g.circuits > 1) {
        EXPECT_GT(analysis::erlang_b(g.circuits - 1, g.offered_erlangs), gos);
      }
      if (g.a[0] == 'E' && g.b[0] == 'E') ++direct;
    }
    EXPECT_GT(direct, 0u) << "some pairs are big enough for a direct group";
  }
  // The sizing function itself, against the formula.
  for (const double load : {0.0, 0.3, 5.0, 42.5, 900.0}) {
    const std::uint32_t n = erlang_b_circuits(load, 0.01);
    EXPECT_LE(analysis::erlang_b(n, load), 0.01) << load;
    if (n > 1) {
      EXPECT_GT(analysis::erlang_b(n - 1, load), 0.01) << load;
    }
  }
  EXPECT_EQ(erlang_b_circuits(0.0, 0.01), 1u);
}

TEST(Generate, DirectGroupsCarryFirstChoiceAndTheTandemLayerTheRest) {
  const GenerateOptions o = small_options();
  const GeneratedNetwork net = generate_network(o);
  // Offered occupancy routed on direct groups plus what reaches the tandem
  // layer from each local (its local-tandem group carries both directions of
  // everything it does not carry directly) adds up to the inter-exchange load.
  double inter = 0.0;
  for (const auto& r : net.relations)
    if (r.from != r.to) inter += r.erlangs;
  const double reach = (1.0 - net.line_occupancy) * (1.0 - net.line_occupancy);
  const double occupancy = inter * reach * net.circuit_holding / o.mean_holding;
  double direct = 0.0, up_down = 0.0;
  for (const auto& g : net.groups) {
    if (g.a[0] == 'E' && g.b[0] == 'E') direct += g.offered_erlangs;
    if (g.a[0] == 'E' && g.b[0] == 'T') up_down += g.offered_erlangs;
  }
  // Each tandem-routed pair loads two local-tandem groups.
  EXPECT_GT(direct, 0.0);
  EXPECT_GT(up_down / 2.0, 0.0);
  EXPECT_LE(direct, occupancy * (1.0 + 1e-9));
  EXPECT_NEAR(direct + up_down / 2.0, occupancy, 0.011 * occupancy)
      << "overflow of direct groups (at most gos of their load) is carried twice";
}

TEST(Generate, TheSameSeedGivesTheSameFileAndAnotherSeedAnotherOne) {
  const GenerateOptions o = small_options();
  EXPECT_EQ(generate_network(o).yaml, generate_network(o).yaml);
  GenerateOptions other = o;
  other.seed = 12;
  EXPECT_NE(generate_network(other).yaml, generate_network(o).yaml);
}

TEST(Generate, BadOptionsAreRefusedByName) {
  GenerateOptions o = small_options();
  o.policy_mix = {{"telepathy", 1.0}};
  EXPECT_THROW(generate_network(o), std::invalid_argument);
  o = small_options();
  o.subscribers = 10;
  EXPECT_THROW(generate_network(o), std::invalid_argument);
  o = small_options();
  o.gos = 1.5;
  EXPECT_THROW(generate_network(o), std::invalid_argument);
  EXPECT_EQ(parse_policy_mix("none=0.6,callback=0.3,campon=0.1").size(), 3u);
  EXPECT_THROW(parse_policy_mix("none=0.6,callback"), std::invalid_argument);
  EXPECT_THROW(parse_policy_mix("none=x"), std::invalid_argument);
  EXPECT_THROW(parse_policy_mix("none=1,none=2"), std::invalid_argument);
}

TEST(Generate, TheGeneratedNetworkRunsNearItsGradeOfService) {
  GenerateOptions o = small_options();
  o.policy_mix = {{"none", 1.0}};  // lost calls cleared: what Erlang B sizes for
  o.duration = 1800;
  const GeneratedNetwork net = generate_network(o);
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(net.yaml, "generated.yaml", {}, registry);
  const analysis::RunResults r = run_scenario(s, registry, RunOptions{});
  // The load the generator sized each group for is the load the simulation
  // offers it: carried / (1 - blocking), pooled over the groups.
  double predicted = 0.0, measured = 0.0, weighted = 0.0;
  for (const auto& g : net.groups) {
    const auto carried = r.metrics.statistic("trunk_groups." + g.name + ".carried_erlangs");
    const auto blocking = r.metrics.statistic("trunk_groups." + g.name + ".call_blocking");
    ASSERT_TRUE(carried.mean.has_value()) << g.name;
    const double b = blocking.mean.value_or(0.0);
    predicted += g.offered_erlangs;
    measured += *carried.mean / (1.0 - b);
    weighted += b * g.offered_erlangs;
  }
  EXPECT_NEAR(measured / predicted, 1.0, 0.05);
  // Sized for 1% each (overflow traffic blocks a little more than Erlang B says).
  EXPECT_LT(weighted / predicted, 0.02);
}

// Each group's call blocking in a run of `net`'s scenario with `seed`, by group name.
std::map<std::string, double> simulated_blocking(const GeneratedNetwork& net, std::uint64_t seed,
                                                 std::size_t replications) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  Scenario s = load_scenario_text(net.yaml, "generated.yaml", {}, registry);
  s.seed = seed;
  s.replications = replications;
  RunOptions run;
  run.threads = 2;  // the results do not depend on the threads
  const analysis::RunResults r = run_scenario(s, registry, run);
  std::map<std::string, double> out;
  for (const auto& g : net.groups)
    out[g.name] =
        r.metrics.statistic("trunk_groups." + g.name + ".call_blocking").mean.value_or(0.0);
  return out;
}

GenerateOptions policy_heavy_options() {
  GenerateOptions o = small_options();
  o.name = "generated-pilot";
  o.policy_mix = {{"none", 0.3}, {"callback", 0.4}, {"campon", 0.3}};
  o.seed = 7;
  o.warmup = 300;
  o.duration = 1800;
  o.pilot_duration = 1800;
  return o;
}

TEST(GeneratePilot, GroupsMeetTheGradeOfServiceWithCompletionPolicies) {
  // Callback recalls and camp-on add load the first-attempt sizing does not
  // see; the pilot measures it and re-sizes. Checked by an independent run
  // (another seed than the pilots', 4 replications of 1800 s): every group
  // within 3 G. The pilot stops at 2 G on its own sample; the check run has
  // its own sampling noise, which with these policies is mostly from
  // replication to replication (the load of a group whose callers recall or
  // camp on feeds back on its blocking: one direct group of this network
  // blocks 4.9% in one replication and 0.8% in the next), so the mean of 4
  // replications is held to 3 G, not 2 G. Measured: worst 1.5% after the
  // pilot, 14% without it (by first attempts only).
  GenerateOptions o = policy_heavy_options();
  o.pilot_passes = 3;
  const GeneratedNetwork piloted = generate_network(o);
  EXPECT_GE(piloted.pilot_passes_run, 1u);
  const std::map<std::string, double> after = simulated_blocking(piloted, 99, 4);
  double worst = 0.0;
  for (const auto& g : piloted.groups) {
    SCOPED_TRACE(g.name);
    EXPECT_GE(g.circuits, g.first_circuits) << "the pilot only adds circuits";
    EXPECT_LE(analysis::erlang_b(g.circuits, g.offered_erlangs), o.gos)
        << "at least Erlang B for the load the pilot measured";
    EXPECT_LE(after.at(g.name), 3.0 * o.gos);
    worst = std::max(worst, after.at(g.name));
  }
  // Without the pilot the same network, run the same way, does not meet it:
  // the test would catch a pilot that changes nothing.
  o.pilot_passes = 0;
  const GeneratedNetwork first = generate_network(o);
  const std::map<std::string, double> before = simulated_blocking(first, 99, 4);
  double worst_before = 0.0;
  for (const auto& [name, b] : before) worst_before = std::max(worst_before, b);
  EXPECT_GT(worst_before, 3.0 * o.gos);
  EXPECT_LT(worst, worst_before);
}

TEST(GeneratePilot, IsDeterministicAndWritesWhatItDid) {
  GenerateOptions o = small_options();
  o.exchanges = 10;
  o.subscribers = 15'000;
  o.tandems = 2;
  o.partners = 3;
  o.policy_mix = {{"none", 0.5}, {"callback", 0.5}};
  o.pilot_passes = 2;
  o.pilot_duration = 600;
  const GeneratedNetwork a = generate_network(o);
  const GeneratedNetwork b = generate_network(o);
  EXPECT_EQ(a.yaml, b.yaml);
  EXPECT_NE(a.yaml.find("--pilot-passes 2 --pilot-duration 600 "), std::string::npos);
  EXPECT_NE(a.yaml.find("pilot passes run: "), std::string::npos);
  for (const auto& g : a.groups)
    EXPECT_NE(a.yaml.find("  - {name: " + g.name + ", "), std::string::npos);
  o.pilot_passes = 0;
  EXPECT_NE(generate_network(o).yaml.find("--no-pilot "), std::string::npos);
  o.pilot_passes = 2;
  o.pilot_duration = 0;
  EXPECT_THROW(generate_network(o), std::invalid_argument);
}

TEST(GenerateCommand, WritesAFileThatValidatesAndRefusesBadOptions) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("telsim-generate-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const auto out = dir / "net.yaml";
  const auto gen = e2e::run_program(
      TELSIM_EXE,
      {"generate", "--exchanges", "12", "--subscribers", "20000", "--tandems", "2", "--seed", "5",
       "--policy-mix", "none=0.6,callback=0.3,campon=0.1", "--out", out.string()},
      dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_NE(gen.out.find("traffic relations"), std::string::npos) << gen.out;
  const auto val = e2e::run_program(TELSIM_EXE, {"validate", out.string()}, dir);
  EXPECT_EQ(val.exit_code, 0) << val.err;
  // The same options again: the same bytes.
  const auto again = dir / "again.yaml";
  ASSERT_EQ(e2e::run_program(TELSIM_EXE,
                             {"generate", "--exchanges", "12", "--subscribers", "20000",
                              "--tandems", "2", "--seed", "5", "--policy-mix",
                              "none=0.6,callback=0.3,campon=0.1", "--out", again.string()},
                             dir)
                .exit_code,
            0);
  const auto slurp = [](const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  EXPECT_EQ(slurp(out), slurp(again));
  const auto bad = e2e::run_program(
      TELSIM_EXE, {"generate", "--policy-mix", "none=1,telepathy=1", "--out", out.string()}, dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("telepathy"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(GenerateCommand, TheBundledNationalScenarioIsWhatGenerateWrites) {
  // scenarios/library/national-busy-hour.yaml is `telsim generate` with the
  // options in its first comment line; regenerating gives the same bytes.
  // Regenerating runs the pilot simulations of the 1,000,000-subscriber
  // network (some 30-60 s in an optimised build); under AddressSanitizer that
  // is ten times longer, so this check belongs to the optimised suites.
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the national pilot is too slow under AddressSanitizer; checked in Release";
#endif
  const std::filesystem::path bundled =
      std::filesystem::path(TELSIM_SCENARIO_DIR) / "national-busy-hour.yaml";
  std::ifstream f(bundled, std::ios::binary);
  ASSERT_TRUE(f) << bundled;
  std::ostringstream ss;
  ss << f.rdbuf();
  GenerateOptions o;  // the defaults are the bundled scenario's options
  o.policy_mix = {{"none", 0.6}, {"callback", 0.3}, {"campon", 0.1}};
  o.seed = 2026;
  o.replications = national_replications;
  EXPECT_EQ(generate_network(o).yaml, ss.str());
}

}  // namespace
}  // namespace telsim::studies
