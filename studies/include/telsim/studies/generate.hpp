#pragma once
/// `telsim generate`: a large, realistic national network written as a
/// scenario file (SPEC §2). docs/generate.md describes the model; every
/// figure it uses is returned beside the text so tests can check it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace telsim::studies {

/// What to generate. Every default is the one `telsim generate` uses.
struct GenerateOptions {
  std::string name = "national-busy-hour";
  std::uint32_t exchanges = 200;          ///< local exchanges (with subscribers), >= 2
  std::uint64_t subscribers = 1'000'000;  ///< spread over the local exchanges, >= 2 per exchange
  std::uint32_t tandems = 10;             ///< tandem exchanges (no subscribers), >= 1
  double gos = 0.01;                      ///< grade of service every trunk group is sized for
  double erlangs_per_sub = 0.05;          ///< originating traffic per subscriber (calls x holding)
  double mean_holding = 120.0;            ///< seconds, exponential
  /// Share of each relation's policy: (policy type, weight); weights are normalised.
  std::vector<std::pair<std::string, double>> policy_mix{{"none", 1.0}};
  std::uint64_t seed = 1;  ///< drives sizes, locations and the policy draw (and the scenario seed)
  std::uint32_t partners = 10;     ///< inter-exchange relations per exchange (strongest gravity)
  double local_fraction = 0.5;     ///< share of an exchange's traffic that stays inside it
  double distance_exponent = 2.0;  ///< gravity: weight size_j / distance^k
  double size_sigma = 1.0;         ///< lognormal spread of exchange sizes (sd of the log)
  double area_km = 600.0;          ///< exchanges lie uniformly in a square this wide
  double direct_erlangs = 30.0;    ///< both-way pair traffic from which a direct group is built
  std::uint64_t replications = 10;
  double warmup = 300.0;
  double duration = 3600.0;
  /// Pilot sizing (docs/generate.md): after the Erlang B sizing on first attempts, up to this
  /// many passes of simulating the scenario (`pilot_replications` of `pilot_duration` seconds
  /// after the warm-up) and re-sizing each group for what it was offered; 0 = no pilot.
  std::uint32_t pilot_passes = 4;
  double pilot_duration = 1800.0;
  std::uint64_t pilot_replications = 2;
  /// The passes stop when every group's pilot call blocking is at most this x gos.
  double pilot_tolerance = 2.0;
};

/// One trunk group as generated, with the traffic it was sized for.
struct GeneratedGroup {
  std::string name;
  std::string a;
  std::string b;
  /// Erlangs of circuit occupancy offered to the group: as routed on first attempts, or as
  /// the last pilot measured it (carried / (1 - call blocking)).
  double offered_erlangs = 0.0;
  /// Smallest n with ErlangB(n, offered) <= gos, at least 1, without a pilot; with one, at
  /// least that for every pilot's load, more where a pilot blocked above gos.
  std::uint32_t circuits = 0;
  double first_offered_erlangs = 0.0;  ///< the first-attempt load (as routed)
  std::uint32_t first_circuits = 0;    ///< Erlang B circuits for it
  double pilot_blocking = 0.0;         ///< call blocking in the last pilot (0 without one)
};

struct GeneratedExchange {
  std::string name;
  std::uint64_t subscribers = 0;  ///< 0 for a tandem
  double x_km = 0.0;
  double y_km = 0.0;
  std::uint32_t home_tandem = 0;  ///< index into the tandems (locals only)
};

struct GeneratedRelation {
  std::string name;
  std::uint32_t from = 0;  ///< local exchange index
  std::uint32_t to = 0;
  double erlangs = 0.0;  ///< offered, calls x mean holding
  std::string policy;    ///< a policy type from the mix, or "none"
};

struct GeneratedNetwork {
  std::vector<GeneratedExchange> locals;
  std::vector<GeneratedExchange> tandems;
  std::vector<GeneratedGroup> groups;
  std::vector<GeneratedRelation> relations;
  double circuit_holding = 0.0;  ///< mean circuit occupancy per call, seconds (answer model incl.)
  double line_occupancy = 0.0;   ///< estimated share of time a subscriber line is busy
  std::string yaml;              ///< the scenario file
  std::uint32_t pilot_passes_run = 0;     ///< pilot simulations run
  bool pilot_resized_after_last = false;  ///< the last pilot still found groups above tolerance
};

/// Builds the network and its scenario text. Deterministic: the same options give the
/// same bytes. Throws std::invalid_argument naming a bad option.
GeneratedNetwork generate_network(const GenerateOptions& options);

/// The smallest n >= 1 with ErlangB(n, load) <= gos (analysis::erlang_b_circuits), checked
/// as generate checks its options.
std::uint32_t erlang_b_circuits(double load_erlangs, double gos);

/// Parses "none=0.6,callback=0.3,campon=0.1"; throws std::invalid_argument.
std::vector<std::pair<std::string, double>> parse_policy_mix(const std::string& text);

}  // namespace telsim::studies
