// studies::run_comparison and comparison_json in-process: common random numbers, paired
// differences, the errors before anything runs, progress labels and the stop flag.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"
#include "telsim/analysis/erlang.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/compare.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::study_library_test {
namespace {

using studies::StudyError;

// 10 and 14 circuits for 15 Erlang: B = 0.411 and 0.220.
class CompareTwoSizes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    studies::Session session(quick_erlang_b());
    studies::LocalWorkers workers;
    const std::atomic<int> stop{0};
    progress_ = new std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>;
    comparison_ = new studies::Comparison(studies::run_comparison(
        session, "trunk_groups.AB.circuits=10,14", workers, stop,
        [](const std::string& label, std::size_t done, std::size_t planned) {
          (*progress_)[label].emplace_back(done, planned);
        }));
  }
  static void TearDownTestSuite() {
    delete comparison_;
    comparison_ = nullptr;
    delete progress_;
    progress_ = nullptr;
  }
  // A study that threw in SetUpTestSuite has been reported there; its tests have nothing
  // to look at.
  void SetUp() override { ASSERT_NE(comparison_, nullptr) << "the comparison did not finish"; }
  static studies::Comparison* comparison_;
  static std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>* progress_;
};
studies::Comparison* CompareTwoSizes::comparison_ = nullptr;
std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>*
    CompareTwoSizes::progress_ = nullptr;

TEST_F(CompareTwoSizes, RunsOneAlternativePerValueWithTheSameSeed) {
  const studies::Comparison& c = *comparison_;
  EXPECT_EQ(c.vary.key, "trunk_groups.AB.circuits");
  EXPECT_EQ(c.vary.values, (std::vector<std::string>{"10", "14"}));
  ASSERT_EQ(c.alternatives.size(), 2u);
  EXPECT_FALSE(c.seeds_differ);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& alt = c.alternatives[i];
    EXPECT_EQ(alt.value, c.vary.values[i]);
    EXPECT_EQ(alt.results.seed, 1u);
    EXPECT_EQ(alt.results.replications, 10u);
    EXPECT_EQ(alt.results.scenario.at("trunk_groups").at(0).at("circuits"), i == 0 ? 10 : 14);
    EXPECT_EQ(alt.results.scenario.at("duration"), 36000);
    EXPECT_EQ(alt.results.run.command_line, "telsim study-library-test");
  }
  // Common random numbers: both alternatives were offered the same calls.
  const std::string calls = "traffic.callers-to-callees.calls";
  EXPECT_EQ(c.alternatives[0].results.metrics.values(calls),
            c.alternatives[1].results.metrics.values(calls));
}

TEST_F(CompareTwoSizes, DifferencesArePairedAndMoreCircuitsBlockLess) {
  const nlohmann::ordered_json doc = studies::comparison_json(*comparison_);
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"telsim", "vary", "alternatives", "differences"}));
  EXPECT_EQ(doc.at("telsim"), 1);
  EXPECT_EQ(doc.at("vary").at("key"), "trunk_groups.AB.circuits");
  ASSERT_EQ(doc.at("alternatives").size(), 2u);
  EXPECT_EQ(doc.at("alternatives").at(1).at("scenario").at("trunk_groups").at(0).at("circuits"),
            14);
  ASSERT_EQ(doc.at("differences").size(), 1u);
  const auto& diff = doc.at("differences").at(0);
  EXPECT_EQ(diff.at("value"), "14");
  const auto& d = diff.at("metrics").at("trunk_groups.AB.call_blocking");
  const double mean = d.at("mean").get<double>();
  EXPECT_LT(mean, 0.0);
  EXPECT_GT(std::abs(mean), d.at("ci95").get<double>()) << "significant";
  EXPECT_NEAR(mean, analysis::erlang_b(14, 15.0) - analysis::erlang_b(10, 15.0), 0.02);

  // Each value is the replication's difference, alternative minus first.
  const auto& a =
      comparison_->alternatives[0].results.metrics.values("trunk_groups.AB.call_blocking");
  const auto& b =
      comparison_->alternatives[1].results.metrics.values("trunk_groups.AB.call_blocking");
  ASSERT_EQ(d.at("values").size(), 10u);
  ASSERT_EQ(a.size(), 10u);
  for (std::size_t r = 0; r < 10; ++r) {
    ASSERT_TRUE(a[r] && b[r]);
    EXPECT_NEAR(d.at("values").at(r).get<double>(), *b[r] - *a[r], 1e-12) << r;
    EXPECT_LT(*b[r], *a[r]) << "replication " << r << " sees the same calls, with more circuits";
  }
  // No offered-traffic difference at all.
  const auto& calls = diff.at("metrics").at("traffic.callers-to-callees.calls");
  EXPECT_EQ(calls.at("mean"), 0.0);
  EXPECT_EQ(calls.at("ci95"), 0.0);
}

TEST_F(CompareTwoSizes, ProgressFollowsEachAlternativeByItsLabel) {
  std::vector<std::string> labels;
  for (const auto& [label, calls] : *progress_) labels.push_back(label);
  EXPECT_EQ(labels, (std::vector<std::string>{"trunk_groups.AB.circuits=10",
                                              "trunk_groups.AB.circuits=14"}));
  for (const auto& [label, calls] : *progress_) {
    ASSERT_FALSE(calls.empty()) << label;
    EXPECT_EQ(calls.back(), (std::pair<std::size_t, std::size_t>{10, 10})) << label;
  }
}

TEST(Compare, ThreeAlternativesGiveADifferenceForEveryPair) {
  studies::Session session(quick_erlang_b({"replications=3", "duration=3600"}));
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  const studies::Comparison c =
      studies::run_comparison(session, "trunk_groups.AB.circuits=12,20,16", workers, stop);
  ASSERT_EQ(c.alternatives.size(), 3u);
  const nlohmann::ordered_json doc = studies::comparison_json(c);
  const auto& differences = doc.at("differences");
  ASSERT_EQ(differences.size(), 3u);
  // Those to the first alternative first, in the order they had when they were the only
  // ones, still with their `value`; then 16 against 20.
  const std::pair<std::size_t, std::size_t> pairs[] = {{0, 1}, {0, 2}, {1, 2}};
  const std::string path = "trunk_groups.AB.call_blocking";
  for (std::size_t k = 0; k < 3; ++k) {
    const auto [a, b] = pairs[k];
    const auto& entry = differences.at(k);
    EXPECT_EQ(entry.at("a"), c.vary.values[a]) << k;
    EXPECT_EQ(entry.at("b"), c.vary.values[b]) << k;
    if (a == 0) {
      EXPECT_EQ(entry.at("value"), c.vary.values[b]) << k;
    } else {
      EXPECT_FALSE(entry.contains("value")) << k;
    }
    const auto& va = c.alternatives[a].results.metrics.values(path);
    const auto& vb = c.alternatives[b].results.metrics.values(path);
    const auto& d = entry.at("metrics").at(path).at("values");
    for (std::size_t r = 0; r < 3; ++r) {
      EXPECT_NEAR(d.at(r).get<double>(), *vb[r] - *va[r], 1e-12) << k << " " << r;
    }
  }
}

TEST(Compare, PairsComeFirstAgainstTheFirstAlternative) {
  using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(studies::alternative_pairs(0), Pairs{});
  EXPECT_EQ(studies::alternative_pairs(1), Pairs{});
  EXPECT_EQ(studies::alternative_pairs(2), (Pairs{{0, 1}}));
  EXPECT_EQ(studies::alternative_pairs(4), (Pairs{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}));
}

TEST(Compare, AVerdictNeedsAnIntervalThatExcludesZero) {
  using analysis::Better;
  using studies::Verdict;
  const auto stat = [](std::optional<double> mean, std::optional<double> ci95) {
    analysis::Statistic s;
    s.mean = mean;
    s.ci95 = ci95;
    s.n = 2;
    return s;
  };
  // b - a = -0.2 ± 0.01: b is lower.
  EXPECT_EQ(studies::verdict(stat(-0.2, 0.01), Better::lower), Verdict::b_better);
  EXPECT_EQ(studies::verdict(stat(-0.2, 0.01), Better::higher), Verdict::b_worse);
  EXPECT_EQ(studies::verdict(stat(0.2, 0.01), Better::lower), Verdict::b_worse);
  EXPECT_EQ(studies::verdict(stat(0.2, 0.01), Better::higher), Verdict::b_better);
  EXPECT_EQ(studies::verdict(stat(0.2, 0.01), Better::neither), Verdict::significant);
  // A smaller mean is not enough.
  EXPECT_EQ(studies::verdict(stat(-0.2, 0.3), Better::lower), Verdict::no_significant_difference);
  EXPECT_EQ(studies::verdict(stat(0.0, 0.0), Better::lower), Verdict::no_significant_difference);
  EXPECT_EQ(studies::verdict(stat(-0.2, std::nullopt), Better::lower),
            Verdict::no_significant_difference);
  EXPECT_EQ(studies::verdict(stat(std::nullopt, std::nullopt), Better::lower),
            Verdict::no_significant_difference);
}

// Alternatives made by hand: per-replication values of one metric each.
studies::Comparison made_comparison(const std::vector<std::vector<double>>& values,
                                    const std::string& path) {
  studies::Comparison c;
  for (std::size_t i = 0; i < values.size(); ++i) {
    studies::Alternative alternative;
    alternative.value = fmt::format("v{}", i);  // not "v" + to_string: GCC 12 -O3 misreads it
    for (const double v : values[i]) alternative.results.metrics.add_replication({{{path, v}}});
    c.alternatives.push_back(std::move(alternative));
  }
  return c;
}

TEST(Compare, ABestOnlyWhereItIsSignificantlyBetterThanEveryOther) {
  const std::string path = "trunk_groups.AB.call_blocking";  // lower is better
  // v1 is below v0 and v2 in every replication by about the same: significantly best.
  const auto clear =
      made_comparison({{0.30, 0.32, 0.31}, {0.10, 0.11, 0.12}, {0.20, 0.21, 0.20}}, path);
  EXPECT_EQ(studies::significantly_best(clear, path), std::optional<std::size_t>(1));
  const auto differences = studies::pair_differences(clear, path);
  ASSERT_EQ(differences.size(), 3u);
  EXPECT_EQ(differences[0].verdict, studies::Verdict::b_better);  // v1 - v0
  EXPECT_EQ(differences[1].verdict, studies::Verdict::b_better);  // v2 - v0
  EXPECT_EQ(differences[2].verdict, studies::Verdict::b_worse);   // v2 - v1
  // v1 has the lowest mean, but not significantly below v2's: no best.
  const auto close =
      made_comparison({{0.30, 0.32, 0.31}, {0.10, 0.11, 0.12}, {0.08, 0.15, 0.11}}, path);
  EXPECT_EQ(studies::pair_differences(close, path)[2].verdict,
            studies::Verdict::no_significant_difference);
  EXPECT_EQ(studies::significantly_best(close, path), std::nullopt);
  // Identical alternatives: no best.
  const auto same = made_comparison({{0.1, 0.2}, {0.1, 0.2}}, path);
  EXPECT_EQ(studies::pair_differences(same, path)[0].verdict,
            studies::Verdict::no_significant_difference);
  EXPECT_EQ(studies::significantly_best(same, path), std::nullopt);
  // A metric with no better direction has no best.
  const std::string offered = "traffic.x.offered_erlangs";
  const auto neither = made_comparison({{1.0, 1.1}, {2.0, 2.1}}, offered);
  EXPECT_EQ(studies::pair_differences(neither, offered)[0].verdict, studies::Verdict::significant);
  EXPECT_EQ(studies::significantly_best(neither, offered), std::nullopt);
}

TEST(Compare, ASeedThatVariesIsReported) {
  studies::Session session(quick_erlang_b({"replications=2", "duration=600"}));
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  const studies::Comparison c = studies::run_comparison(session, "seed=1,2", workers, stop);
  EXPECT_TRUE(c.seeds_differ);
  EXPECT_EQ(c.alternatives.at(1).results.seed, 2u);
}

TEST(Compare, FewerThanTwoValuesOrABadVaryRunsNothing) {
  studies::Session session(quick_erlang_b());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  bool ran = false;
  const auto progress = [&](const std::string&, std::size_t, std::size_t) { ran = true; };

  const auto [code, message] = study_error([&] {
    (void)studies::run_comparison(session, "trunk_groups.AB.circuits=10", workers, stop, progress);
  });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  EXPECT_NE(message.find("give at least 2 values"), std::string::npos) << message;

  for (const std::string vary :
       {"trunk_groups.AB.circuits", "=10,20", "trunk_groups.AB.circuits=10,,20",
        "routes.A-B.via=[[AB],[[AB]]"}) {
    const auto [c, m] =
        study_error([&] { (void)studies::run_comparison(session, vary, workers, stop, progress); });
    EXPECT_EQ(c, studies::exit_bad_input) << vary << ": " << m;
    EXPECT_EQ(m.rfind("telsim: error: --vary ", 0), 0u) << vary << ": " << m;
  }

  // A value the loader refuses: its error line, at the value in KEY=VALUE, before any
  // alternative runs.
  const auto [c, m] = study_error([&] {
    (void)studies::run_comparison(session, "trunk_groups.AB.circuits=10,lots", workers, stop,
                                  progress);
  });
  EXPECT_EQ(c, studies::exit_bad_input) << m;
  EXPECT_EQ(m.rfind("--set:1:26: error: ", 0), 0u) << m;
  EXPECT_NE(m.find("got 'lots'"), std::string::npos) << m;
  EXPECT_FALSE(ran);
}

TEST(Compare, AFailedRunIsExit3NamingTheFile) {
  studies::Session session(quick_erlang_b({"replications=2", "duration=600"}));
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  const auto [code, message] = study_error([&] {
    (void)studies::run_comparison(session, "limits={max_events: 100000000},{max_events: 100}",
                                  workers, stop);
  });
  EXPECT_EQ(code, studies::exit_failed) << message;
  EXPECT_EQ(message.rfind("telsim: error: " + library("erlang-b.yaml").string() + ": ", 0), 0u)
      << message;
}

TEST(Compare, AStopFlagThrowsInterrupted) {
  studies::Session session(quick_erlang_b());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{2};
  try {
    (void)studies::run_comparison(session, "trunk_groups.AB.circuits=10,14", workers, stop);
    FAIL() << "no interruption";
  } catch (const scenarios::Interrupted& e) {
    EXPECT_EQ(e.signal(), 2);
  }
}

}  // namespace
}  // namespace telsim::study_library_test
