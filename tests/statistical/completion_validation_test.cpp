// Completion policies against queueing theory:
//   camp-on at a hunt group, unlimited patience      -> Erlang C (M/M/c)
//   camp-on at a hunt group, exponential patience    -> Erlang A (M/M/c+M)
//   redial on congestion, exponential delay, p = 1   -> the M/M/c retrial queue
#include <fmt/format.h>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/erlang_a.hpp"
#include "telsim/analysis/retrial.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

// Callers reach a hunt group of 10 lines on the same exchange: no trunks, so
// the hunt group is the only server. Requests are unlimited per caller so
// that the population's single address never meets max_per_address.
std::string hunt_group(const std::string& patience) {
  return fmt::format(R"(telsim: 1
name: hunt-group
seed: 31
replications: 10
warmup: 500
duration: 50000
exchanges:
  - name: X
    completion: {{max_per_address: unlimited}}
subscribers:
  - {{name: callers, exchange: X, count: 1, lines: unlimited}}
  - {{name: agents, exchange: X, count: 1, lines: 10}}
traffic:
  - name: calls
    from: callers
    to: agents
    arrivals: {{poisson: {{rate: 0.8}}}}
    holding: {{exponential: {{mean: 10}}}}
    completion: wait
policies:
  wait: {{type: campon, when: [busy], patience: {}}}
)",
                     patience);
}

TEST(CamponValidation, UnlimitedPatienceIsErlangC) {
  const analysis::RunResults r = run_text(hunt_group("unlimited"));
  const analysis::ErlangC c = analysis::erlang_c(10, 8.0);
  EXPECT_TRUE(agrees(r, "traffic.calls.first_attempt_failure.busy", c.p_wait));
  // Those who wait, wait Exp(c/h - lambda): mean h / (c - A) = 5 s.
  EXPECT_TRUE(agrees(r, "traffic.calls.completion_latency.mean", 10.0 / (10.0 - 8.0)));
  EXPECT_TRUE(agrees(r, "traffic.calls.outcome.completed", c.p_wait));
  // Power: distinguishable from a group of 11 lines.
  EXPECT_GT(c.p_wait - analysis::erlang_c(11, 8.0).p_wait,
            3.0 * half_width(r, "traffic.calls.first_attempt_failure.busy"));
}

TEST(CamponValidation, ExponentialPatienceIsErlangA) {
  const analysis::RunResults r = run_text(hunt_group("{exponential: {mean: 20}}"));
  const analysis::ErlangA a = analysis::erlang_a(10, 0.8, 10.0, 20.0);
  EXPECT_TRUE(agrees(r, "traffic.calls.first_attempt_failure.busy", a.p_wait));
  EXPECT_TRUE(agrees(r, "traffic.calls.outcome.abandoned", a.p_abandon));
  // Power: abandonment visibly lowers the waiting probability below Erlang C.
  EXPECT_GT(analysis::erlang_c(10, 8.0).p_wait - a.p_wait,
            3.0 * half_width(r, "traffic.calls.first_attempt_failure.busy"));
}

constexpr const char* retrial_scenario = R"(telsim: 1
name: retrial
seed: 17
replications: 10
warmup: 1000
duration: 60000
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: callers, exchange: A, count: 1, lines: unlimited}
  - {name: called, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 10}
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - name: calls
    from: callers
    to: called
    arrivals: {poisson: {rate: 0.7}}
    holding: {exponential: {mean: 10}}
    completion: again
policies:
  again: {type: redial, when: [congestion], delay: {exponential: {mean: 30}}, persistence: 1}
)";

TEST(RedialValidation, ExponentialRedialIsTheRetrialQueue) {
  const analysis::RunResults r = run_text(retrial_scenario);
  const analysis::Retrial q = analysis::retrial_queue(10, 0.7, 10.0, 30.0);
  EXPECT_TRUE(agrees(r, "traffic.calls.first_attempt_failure.congestion", q.p_block));
  EXPECT_TRUE(agrees(r, "traffic.calls.completion_latency.mean", q.mean_latency));
  // Persistence 1: every call gets through in the end.
  EXPECT_GT(r.metrics.statistic("traffic.calls.completion_ratio").mean.value_or(0), 0.999);
  // Power: the orbit's extra load makes first-attempt blocking exceed
  // Erlang B at the same offered load by more than the interval.
  EXPECT_GT(q.p_block - analysis::erlang_b(10, 7.0),
            3.0 * half_width(r, "traffic.calls.first_attempt_failure.congestion"));
}

}  // namespace
}  // namespace telsim::validation
