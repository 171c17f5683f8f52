#pragma once
/// The network as described by a scenario, validated and with names resolved
/// to indices. The loader (scenarios/) builds it; the model assumes it valid.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "telsim/sim/distribution.hpp"

namespace telsim::models {

/// Why an attempt failed (SPEC §3).
enum class FailureCause : std::uint8_t { congestion = 0, busy = 1, no_answer = 2 };
inline constexpr std::size_t failure_cause_count = 3;
const char* to_string(FailureCause c);
/// "[busy, no_answer]": a list of causes as a scenario writes it.
std::string causes_text(const std::vector<FailureCause>& causes);

/// TAPI lineCompleteCall modes (LINECALLCOMPLMODE_*).
enum class CompletionMode : std::uint8_t { campon = 0, callback = 1, intrude = 2, message = 3 };
inline constexpr std::size_t completion_mode_count = 4;
const char* to_string(CompletionMode m);

/// What an exchange, as service provider, supports (SPEC §2 `completion`).
struct CompletionSupport {
  std::array<bool, completion_mode_count> modes{true, true, true, true};
  std::optional<std::uint32_t> max_per_address = 8;  ///< nullopt = unlimited
  std::uint32_t messages = 4;
  std::uint32_t bridges = 0;
};

struct ExchangeSpec {
  std::string name;
  CompletionSupport completion;
};

/// A population's own completion capabilities (SPEC §2 `completion` of a
/// population; TAPI's LINEADDRESSCAPS is per address): each key given
/// replaces the exchange's value for calls whose caller belongs to it.
struct CompletionOverride {
  std::optional<std::array<bool, completion_mode_count>> modes;
  bool has_max_per_address = false;
  std::optional<std::uint32_t> max_per_address;  ///< when given; nullopt = unlimited
};

struct PopulationSpec {
  std::string name;
  std::uint32_t exchange = 0;
  std::uint64_t count = 1;
  std::optional<std::uint32_t> lines = 1;  ///< nullopt = unlimited (never busy)
  CompletionOverride completion{};
};

struct TrunkGroupSpec {
  std::string name;
  std::array<std::uint32_t, 2> between{0, 0};  ///< exchange indices
  std::uint32_t circuits = 1;
  std::uint32_t reserve = 0;  ///< circuits only first-choice traffic may take
};

/// How a route picks among its alternatives after the first (SPEC §3 "Route strategies").
enum class RouteStrategy : std::uint8_t {
  sequential = 0,  ///< every other alternative, in the order given
  random = 1,      ///< one other alternative drawn uniformly per call
  dar = 2,         ///< dynamic alternative routing: one current alternative, redrawn on failure
  lba = 3,         ///< least busy alternative: the one whose busiest hop has most free
};
const char* to_string(RouteStrategy s);

/// A route as written: ordered alternatives, each a chain of trunk-group
/// indices joining `from` to `to`.
struct RouteSpec {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::vector<std::vector<std::uint32_t>> via;
  RouteStrategy strategy = RouteStrategy::sequential;
};

struct ArrivalSpec {
  /// poisson: aggregate first attempts per second; per_idle_source: each idle
  /// source address calls at `rate`; scripted: one first attempt at each of
  /// `at` (SPEC §2 `arrivals: {at: [...]}`), the caller drawn as for poisson.
  enum class Kind : std::uint8_t { poisson, per_idle_source, scripted };
  Kind kind = Kind::poisson;
  double rate = 0.0;  ///< per second: aggregate (poisson) or per idle source address
  /// poisson only, when the scenario gave `erlangs` instead of `rate`: the offered
  /// traffic; `rate` is then erlangs / the relation's mean holding time.
  std::optional<double> erlangs;
  /// scripted only: seconds since t=0, non-decreasing (equal times are placed
  /// in the order listed). No profile goes with them.
  std::vector<double> at;
  /// (time since t=0, rate multiplier), times strictly increasing; the
  /// multiplier is 1 before the first listed time.
  std::vector<std::pair<double, double>> profile;
};

struct AnswerSpec {
  double probability = 1.0;
  sim::Distribution delay;        ///< default deterministic 0
  std::optional<double> timeout;  ///< seconds; nullopt = none
};

struct RelationSpec {
  std::string name;
  std::uint32_t from = 0;  ///< population index
  std::uint32_t to = 0;    ///< population index
  ArrivalSpec arrivals;
  sim::Distribution holding;
  /// Circuits a call takes on every hop (SPEC §3 "Bandwidth"), at least 1.
  std::uint32_t bandwidth = 1;
  AnswerSpec answer;
  std::optional<std::uint32_t> policy;  ///< index into NetworkSpec::policies; nullopt = none
};

/// Kinds of policy parameter values (see PolicyRegistry for declarations).
enum class ParamKind : std::uint8_t {
  number,        ///< a real number within [min, max]
  count,         ///< a non-negative integer within [min, max], or "unlimited" if allowed
  distribution,  ///< a distribution (bare number = deterministic), or "unlimited" if allowed
  answer,        ///< an answer model {probability, delay, timeout}
  expiry,        ///< seconds, or a map per failure cause
};

struct ParamValue {
  ParamKind kind = ParamKind::number;
  double number = 0.0;
  std::optional<std::uint64_t> count;             ///< nullopt = unlimited
  std::optional<sim::Distribution> distribution;  ///< nullopt = unlimited
  AnswerSpec answer;
  std::array<double, failure_cause_count> expiry{0.0, 0.0, 0.0};
};

/// A named policy instance from the scenario's `policies` map.
struct PolicySpec {
  std::string name;
  std::string type;
  std::string preset;                     ///< empty if none
  std::optional<std::uint32_t> fallback;  ///< index into NetworkSpec::policies
  std::vector<FailureCause> when;
  std::map<std::string, ParamValue> params;  ///< every declared parameter, defaults filled
};

struct NetworkSpec {
  std::vector<ExchangeSpec> exchanges;
  std::vector<PopulationSpec> populations;
  std::vector<TrunkGroupSpec> trunk_groups;
  std::vector<RouteSpec> routes;
  std::vector<RelationSpec> relations;
  std::vector<PolicySpec> policies;
};

/// The alternatives a call from exchange `from` to exchange `to` may take, each a chain of
/// trunk-group indices in the order the call crosses them: the route written from `from`
/// to `to`, else the one written the other way with each chain reversed (SPEC §2: a route
/// serves both directions). Empty when there is none. O(routes).
std::vector<std::vector<std::uint32_t>> route_alternatives(const NetworkSpec& net,
                                                           std::uint32_t from, std::uint32_t to);

}  // namespace telsim::models
