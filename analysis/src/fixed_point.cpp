#include "telsim/analysis/fixed_point.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "telsim/analysis/equivalent_random.hpp"
#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {

ReservationBlocking reservation_blocking(std::int64_t circuits, std::int64_t reserve,
                                         double first_choice_load, double overflow_load) {
  if (circuits < 0)
    throw std::invalid_argument(fmt::format("circuits must be at least 0, not {}", circuits));
  if (reserve < 0 || reserve > circuits) {
    throw std::invalid_argument(
        fmt::format("reserve must be within 0..{} (the circuits), not {}", circuits, reserve));
  }
  if (!std::isfinite(first_choice_load) || first_choice_load < 0.0 ||
      !std::isfinite(overflow_load) || overflow_load < 0.0) {
    throw std::invalid_argument(fmt::format("loads must be finite and at least 0, not {} and {}",
                                            first_choice_load, overflow_load));
  }
  if (circuits == 0) return {1.0, 1.0};
  // Birth-death chain on 0..C busy circuits, unit service rate per busy circuit:
  // p(n) = p(n-1) rate(n-1) / n, rate(n) = a1 + a2 below C - r and a1 from there on.
  // Unnormalised weights in long double, rescaled before they can overflow.
  const std::int64_t threshold = circuits - reserve;  // overflow refused from here on
  const long double a1 = first_choice_load;
  const long double both = static_cast<long double>(first_choice_load) + overflow_load;
  long double p = 1.0L;
  long double total = 1.0L;
  long double tail = threshold == 0 ? 1.0L : 0.0L;  // sum of p(n) for n >= threshold
  for (std::int64_t n = 1; n <= circuits; ++n) {
    const long double rate = n - 1 < threshold ? both : a1;
    p *= rate / static_cast<long double>(n);
    total += p;
    if (n >= threshold) tail += p;
    if (total > 1e300L) {
      p /= total;
      tail /= total;
      total = 1.0L;
    }
  }
  return {static_cast<double>(p / total), static_cast<double>(tail / total)};
}

GroupBlocking group_blocking(std::int64_t circuits, std::int64_t reserve, double first_choice_load,
                             double overflow_mean, double overflow_variance,
                             double first_choice_variance) {
  GroupBlocking out;
  if (!(overflow_mean > 1e-12) || overflow_variance <= overflow_mean * (1.0 + 1e-9)) {
    // Overflow that is not (measurably) peaked is Poisson: the one-dimensional chain.
    const ReservationBlocking b =
        reservation_blocking(circuits, reserve, first_choice_load, std::max(overflow_mean, 0.0));
    out = {b.first_choice, b.overflow};
  } else if (circuits - reserve <= 0) {
    const ReservationBlocking b = reservation_blocking(circuits, reserve, first_choice_load, 0.0);
    out = {b.first_choice, 1.0};
  } else {
    // Calibrated without the reserve: on all circuits with the first-choice traffic, or,
    // with none, on the circuits the overflow may use (there the reserve is just fewer
    // circuits).
    const InterruptedPoisson ipp =
        first_choice_load > 0.0
            ? ert_interrupted_poisson(overflow_mean, overflow_variance, circuits, first_choice_load)
            : ert_interrupted_poisson(overflow_mean, overflow_variance, circuits - reserve);
    const MixedBlocking m = mixed_blocking(circuits, reserve, first_choice_load, ipp);
    out = {m.poisson, m.peaked};
  }
  // Smooth first-choice traffic: scale by what Hayward's approximation makes of it alone,
  // B(C / Z, A / Z) / B(C, A) (continuous as the overflow vanishes).
  if (first_choice_load > 0.0 && first_choice_variance >= 0.0 &&
      first_choice_variance < first_choice_load) {
    const double z = std::max(first_choice_variance / first_choice_load, 0.05);
    const double poisson = erlang_b(circuits, first_choice_load);
    if (poisson > 0.0) {
      const double scale =
          erlang_b_continued(static_cast<double>(circuits) / z, first_choice_load / z) / poisson;
      out.first_choice *= scale;
      out.overflow = std::min(1.0, out.overflow * scale);
    }
  }
  return out;
}

namespace {

void check_input(const std::vector<FixedPointGroup>& groups,
                 const std::vector<FixedPointDemand>& demands, const FixedPointOptions& options) {
  for (std::size_t j = 0; j < groups.size(); ++j) {
    const auto& g = groups[j];
    if (g.circuits < 0 || g.reserve < 0 || g.reserve > g.circuits) {
      throw std::invalid_argument(
          fmt::format("group {}: circuits {} and reserve {}: need 0 <= reserve <= circuits", j,
                      g.circuits, g.reserve));
    }
  }
  for (std::size_t r = 0; r < demands.size(); ++r) {
    const auto& d = demands[r];
    if (!std::isfinite(d.offered_erlangs) || d.offered_erlangs < 0.0) {
      throw std::invalid_argument(
          fmt::format("demand {}: offered traffic must be finite and at least 0, not {}", r,
                      d.offered_erlangs));
    }
    if (!(d.peakedness > 0.0 && d.peakedness <= 1.0)) {
      throw std::invalid_argument(
          fmt::format("demand {}: the peakedness must be within (0, 1], not {}", r, d.peakedness));
    }
    for (std::size_t k = 0; k < d.alternatives.size(); ++k) {
      if (d.alternatives[k].empty()) {
        throw std::invalid_argument(
            fmt::format("demand {}: alternative {} is an empty chain", r, k));
      }
      for (const std::size_t j : d.alternatives[k]) {
        if (j >= groups.size()) {
          throw std::invalid_argument(
              fmt::format("demand {}: alternative {} names group {}, but there are {} groups", r, k,
                          j, groups.size()));
        }
      }
    }
  }
  if (!(options.tolerance > 0.0) || options.max_iterations < 1) {
    throw std::invalid_argument("the tolerance must be positive and max_iterations at least 1");
  }
}

std::uint64_t pair_key(std::size_t i, std::size_t j) {
  if (i > j) std::swap(i, j);
  return (static_cast<std::uint64_t>(i) << 32) | static_cast<std::uint64_t>(j);
}

/// The blockings of one iterate and what the previous pass measured.
struct Iterate {
  std::vector<double> first, overflow;  ///< blocking met by each kind of stream, per group
  std::vector<double> z_out;            ///< peakedness of what each group refuses
  std::vector<double> carried;          ///< Erlangs per group
  std::unordered_map<std::uint64_t, double> common;  ///< Erlangs carried by both groups
};

/// One hop of one alternative of one demand, as one pass sees it.
struct Hop {
  std::size_t group;
  double refused;  ///< calls per mean holding time refused here
  double thin;     ///< what the chain's other hops pass: offered to this hop per offered
};

/// What one pass over the demands yields under an iterate's blockings.
struct Pass {
  std::vector<double> load_first, var_first, over_mean, over_var, requests, refused, carried,
      correlation;
  std::unordered_map<std::uint64_t, double> common;
  std::vector<FixedPointDemandResult> demands;
};

double rho(const Iterate& it, std::size_t i, std::size_t j) {
  if (i == j) return 1.0;
  const auto found = it.common.find(pair_key(i, j));
  if (found == it.common.end()) return 0.0;
  const double scale = std::sqrt(it.carried[i] * it.carried[j]);
  return scale > 0.0 ? std::clamp(found->second / scale, 0.0, 1.0) : 0.0;
}

Pass run_pass(const std::vector<FixedPointGroup>& groups,
              const std::vector<FixedPointDemand>& demands, const Iterate& it) {
  const std::size_t n = groups.size();
  Pass p;
  p.load_first.assign(n, 0.0);
  p.var_first.assign(n, 0.0);
  p.over_mean.assign(n, 0.0);
  p.over_var.assign(n, 0.0);
  p.requests.assign(n, 0.0);
  p.refused.assign(n, 0.0);
  p.carried.assign(n, 0.0);
  p.correlation.assign(n, 0.0);
  p.demands.resize(demands.size());
  // hops[d][k]: the hops of alternative k of demand d, for the parcels below.
  std::vector<std::vector<std::vector<Hop>>> hops(demands.size());
  for (std::size_t d = 0; d < demands.size(); ++d) {
    const auto& dem = demands[d];
    auto& out = p.demands[d];
    const std::size_t alternatives = dem.alternatives.size();
    out.offered_per_alternative.assign(alternatives, 0.0);
    hops[d].resize(alternatives);
    if (alternatives == 0) continue;
    std::vector<double> chain_loss(alternatives, 0.0);
    for (std::size_t k = 0; k < alternatives; ++k) {
      double offered = dem.offered_erlangs;
      if (k > 0) {
        offered = dem.choice == OverflowChoice::sequential
                      ? out.offered_per_alternative[k - 1] * chain_loss[k - 1]
                      : dem.offered_erlangs * chain_loss[0] / static_cast<double>(alternatives - 1);
      }
      out.offered_per_alternative[k] = offered;
      const auto& chain = dem.alternatives[k];
      const auto& own = k == 0 ? it.first : it.overflow;
      // Conditional refusal of each hop, given the earlier hops accepted.
      std::vector<double> cond(chain.size());
      // In logarithms: 1 - prod(1 - b) for a blocking of 1e-17 would cancel to 0.
      double log_pass = 0.0;
      for (std::size_t h = 0; h < chain.size(); ++h) {
        const double b = own[chain[h]];
        double r = 0.0;  // first-choice chains keep Kelly's independent hops
        for (std::size_t e = 0; k > 0 && e < h; ++e) r = std::max(r, rho(it, chain[e], chain[h]));
        const double earlier_loss = -std::expm1(log_pass);
        const double together =
            earlier_loss < 1.0 ? std::max(0.0, b - earlier_loss) / (1.0 - earlier_loss) : 0.0;
        const double weight = r * r;  // the share of variance the hops have in common
        cond[h] = (1.0 - weight) * b + weight * together;
        log_pass += std::log1p(-cond[h]);
        if (r > 0.0) {
          out.correlation = std::max(out.correlation, r);
          p.correlation[chain[h]] = std::max(p.correlation[chain[h]], r);
          for (std::size_t e = 0; e < h; ++e)
            p.correlation[chain[e]] = std::max(p.correlation[chain[e]], r);
        }
      }
      chain_loss[k] = -std::expm1(log_pass);
      const double pass = std::exp(log_pass);
      const double carried = offered * pass;
      double reach = 1.0;  // the share of calls that reach hop h
      auto& chain_hops = hops[d][k];
      for (std::size_t h = 0; h < chain.size(); ++h) {
        const std::size_t j = chain[h];
        const double b = own[j];
        double thin = 1.0;
        if (b < 1.0 - 1e-12) {
          thin = pass / (1.0 - b);
        } else {
          for (std::size_t o = 0; o < chain.size(); ++o)
            if (o != h) thin *= 1.0 - cond[o];
        }
        thin = std::min(thin, 1.0);
        const double requests = offered * reach;
        const double refused = requests * cond[h];
        p.requests[j] += requests;
        p.refused[j] += refused;
        p.carried[j] += carried;
        if (k == 0) {
          p.load_first[j] += offered * thin;
          p.var_first[j] += offered * thin * (1.0 + thin * (dem.peakedness - 1.0));
        }
        chain_hops.push_back({j, refused, thin});
        reach *= 1.0 - cond[h];
        for (std::size_t e = 0; e < h; ++e) {
          if (chain[e] != j) p.common[pair_key(chain[e], j)] += carried;
        }
      }
    }
    double loss = chain_loss[0];
    if (alternatives > 1) {
      if (dem.choice == OverflowChoice::sequential) {
        for (std::size_t k = 1; k < alternatives; ++k) loss *= chain_loss[k];
      } else {
        double later = 0.0;
        for (std::size_t k = 1; k < alternatives; ++k) later += chain_loss[k];
        loss *= later / static_cast<double>(alternatives - 1);
      }
    }
    out.loss = loss;
  }
  // Overflow parcels: the overflow offered to alternative k >= 1 is what alternative k - 1
  // (sequential) or 0 (one other) refused, hop by hop: a thinning of each refusing group's
  // overflow process. Parcels from one source group into one group are merged.
  std::unordered_map<std::uint64_t, double> fraction;  // (group, source) -> F
  for (std::size_t d = 0; d < demands.size(); ++d) {
    const auto& dem = demands[d];
    const std::size_t alternatives = dem.alternatives.size();
    for (std::size_t k = 1; k < alternatives; ++k) {
      const bool sequential = dem.choice == OverflowChoice::sequential;
      const auto& source = hops[d][sequential ? k - 1 : 0];
      const double share = sequential ? 1.0 : 1.0 / static_cast<double>(alternatives - 1);
      for (const Hop& to : hops[d][k]) {
        for (const Hop& from : source) {
          if (!(from.refused > 0.0) || !(p.refused[from.group] > 0.0)) continue;
          const double mean = from.refused * share * to.thin;
          fraction[(static_cast<std::uint64_t>(to.group) << 32) | from.group] +=
              mean / p.refused[from.group];
        }
      }
    }
  }
  for (const auto& [key, f_raw] : fraction) {
    const std::size_t j = static_cast<std::size_t>(key >> 32);
    const std::size_t g = static_cast<std::size_t>(key & 0xffffffffu);
    const double f = std::min(f_raw, 1.0);
    const double m = p.refused[g];
    p.over_mean[j] += f * m;
    p.over_var[j] += f * m * (1.0 + f * (it.z_out[g] - 1.0));
  }
  return p;
}

}  // namespace

FixedPointResult erlang_fixed_point(const std::vector<FixedPointGroup>& groups,
                                    const std::vector<FixedPointDemand>& demands,
                                    const FixedPointOptions& options) {
  check_input(groups, demands, options);
  const std::size_t n = groups.size();
  Iterate it;  // start from no blocking
  it.first.assign(n, 0.0);
  it.overflow.assign(n, 0.0);
  it.z_out.assign(n, 1.0);
  it.carried.assign(n, 0.0);
  FixedPointResult result;
  double damping = 1.0;
  double previous_residual = INFINITY;
  Pass pass;
  while (result.iterations < options.max_iterations) {
    ++result.iterations;
    pass = run_pass(groups, demands, it);
    double residual = 0.0;
    std::vector<double> next_first(n), next_overflow(n);
    for (std::size_t j = 0; j < n; ++j) {
      const GroupBlocking b =
          group_blocking(groups[j].circuits, groups[j].reserve, pass.load_first[j],
                         pass.over_mean[j], pass.over_var[j], pass.var_first[j]);
      next_first[j] = b.first_choice;
      next_overflow[j] = b.overflow;
      residual = std::max({residual, std::abs(b.first_choice - it.first[j]),
                           std::abs(b.overflow - it.overflow[j])});
      // Peakedness of everything the group refuses: ERT for its whole offered traffic.
      const double m = pass.load_first[j] + pass.over_mean[j];
      const double v = pass.var_first[j] + pass.over_var[j];
      // Smooth traffic (v < m) overflows less peaked: Hayward's scaling, in units of Z.
      const double c = static_cast<double>(groups[j].circuits);
      const double z_in = m > 0.0 ? std::clamp(v / m, 0.05, 1.0) : 1.0;
      it.z_out[j] = m <= 0.0     ? 1.0
                    : z_in < 1.0 ? z_in * overflow_moments(c / z_in, m / z_in).peakedness()
                                 : ert_overflow(m, v, c).peakedness();
      it.z_out[j] = std::max(it.z_out[j], 1.0);
    }
    it.carried = pass.carried;
    it.common = pass.common;
    result.residual = residual;
    if (residual <= options.tolerance) {
      it.first = std::move(next_first);
      it.overflow = std::move(next_overflow);
      result.converged = true;
      break;
    }
    // Damping: a step that grew the residual halves the next steps (down to 1/1024).
    if (residual > previous_residual) damping = std::max(damping / 2.0, 1.0 / 1024.0);
    previous_residual = residual;
    for (std::size_t j = 0; j < n; ++j) {
      it.first[j] += damping * (next_first[j] - it.first[j]);
      it.overflow[j] += damping * (next_overflow[j] - it.overflow[j]);
    }
  }
  // Report loads, requests and losses consistent with the final blockings.
  pass = run_pass(groups, demands, it);
  result.demands = std::move(pass.demands);
  result.groups.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    auto& g = result.groups[j];
    g.first_choice_blocking = it.first[j];
    g.overflow_blocking = it.overflow[j];
    g.blocking = pass.requests[j] > 0.0 ? pass.refused[j] / pass.requests[j] : it.first[j];
    g.offered_first = pass.load_first[j];
    g.offered_overflow = pass.over_mean[j];
    g.overflow_variance = pass.over_var[j];
    g.carried = pass.carried[j];
    g.requests = pass.requests[j];
    g.correlation = pass.correlation[j];
  }
  return result;
}

}  // namespace telsim::analysis
