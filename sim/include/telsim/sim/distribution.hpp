#pragma once
/// Samplers for every distribution of the scenario format (SPEC §2).
///
/// Our own inverse-transform code, not <random>'s distributions: those differ
/// between standard libraries and would break byte-identical results.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "telsim/sim/random.hpp"

namespace telsim::sim {

class Distribution {
 public:
  enum class Kind : std::uint8_t {
    deterministic,
    exponential,
    uniform,
    erlang,
    lognormal,
    hyperexponential,
    empirical
  };

  /// Deterministic 0.
  Distribution() = default;

  // Factories validate their parameters and throw std::invalid_argument with
  // a message naming the parameter (the loader reports it at the key).
  static Distribution deterministic(double value);
  static Distribution exponential(double mean);
  static Distribution uniform(double min, double max);
  /// Sum of k exponential phases with total mean `mean`.
  static Distribution erlang(int k, double mean);
  /// `mean` and `sd` of the variable itself (not of its logarithm).
  static Distribution lognormal(double mean, double sd);
  static Distribution hyperexponential(std::vector<double> means, std::vector<double> probs);
  /// Discrete: `values[i]` with probability `probs[i]`.
  static Distribution empirical(std::vector<double> values, std::vector<double> probs);

  /// One draw. Consumes exactly one uniform for every kind except erlang (k
  /// uniforms) and hyperexponential (2); deterministic, and lognormal with
  /// sd 0, consume none.
  double sample(RandomStream& rng) const {
    // Performance: the exponential, by far the commonest holding time and
    // interval, inline; the other kinds out of line.
    if (kind_ == Kind::exponential) return -a_ * std::log(rng.uniform_open0());
    return sample_other(rng);
  }

  double mean() const;
  double variance() const;
  Kind kind() const { return kind_; }
  bool is_deterministic() const { return kind_ == Kind::deterministic; }

  // Parameters as given, for writing the resolved scenario back out.
  double param_a() const { return a_; }  ///< value, mean, min or (lognormal) mean
  double param_b() const { return b_; }  ///< max or (lognormal) sd
  int phases() const { return k_; }
  const std::vector<double>& points() const { return points_; }  ///< means or values
  const std::vector<double>& probabilities() const { return probs_; }

  static const char* kind_name(Kind k);

 private:
  double sample_other(RandomStream& rng) const;

  Kind kind_ = Kind::deterministic;
  double a_ = 0.0;
  double b_ = 0.0;
  int k_ = 1;
  double mu_ = 0.0;     // lognormal: location of the logarithm
  double sigma_ = 0.0;  // lognormal: scale of the logarithm
  std::vector<double> points_;
  std::vector<double> probs_;
  std::vector<double> cumulative_;
};

/// Standard normal quantile (Wichura's AS241, relative error about 1e-16).
double normal_quantile(double p);

}  // namespace telsim::sim
