#pragma once
// The closed-form loss model a scenario matches, if any: Erlang B (Poisson arrivals on
// one group, lost calls cleared) or Engset (finite sources that call only while idle).
// The viewer overlays it on blocking charts; it never replaces a simulated figure.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace telsim::view {

struct LossModel {
  enum class Kind { erlang_b, engset };
  Kind kind = Kind::erlang_b;
  std::string trunk_group;  ///< the one group the model describes
  std::string relation;     ///< the one traffic relation offering it
  double circuits = 0;
  double rate = 0;          ///< poisson: calls/s; engset: calls/s per idle source
  double mean_holding = 0;  ///< seconds
  double sources = 0;       ///< engset only

  /// "Erlang B" or "Engset".
  std::string name() const;
  /// The model's value of a trunk-group metric ("call_blocking", "time_congestion"), or
  /// nullopt for a metric the model does not give. For Engset, call blocking is the call
  /// congestion. Throws std::invalid_argument for a non-integer circuit or source count.
  std::optional<double> predict(std::string_view metric) const;
  /// The same model with one scenario value changed, addressed like `--set` (the key of a
  /// sweep axis): trunk_groups.G.circuits, traffic.R.arrivals.<kind>.rate,
  /// traffic.R.holding.<dist>.mean|value, subscribers.P.count (Engset sources). nullopt
  /// when the key is none of these.
  std::optional<LossModel> with_value(std::string_view key, double value) const;
};

/// The mean holding time (seconds) of traffic relation `relation` in a resolved scenario,
/// from its distribution; nullopt when the scenario has no such relation.
std::optional<double> relation_mean_holding(const nlohmann::ordered_json& scenario,
                                            const std::string& relation);

/// The model a resolved scenario (SPEC §5 "scenario") matches: one trunk group without
/// reserve, one relation with no completion policy, no rate profile, answered at once, a
/// single route through that group between two exchanges, a callee population that is
/// never busy, and either poisson arrivals from callers that are never busy (Erlang B) or
/// per-idle-source arrivals from one-line sources (Engset). nullopt otherwise.
std::optional<LossModel> match_loss_model(const nlohmann::ordered_json& scenario);

}  // namespace telsim::view
