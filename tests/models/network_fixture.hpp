#pragma once
// Tiny networks built in code, and an observer that keeps everything announced.
#include <vector>

#include "telsim/models/network.hpp"

namespace telsim::models::testing {

struct Request {
  TrunkGroupId group;
  bool granted;
  std::uint32_t busy_before;
  sim::Tick now;
};

class Log final : public NetworkObserver {
 public:
  explicit Log(const Network* network = nullptr) : network_(network) {}
  void attach(const Network* network) { network_ = network; }
  void circuit_requested(TrunkGroupId g, bool granted, sim::Tick now) override {
    requests.push_back({g, granted, network_ ? network_->busy_circuits(g) : 0, now});
  }
  void circuits_changed(TrunkGroupId g, std::uint32_t busy, sim::Tick now) override {
    changes.push_back({g, busy, now});
  }
  void overflowed(TrunkGroupId g, sim::Tick) override { overflows.push_back(g); }
  void caller_busy(RelationId r, bool measured, sim::Tick now) override {
    busy_callers.push_back({r, measured, now});
  }
  void call_ended(const CallSummary& call, sim::Tick now) override {
    calls.push_back(call);
    end_times.push_back(now);
  }

  struct Change {
    TrunkGroupId group;
    std::uint32_t busy;
    sim::Tick now;
  };
  struct CallerBusy {
    RelationId relation;
    bool measured;
    sim::Tick now;
  };
  std::vector<Request> requests;
  std::vector<Change> changes;
  std::vector<TrunkGroupId> overflows;
  std::vector<CallerBusy> busy_callers;
  std::vector<CallSummary> calls;
  std::vector<sim::Tick> end_times;

 private:
  const Network* network_;
};

inline RelationSpec relation(std::string name, std::uint32_t from, std::uint32_t to, double rate,
                             sim::Distribution holding) {
  RelationSpec r;
  r.name = std::move(name);
  r.from = from;
  r.to = to;
  r.arrivals.rate = rate;
  r.holding = std::move(holding);
  return r;
}

inline PolicySpec redial_policy(std::string name, double delay, double persistence,
                                std::optional<std::uint64_t> max_attempts,
                                std::vector<FailureCause> when = {FailureCause::congestion,
                                                                  FailureCause::busy,
                                                                  FailureCause::no_answer}) {
  PolicySpec p;
  p.name = std::move(name);
  p.type = "redial";
  p.when = std::move(when);
  ParamValue d;
  d.kind = ParamKind::distribution;
  d.distribution = sim::Distribution::deterministic(delay);
  ParamValue pers;
  pers.kind = ParamKind::number;
  pers.number = persistence;
  ParamValue max;
  max.kind = ParamKind::count;
  max.count = max_attempts;
  p.params = {{"delay", d}, {"persistence", pers}, {"max_attempts", max}};
  return p;
}

}  // namespace telsim::models::testing
