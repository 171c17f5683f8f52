#pragma once
/// A scenario file, loaded and validated: the network plus how to run it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "telsim/analysis/expect.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/scheduler.hpp"

namespace telsim::scenarios {

struct PrecisionSpec {
  std::string metric;      ///< a results path, e.g. "trunk_groups.AB.call_blocking"
  double relative = 0.05;  ///< stop when ci95 <= relative * mean
  std::size_t max_replications = 200;
};

struct Scenario {
  int version = 1;
  std::string name;
  std::uint64_t seed = 1;
  std::size_t replications = 10;
  std::optional<double> warmup = 0.0;  ///< seconds; nullopt = "auto" (MSER-5)
  double duration = 0.0;               ///< measured seconds after the warm-up
  std::optional<PrecisionSpec> precision;
  sim::RunLimits limits;
  /// limits.max_memory: bytes for the whole run, all threads; nullopt = auto
  /// (half the machine's physical memory, see work_estimate.hpp).
  std::optional<std::uint64_t> max_memory;
  models::NetworkSpec network;
  std::vector<analysis::ExpectCheck> expect;
  std::vector<std::string> plugins;  ///< as written (paths relative to the file, or bare names)
};

}  // namespace telsim::scenarios
