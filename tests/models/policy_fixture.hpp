#pragma once
// Tiny deterministic networks for the completion-policy tests, and an
// observer that keeps everything announced, request events included.
//
// Arrivals are placed exactly: a relation built by `call_at(..., T, ...)` has
// scripted arrivals (SPEC §2 `arrivals: {at: [T]}`): one first attempt at
// exactly T.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "telsim/models/network.hpp"

namespace telsim::models::policy_testing {

inline constexpr sim::Tick s = sim::ticks_per_second;

struct RequestRecord {
  PolicyId policy;
  RequestEvent event;
  bool measured;
  sim::Tick now;
};

struct CircuitChange {
  TrunkGroupId group;
  std::uint32_t busy;
  sim::Tick now;
};

struct CircuitRequest {
  TrunkGroupId group;
  bool granted;
  sim::Tick now;
};

/// Keeps every announcement; `probe` (if set) runs at each request event, so
/// a test can look at the network's lines and circuits at that moment.
class PolicyLog final : public NetworkObserver {
 public:
  void circuit_requested(TrunkGroupId g, bool granted, sim::Tick now) override {
    circuit_requests.push_back({g, granted, now});
  }
  void circuits_changed(TrunkGroupId g, std::uint32_t busy, sim::Tick now) override {
    changes.push_back({g, busy, now});
  }
  void overflowed(TrunkGroupId g, sim::Tick) override { overflows.push_back(g); }
  void caller_busy(RelationId r, bool, sim::Tick) override { busy_callers.push_back(r); }
  void call_ended(const CallSummary& call, sim::Tick now) override {
    calls.push_back(call);
    end_times.push_back(now);
  }
  void request_event(PolicyId policy, RequestEvent event, bool measured, sim::Tick now) override {
    requests.push_back({policy, event, measured, now});
    if (probe) probe(requests.back());
  }

  /// Indices into `calls` of the calls of relation `r`, in the order they ended.
  std::vector<std::size_t> of(RelationId r) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].relation == r) out.push_back(i);
    }
    return out;
  }
  /// Indices of the calls of relation `r` that satisfy `keep`.
  template <class Pred>
  std::vector<std::size_t> of(RelationId r, Pred keep) const {
    std::vector<std::size_t> out;
    for (const std::size_t i : of(r)) {
      if (keep(calls[i])) out.push_back(i);
    }
    return out;
  }
  /// Arrivals of relation `r` that found their caller busy.
  std::size_t busy_callers_of(RelationId r) const {
    return static_cast<std::size_t>(std::count(busy_callers.begin(), busy_callers.end(), r));
  }
  /// Times of request events `e` of policy `p`, in order.
  std::vector<sim::Tick> times(PolicyId p, RequestEvent e) const {
    std::vector<sim::Tick> out;
    for (const auto& r : requests) {
      if (r.policy == p && r.event == e) out.push_back(r.now);
    }
    return out;
  }
  std::size_t count(PolicyId p, RequestEvent e) const { return times(p, e).size(); }
  /// Request events of policy `p` other than refusals, in order.
  std::vector<RequestEvent> life(PolicyId p) const {
    std::vector<RequestEvent> out;
    for (const auto& r : requests) {
      if (r.policy == p && !is_refusal(r.event)) out.push_back(r.event);
    }
    return out;
  }
  /// Refusals of policy `p`, whatever their cause.
  std::size_t refusals(PolicyId p) const {
    return static_cast<std::size_t>(
        std::count_if(requests.begin(), requests.end(),
                      [p](const auto& r) { return r.policy == p && is_refusal(r.event); }));
  }
  /// The changes of group `g`'s busy count, as (time, busy) pairs.
  std::vector<std::pair<sim::Tick, std::uint32_t>> changes_of(TrunkGroupId g) const {
    std::vector<std::pair<sim::Tick, std::uint32_t>> out;
    for (const auto& c : changes) {
      if (c.group == g) out.emplace_back(c.now, c.busy);
    }
    return out;
  }
  /// The busy count of group `g` just after everything announced at or before `t`.
  std::uint32_t busy_at(TrunkGroupId g, sim::Tick t) const {
    std::uint32_t busy = 0;
    for (const auto& c : changes) {
      if (c.group == g && c.now <= t) busy = c.busy;
    }
    return busy;
  }

  std::function<void(const RequestRecord&)> probe;
  std::vector<CircuitRequest> circuit_requests;
  std::vector<CircuitChange> changes;
  std::vector<TrunkGroupId> overflows;
  std::vector<RelationId> busy_callers;
  std::vector<CallSummary> calls;
  std::vector<sim::Tick> end_times;
  std::vector<RequestRecord> requests;
};

// ---- building networks -----------------------------------------------------

inline ExchangeSpec exchange(std::string name, CompletionSupport support = {}) {
  return ExchangeSpec{std::move(name), support};
}

/// One address with `lines` lines (nullopt = unlimited).
inline PopulationSpec address(std::string name, std::uint32_t exchange,
                              std::optional<std::uint32_t> lines = 1) {
  return PopulationSpec{std::move(name), exchange, 1, lines};
}

inline TrunkGroupSpec group(std::string name, std::uint32_t a, std::uint32_t b,
                            std::uint32_t circuits) {
  return TrunkGroupSpec{std::move(name), {a, b}, circuits, 0};
}

/// Scripted calls: one first attempt at each of `at` (non-decreasing), in order.
inline RelationSpec calls_at(std::string name, std::uint32_t from, std::uint32_t to,
                             std::vector<double> at, double holding,
                             std::optional<std::uint32_t> policy = std::nullopt) {
  RelationSpec r;
  r.name = std::move(name);
  r.from = from;
  r.to = to;
  r.arrivals.kind = ArrivalSpec::Kind::scripted;
  r.arrivals.at = std::move(at);
  r.holding = sim::Distribution::deterministic(holding);
  r.policy = policy;
  return r;
}

/// A relation whose one call arrives at exactly `at` seconds, held for
/// exactly `holding` seconds once connected.
inline RelationSpec call_at(std::string name, std::uint32_t from, std::uint32_t to, double at,
                            double holding, std::optional<std::uint32_t> policy = std::nullopt) {
  return calls_at(std::move(name), from, to, {at}, holding, policy);
}

inline AnswerSpec answer(double probability, double delay, std::optional<double> timeout) {
  AnswerSpec a;
  a.probability = probability;
  a.delay = sim::Distribution::deterministic(delay);
  a.timeout = timeout;
  return a;
}

inline ParamValue distribution_value(std::optional<double> deterministic_seconds) {
  ParamValue v;
  v.kind = ParamKind::distribution;
  if (deterministic_seconds)
    v.distribution = sim::Distribution::deterministic(*deterministic_seconds);
  return v;
}

inline ParamValue count_value(std::optional<std::uint64_t> count) {
  ParamValue v;
  v.kind = ParamKind::count;
  v.count = count;
  return v;
}

inline PolicySpec policy(std::string name, std::string type, std::vector<FailureCause> when,
                         std::optional<std::uint32_t> fallback) {
  PolicySpec p;
  p.name = std::move(name);
  p.type = std::move(type);
  p.when = std::move(when);
  p.fallback = fallback;
  return p;
}

inline PolicySpec none_policy(std::string name) {
  return policy(std::move(name), "none",
                {FailureCause::congestion, FailureCause::busy, FailureCause::no_answer},
                std::nullopt);
}

/// `patience` nullopt = unlimited, else deterministic seconds.
inline PolicySpec campon_policy(std::string name, std::optional<double> patience = std::nullopt,
                                std::optional<std::uint64_t> queue_limit = std::nullopt,
                                std::vector<FailureCause> when = {FailureCause::busy,
                                                                  FailureCause::congestion},
                                std::optional<std::uint32_t> fallback = std::nullopt) {
  PolicySpec p = policy(std::move(name), "campon", std::move(when), fallback);
  p.params = {{"patience", distribution_value(patience)},
              {"queue_limit", count_value(queue_limit)},
              {"cancel_after", distribution_value(std::nullopt)}};
  return p;
}

/// `expiry` per cause (congestion, busy, no_answer).
inline PolicySpec callback_policy(std::string name, double expiry = 2700.0,
                                  AnswerSpec recall = answer(1.0, 0.0, 20.0),
                                  std::vector<FailureCause> when = {FailureCause::busy,
                                                                    FailureCause::no_answer},
                                  std::optional<std::uint32_t> fallback = std::nullopt) {
  PolicySpec p = policy(std::move(name), "callback", std::move(when), fallback);
  ParamValue e;
  e.kind = ParamKind::expiry;
  e.expiry = {expiry, expiry, expiry};
  ParamValue a;
  a.kind = ParamKind::answer;
  a.answer = std::move(recall);
  p.params = {
      {"expiry", e}, {"recall_answer", a}, {"cancel_after", distribution_value(std::nullopt)}};
  return p;
}

inline PolicySpec intrude_policy(std::string name,
                                 std::optional<std::uint32_t> fallback = std::nullopt,
                                 std::vector<FailureCause> when = {FailureCause::busy}) {
  return policy(std::move(name), "intrude", std::move(when), fallback);
}

inline PolicySpec message_policy(std::string name, double reaction, std::uint64_t message_id = 0,
                                 std::vector<FailureCause> when = {FailureCause::busy,
                                                                   FailureCause::no_answer},
                                 std::optional<std::uint32_t> fallback = std::nullopt) {
  PolicySpec p = policy(std::move(name), "message", std::move(when), fallback);
  p.params = {{"message_id", count_value(message_id)},
              {"reaction", distribution_value(reaction)},
              {"cancel_after", distribution_value(std::nullopt)}};
  return p;
}

inline PolicySpec redial_policy(std::string name, double delay,
                                std::optional<std::uint64_t> max_attempts = std::nullopt) {
  PolicySpec p =
      policy(std::move(name), "redial",
             {FailureCause::congestion, FailureCause::busy, FailureCause::no_answer}, std::nullopt);
  ParamValue pers;
  pers.kind = ParamKind::number;
  pers.number = 1.0;
  p.params = {{"delay", distribution_value(delay)},
              {"persistence", pers},
              {"max_attempts", count_value(max_attempts)}};
  return p;
}

// ---- running ---------------------------------------------------------------

/// A network with a PolicyLog attached. `go` runs it from t=0 with no
/// warm-up until `horizon` seconds, so every call of these tests is measured
/// and followed to its end.
struct Sim {
  Sim(const NetworkSpec& spec, const PolicyRegistry& registry, std::uint64_t seed = 1)
      : net(spec, registry, seed, 0) {
    net.set_observer(&log);
  }
  sim::RunStatus go(double horizon = 10000.0) {
    return net.run(0, sim::to_ticks(horizon),
                   {.max_events = 50'000'000, .max_pending = 10'000'000});
  }
  Network net;
  PolicyLog log;
};

/// Every trunk group and every line of `spec` is idle in `net`.
inline bool all_idle(const Network& net, const NetworkSpec& spec) {
  for (TrunkGroupId g = 0; g < spec.trunk_groups.size(); ++g) {
    if (net.busy_circuits(g) != 0) return false;
  }
  for (std::uint32_t p = 0; p < spec.populations.size(); ++p) {
    if (!spec.populations[p].lines) continue;
    for (std::uint64_t i = 0; i < spec.populations[p].count; ++i) {
      if (net.busy_lines(p, i) != 0) return false;
    }
  }
  return true;
}

}  // namespace telsim::models::policy_testing
