// Random-stream independence (STYLE: one stream per named purpose, derived
// from (seed, replication, name); models/src/network.cpp stream_name): two
// relations draw different arrival sequences, and changing one relation (its
// rate, its policy, its place in the list) or adding another leaves a
// relation's arrivals, callees and holding times exactly as they were. That is
// what makes `telsim compare` a comparison with common random numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "network_fixture.hpp"

namespace telsim::models {
namespace {

using testing::Log;
using testing::redial_policy;
using testing::relation;

constexpr sim::Tick s = sim::ticks_per_second;

/// One call of a relation as the log saw it: first attempt, callee, end.
using Draw = std::tuple<sim::Tick, AddressId, sim::Tick>;

/// Callers and callees with unlimited lines (no caller ever busy, no call
/// refused), in one exchange (no trunk groups): a relation's calls depend on
/// its own draws only. "a" calls "b", "c" calls "d"; "e" calls "f", whose one
/// line "g" holds for the whole run so that every call of e-to-f fails (busy).
NetworkSpec two_relations() {
  NetworkSpec n;
  n.exchanges = {{"X", {}}};
  n.populations = {{"a", 0, 5, std::nullopt}, {"b", 0, 20, std::nullopt},
                   {"c", 0, 5, std::nullopt}, {"d", 0, 20, std::nullopt},
                   {"e", 0, 5, std::nullopt}, {"f", 0, 1, 1},
                   {"g", 0, 1, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 2.0, sim::Distribution::exponential(3.0)),
                 relation("c-to-d", 2, 3, 2.0, sim::Distribution::exponential(3.0))};
  return n;
}

/// The measured calls of relation `name` in a run of `spec` (seed 11,
/// replication 0; the run goes on after the horizon until every call ends,
/// and the calls it starts meanwhile are not measured).
std::vector<Draw> draws_of(const NetworkSpec& spec, const std::string& name) {
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(spec, registry, 11, 0);
  Log log(&net);
  net.set_observer(&log);
  EXPECT_EQ(net.run(0, 500 * s, {.max_events = 10'000'000, .max_pending = 1'000'000}),
            sim::RunStatus::done);
  std::vector<Draw> draws;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const CallSummary& c = log.calls[i];
    if (!c.measured || spec.relations[c.relation].name != name) continue;
    draws.emplace_back(c.first_attempt_time, c.callee, log.end_times[i]);
  }
  // Calls end out of order; compare them in order of arrival.
  std::sort(draws.begin(), draws.end());
  return draws;
}

/// The first-attempt times of `draws` before `until` (a call still going on at
/// the horizon is not in the log, and a policy makes calls last longer).
std::vector<sim::Tick> arrival_times(const std::vector<Draw>& draws, sim::Tick until = sim::never) {
  std::vector<sim::Tick> times;
  for (const Draw& d : draws) {
    if (std::get<0>(d) < until) times.push_back(std::get<0>(d));
  }
  return times;
}

TEST(RandomStreams, TwoRelationsDrawDifferentArrivals) {
  const NetworkSpec n = two_relations();
  const std::vector<Draw> ab = draws_of(n, "a-to-b");
  const std::vector<Draw> cd = draws_of(n, "c-to-d");
  ASSERT_GT(ab.size(), 800u);
  ASSERT_GT(cd.size(), 800u);
  // Same rate, same holding, same seed: only the stream names differ.
  const std::vector<sim::Tick> cd_times = arrival_times(cd);
  EXPECT_NE(arrival_times(ab), cd_times);
  std::size_t shared = 0;
  for (const Draw& d : ab) {
    shared += std::binary_search(cd_times.begin(), cd_times.end(), std::get<0>(d)) ? 1 : 0;
  }
  EXPECT_LT(shared, 5u) << "not the same sequence shifted or interleaved either";
}

TEST(RandomStreams, ChangingOneRelationLeavesTheOthersDrawsAlone) {
  const NetworkSpec base = two_relations();
  const std::vector<Draw> reference = draws_of(base, "c-to-d");
  ASSERT_GT(reference.size(), 800u);

  NetworkSpec faster = base;  // its rate
  faster.relations[0].arrivals.rate = 7.0;
  EXPECT_NE(draws_of(faster, "a-to-b"), draws_of(base, "a-to-b"));
  EXPECT_EQ(draws_of(faster, "c-to-d"), reference) << "rate of a-to-b changed";

  NetworkSpec longer = base;  // its holding times
  longer.relations[0].holding = sim::Distribution::deterministic(40.0);
  EXPECT_EQ(draws_of(longer, "c-to-d"), reference) << "holding of a-to-b changed";

  NetworkSpec added = base;  // another relation, whose calls all fail and redial
  added.policies = {redial_policy("again", 2.0, 1.0, 5)};
  added.relations.push_back(
      relation("g-to-f", 6, 5, 10.0, sim::Distribution::deterministic(600.0)));
  added.relations.push_back(relation("e-to-f", 4, 5, 3.0, sim::Distribution::exponential(3.0)));
  added.relations.back().policy = 0;
  const std::vector<Draw> failing = draws_of(added, "e-to-f");
  ASSERT_GT(failing.size(), 1000u);
  EXPECT_EQ(draws_of(added, "c-to-d"), reference) << "relations added";

  NetworkSpec redials = added;  // a policy given to a relation
  redials.relations[0].policy = 0;
  EXPECT_EQ(draws_of(redials, "c-to-d"), reference) << "policy of a-to-b changed";
  NetworkSpec no_policy = added;  // a policy taken away
  no_policy.relations.back().policy.reset();
  EXPECT_EQ(draws_of(no_policy, "c-to-d"), reference) << "policy of e-to-f removed";
  EXPECT_EQ(arrival_times(draws_of(no_policy, "e-to-f"), 450 * s), arrival_times(failing, 450 * s))
      << "a relation's own arrivals do not depend on its policy either";

  NetworkSpec reordered = base;  // its place in the list: streams go by name
  std::swap(reordered.relations[0], reordered.relations[1]);
  EXPECT_EQ(draws_of(reordered, "c-to-d"), reference) << "relations reordered";
}

}  // namespace
}  // namespace telsim::models
