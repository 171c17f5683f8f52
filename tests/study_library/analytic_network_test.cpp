// studies::analytic_network in-process: the figures in the documented order, and Erlang B
// exactly where the network is one group offered Poisson traffic.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "support.hpp"
#include "telsim/analysis/erlang.hpp"
#include "telsim/studies/analytic_network.hpp"
#include "telsim/studies/session.hpp"

namespace telsim::study_library_test {
namespace {

std::vector<std::string> names_of(const std::vector<studies::AnalyticFigure>& figures) {
  std::vector<std::string> names;
  for (const auto& f : figures) names.push_back(f.name);
  return names;
}

std::map<std::string, double> values_of(const std::vector<studies::AnalyticFigure>& figures) {
  std::map<std::string, double> values;
  for (const auto& f : figures) values[f.name] = f.value;
  return values;
}

TEST(AnalyticNetwork, MetroFiguresComeInTheDocumentedOrder) {
  studies::SessionOptions options;
  options.file = library("metro.yaml");
  studies::Session session(options);
  const auto figures = studies::analytic_network(session.base());
  // Groups in the scenario's order (the reserved ones with their overflow figure), then the
  // relations between two exchanges (not the local one), then every population with lines.
  EXPECT_EQ(names_of(figures),
            (std::vector<std::string>{
                "trunk_groups.AB.blocking",          "trunk_groups.AB.time_congestion",
                "trunk_groups.AB.offered_erlangs",   "trunk_groups.AB.carried_erlangs",
                "trunk_groups.AT.blocking",          "trunk_groups.AT.time_congestion",
                "trunk_groups.AT.overflow_blocking", "trunk_groups.AT.offered_erlangs",
                "trunk_groups.AT.carried_erlangs",   "trunk_groups.AT.overflow_offered_erlangs",
                "trunk_groups.AT.overflow_variance", "trunk_groups.AT.overflow_peakedness",
                "trunk_groups.TB.blocking",          "trunk_groups.TB.time_congestion",
                "trunk_groups.TB.overflow_blocking", "trunk_groups.TB.offered_erlangs",
                "trunk_groups.TB.carried_erlangs",   "trunk_groups.TB.overflow_offered_erlangs",
                "trunk_groups.TB.overflow_variance", "trunk_groups.TB.overflow_peakedness",
                "traffic.a-to-b.offered_erlangs",    "traffic.a-to-b.loss",
                "traffic.b-to-a.offered_erlangs",    "traffic.b-to-a.loss",
                "traffic.a-to-cc.offered_erlangs",   "traffic.a-to-cc.loss",
                "subscribers.homes-a.busy",          "subscribers.homes-b.busy",
                "subscribers.callcentre.busy",
            }));

  const auto v = values_of(figures);
  for (const char* g : {"AB", "AT", "TB"}) {
    const std::string p = std::string("trunk_groups.") + g + ".";
    EXPECT_GE(v.at(p + "blocking"), 0.0) << g;
    EXPECT_LT(v.at(p + "blocking"), 1.0) << g;
    EXPECT_GT(v.at(p + "carried_erlangs"), 0.0) << g;
    EXPECT_LT(v.at(p + "carried_erlangs"), v.at(p + "offered_erlangs")) << g;
  }
  // AT and TB see overflow only, which may never take their 2 reserved circuits: all 14 are
  // never busy (time congestion 0), while overflow is refused, and often: it is peaked.
  EXPECT_EQ(v.at("trunk_groups.AT.time_congestion"), 0.0);
  EXPECT_GT(v.at("trunk_groups.AT.overflow_peakedness"), 5.0);
  EXPECT_GT(v.at("trunk_groups.AT.overflow_blocking"), 0.3);
  EXPECT_GT(v.at("trunk_groups.TB.overflow_blocking"), 0.3);
  // The metro.yaml comment's figures: about 3.3% on AB's 265 circuits.
  EXPECT_NEAR(v.at("trunk_groups.AB.blocking"), 0.033, 0.005);
  // a-to-b and a-to-cc take the same routes A-B: the same end-to-end loss, and less than
  // AB's blocking since the overflow path carries some of it.
  EXPECT_NEAR(v.at("traffic.a-to-cc.loss"), v.at("traffic.a-to-b.loss"), 1e-12);
  EXPECT_LT(v.at("traffic.a-to-b.loss"), v.at("trunk_groups.AB.blocking"));
  EXPECT_GT(v.at("traffic.a-to-b.loss"), 0.0);
  // 27 Erlang of first attempts for the call centre's 30 lines, thinned by the trunks' loss
  // and by callers that are busy themselves (a few percent each).
  EXPECT_LT(v.at("subscribers.callcentre.busy"), analysis::erlang_b(30, 27.0));
  EXPECT_GT(v.at("subscribers.callcentre.busy"), analysis::erlang_b(30, 0.9 * 27.0));
  for (const char* p : {"homes-a", "homes-b"}) {
    const double busy = v.at(std::string("subscribers.") + p + ".busy");
    EXPECT_GT(busy, 0.0) << p;
    EXPECT_LT(busy, 0.5) << p;
  }
}

TEST(AnalyticNetwork, OneGroupOfferedPoissonTrafficIsErlangB) {
  studies::SessionOptions options;
  options.file = library("erlang-b.yaml");
  studies::Session session(options);
  // 0.125 calls/s x 120 s = 15 Erlang, every call answered at once: the group sees 15 Erlang.
  for (const int circuits : {20, 10, 25, 40}) {
    const scenarios::Scenario s =
        session.variant({"trunk_groups.AB.circuits=" + std::to_string(circuits)});
    const auto figures = studies::analytic_network(s);
    EXPECT_EQ(names_of(figures), (std::vector<std::string>{
                                     "trunk_groups.AB.blocking",
                                     "trunk_groups.AB.time_congestion",
                                     "trunk_groups.AB.offered_erlangs",
                                     "trunk_groups.AB.carried_erlangs",
                                     "traffic.callers-to-callees.offered_erlangs",
                                     "traffic.callers-to-callees.loss",
                                 }))
        << "no reserve, no population with lines";
    const auto v = values_of(figures);
    const double b = analysis::erlang_b(circuits, 15.0);
    EXPECT_NEAR(v.at("trunk_groups.AB.blocking"), b, 1e-9) << circuits;
    EXPECT_NEAR(v.at("trunk_groups.AB.offered_erlangs"), 15.0, 1e-9) << circuits;
    EXPECT_NEAR(v.at("trunk_groups.AB.carried_erlangs"), 15.0 * (1 - b), 1e-9) << circuits;
    EXPECT_NEAR(v.at("traffic.callers-to-callees.offered_erlangs"), 15.0, 1e-9) << circuits;
    EXPECT_NEAR(v.at("traffic.callers-to-callees.loss"), b, 1e-9) << circuits;
  }
  // The rate, not only the circuits, reaches the model: 0.25 calls/s is 30 Erlang.
  const auto doubled = values_of(studies::analytic_network(
      session.variant({"traffic.callers-to-callees.arrivals.poisson.rate=0.25"})));
  EXPECT_NEAR(doubled.at("trunk_groups.AB.blocking"), analysis::erlang_b(20, 30.0), 1e-9);
}

// Issue 12: the tandem groups of metro.yaml, fed by peaked overflow, used to come out at
// blocking 0 (and end-to-end losses 100-1000 times too low). Against the simulation's
// means, measured once (200 replications, seed 42, `tools/analytic-vs-simulation.py
// scenarios/library/metro.yaml --replications 200`): AB 0.03274 +- 0.0012, AT 0.2825 +-
// 0.011, TB 0.1898 +- 0.0081; first-attempt congestion a-to-b 0.01301 +- 0.0009, b-to-a
// 0.01298 +- 0.0008, a-to-cc 0.01349 +- 0.0011. Each estimate must lie within a factor 1.5.
TEST(AnalyticNetwork, MetroTandemGroupsAgreeWithTheSimulation) {
  studies::SessionOptions options;
  options.file = library("metro.yaml");
  studies::Session session(options);
  const auto figures = studies::analytic_network(session.base());
  const auto v = values_of(figures);
  const std::map<std::string, double> simulated{
      {"trunk_groups.AB.blocking", 0.03274}, {"trunk_groups.AT.blocking", 0.2825},
      {"trunk_groups.TB.blocking", 0.1898},  {"traffic.a-to-b.loss", 0.01301},
      {"traffic.b-to-a.loss", 0.01298},      {"traffic.a-to-cc.loss", 0.01349}};
  for (const auto& [name, s] : simulated) {
    const double a = v.at(name);
    EXPECT_LT(std::max(a / s, s / a), 1.5) << name << ": analytic " << a << ", simulated " << s;
  }
  // The overflow path is flagged where the approximation is known to be weak, and only there.
  for (const auto& f : figures) {
    const bool overflow_path = f.name.starts_with("trunk_groups.AT.blocking") ||
                               f.name.starts_with("trunk_groups.TB.blocking") ||
                               f.name.ends_with(".loss");
    if (overflow_path) {
      EXPECT_TRUE(f.remark.starts_with("weak: ")) << f.name << ": '" << f.remark << "'";
    } else {
      EXPECT_EQ(f.remark, "") << f.name;
    }
  }
}

}  // namespace
}  // namespace telsim::study_library_test
