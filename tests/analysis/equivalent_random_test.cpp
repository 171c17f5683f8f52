// Equivalent random theory: continued Erlang B, Riordan's moments, Rapp's equivalent
// group, the ERT blocking, and the two-phase (IPP) loss group, each against numbers
// computed independently (by hand, by quadrature, or by another exact formula).
#include "telsim/analysis/equivalent_random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/fixed_point.hpp"

namespace telsim::analysis {
namespace {

TEST(ErlangBContinued, AgreesWithErlangBAtIntegers) {
  for (const int n : {0, 1, 2, 7, 20, 265, 1000}) {
    for (const double a : {0.3, 5.0, 15.0, 257.97, 990.0}) {
      const double exact = erlang_b(n, a);
      EXPECT_NEAR(erlang_b_continued(n, a), exact, 1e-12 * exact + 1e-300) << n << " " << a;
    }
  }
  EXPECT_EQ(erlang_b_continued(3.5, 0.0), 0.0);
  EXPECT_EQ(erlang_b_continued(0.0, 4.0), 1.0);
}

// Jagerman's integral 1/B(x, A) = A int_0^inf e^{-At} (1+t)^x dt by Simpson's rule on a
// fine grid: an independent computation of the non-integer values.
double jagerman(double x, double a) {
  const int steps = 200000;
  const double top = 60.0 / a;  // e^{-60} is far below the precision asked
  const double h = top / steps;
  double sum = 0.0;
  for (int i = 0; i <= steps; ++i) {
    const double t = i * h;
    const double f = std::exp(-a * t) * std::pow(1.0 + t, x);
    sum += f * (i == 0 || i == steps ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0));
  }
  return 1.0 / (a * sum * h / 3.0);
}

TEST(ErlangBContinued, NonIntegerCircuitsMatchJagermansIntegral) {
  for (const double x : {0.5, 3.25, 10.5, 17.3636}) {
    for (const double a : {1.0, 10.0, 26.0}) {
      const double reference = jagerman(x, a);
      EXPECT_NEAR(erlang_b_continued(x, a), reference, 1e-8 * reference) << x << " " << a;
    }
  }
  // Between its integer neighbours, and decreasing in the circuits.
  const double half = erlang_b_continued(10.5, 10.0);
  EXPECT_LT(half, erlang_b(10, 10.0));
  EXPECT_GT(half, erlang_b(11, 10.0));
  EXPECT_NEAR(half, 0.1879550, 1e-7);  // Jagerman's integral, 7 digits
  EXPECT_THROW(erlang_b_continued(-0.5, 1.0), std::invalid_argument);
  EXPECT_THROW(erlang_b_continued(1.0, NAN), std::invalid_argument);
}

TEST(OverflowMoments, AreRiordansFormulas) {
  // 10 Erlang on 10 circuits: B = 0.2145823, M = 2.145823,
  // V = M (1 - M + A / (n + 1 - A + M)) = 2.145823 (1 - 2.145823 + 10 / 3.145823).
  const PeakedTraffic o = overflow_moments(10.0, 10.0);
  EXPECT_NEAR(o.mean, 2.1458234, 1e-6);
  EXPECT_NEAR(o.variance, 2.1458234 * (1.0 - 2.1458234 + 10.0 / 3.1458234), 1e-6);
  EXPECT_NEAR(o.peakedness(), 2.03299, 1e-5);
  const OverflowMoments r = riordan_overflow(265, 257.97);
  const PeakedTraffic c = overflow_moments(265.0, 257.97);
  EXPECT_NEAR(c.mean, r.mean, 1e-9 * r.mean);
  EXPECT_NEAR(c.variance, r.variance, 1e-9 * r.variance);
}

TEST(RappEquivalent, ClosedFormByHand) {
  // M = 10, V = 20: Z = 2, A* = 20 + 3 * 2 * 1 = 26, N* = 26 * 12 / 11 - 11 = 191 / 11.
  const EquivalentRandomGroup g = rapp_equivalent(10.0, 20.0);
  EXPECT_DOUBLE_EQ(g.load, 26.0);
  EXPECT_NEAR(g.circuits, 191.0 / 11.0, 1e-12);
  // M = 1, V = 2: A* = 2 + 6 = 8, N* = 8 * 3 / 2 - 2 = 10.
  const EquivalentRandomGroup h = rapp_equivalent(1.0, 2.0);
  EXPECT_DOUBLE_EQ(h.load, 8.0);
  EXPECT_NEAR(h.circuits, 10.0, 1e-12);
  // Poisson traffic is its own equivalent: no group in front.
  const EquivalentRandomGroup p = rapp_equivalent(7.0, 7.0);
  EXPECT_DOUBLE_EQ(p.load, 7.0);
  EXPECT_EQ(p.circuits, 0.0);
}

TEST(RappEquivalent, RecoversTheGroupAnOverflowCameFrom) {
  // Rapp's approximation applied to the overflow of A on n circuits gives back about (A, n)
  // (10, 10 -> 10.66, 10.87; 15, 20 -> 13.74, 18.17; the approximation, not rounding), and
  // that equivalent group loses, on c more circuits, about what the real one does (within
  // 20%: 17% off at 0.2% blocking, the worst case here; a few % at metro's 40%).
  for (const auto& [n, a] : {std::pair{10, 10.0}, std::pair{20, 15.0}, std::pair{265, 257.97}}) {
    const PeakedTraffic o = overflow_moments(n, a);
    const EquivalentRandomGroup g = rapp_equivalent(o.mean, o.variance);
    EXPECT_NEAR(g.load, a, 0.1 * a) << n << " " << a;
    EXPECT_NEAR(g.circuits, n, 0.1 * n) << n << " " << a;
    for (const int c : {2, 6, 12}) {
      const double exact = erlang_b(n + c, a) / erlang_b(n, a);
      EXPECT_NEAR(ert_blocking(o.mean, o.variance, c), exact, 0.2 * exact) << n << " " << c;
    }
  }
  EXPECT_NEAR(rapp_equivalent(overflow_moments(10, 10.0).mean, overflow_moments(10, 10.0).variance)
                  .circuits,
              10.8711, 1e-4);
}

TEST(ErtBlocking, IsCloseToTheExactOverflowBlocking) {
  // The overflow of 257.97 Erlang on 265 circuits (metro.yaml's AB) offered to 12 more: the
  // exact loss is B(277, A) / B(265, A) = 0.417479; ERT from its M and V only: 0.4151.
  const PeakedTraffic o = overflow_moments(265.0, 257.97);
  EXPECT_NEAR(o.peakedness(), 8.278, 1e-3);
  const double exact = erlang_b(277, 257.97) / erlang_b(265, 257.97);
  EXPECT_NEAR(exact, 0.417479, 1e-6);
  const double ert = ert_blocking(o.mean, o.variance, 12.0);
  EXPECT_NEAR(ert, 0.415134, 1e-5);
  // 10 Erlang on 10 circuits, overflow offered to 5 more: exact B(15,10)/B(10,10).
  const PeakedTraffic s = overflow_moments(10.0, 10.0);
  const double exact_small = erlang_b(15, 10.0) / erlang_b(10, 10.0);
  EXPECT_NEAR(ert_blocking(s.mean, s.variance, 5.0), exact_small, 0.03 * exact_small);
  // Poisson traffic: Erlang B.
  EXPECT_NEAR(ert_blocking(15.0, 15.0, 20.0), erlang_b(20, 15.0), 1e-12);
  // The overflow of the ERT system is the lost part of the mean.
  const PeakedTraffic lost = ert_overflow(o.mean, o.variance, 12.0);
  EXPECT_NEAR(lost.mean, o.mean * ert, 0.01 * lost.mean);  // Rapp: A* B(N*, A*) is about M
  EXPECT_GT(lost.peakedness(), 1.0);
}

TEST(MixedBlocking, PoissonAloneIsErlangB) {
  const InterruptedPoisson none{0.0, 1.0, 1.0};
  for (const int c : {1, 5, 20, 300}) {
    const MixedBlocking m = mixed_blocking(c, 0, 15.0, none);
    EXPECT_NEAR(m.poisson, erlang_b(c, 15.0), 1e-12) << c;
    EXPECT_NEAR(m.mean_busy, 15.0 * (1.0 - erlang_b(c, 15.0)), 1e-9) << c;
  }
  EXPECT_EQ(mixed_blocking(0, 0, 3.0, none).poisson, 1.0);
}

TEST(MixedBlocking, AlwaysOnIppIsPoissonWithReservation) {
  // An IPP that never switches off is Poisson: the one-dimensional reservation chain.
  const InterruptedPoisson on{7.0, 0.0, 1.0};
  const MixedBlocking m = mixed_blocking(14, 2, 3.0, on);
  const ReservationBlocking r = reservation_blocking(14, 2, 3.0, 7.0);
  EXPECT_NEAR(m.poisson, r.first_choice, 1e-12);
  EXPECT_NEAR(m.peaked, r.overflow, 1e-12);
}

// Call congestion of a renewal stream on c circuits (GI/M/c/c), Takacs:
// 1 / B = sum_j binom(c, j) prod_{i=1..j} (1 - f(i)) / f(i), f the interarrival LST; for an
// IPP, f(s) = rate (s + off_to_on) / ((s + rate + on_to_off)(s + off_to_on) - on_to_off
// off_to_on).
double takacs_ipp(const InterruptedPoisson& ipp, int c) {
  const auto f = [&](double s) {
    return ipp.rate * (s + ipp.off_to_on) /
           ((s + ipp.rate + ipp.on_to_off) * (s + ipp.off_to_on) - ipp.on_to_off * ipp.off_to_on);
  };
  double sum = 1.0, product = 1.0, binom = 1.0;
  for (int j = 1; j <= c; ++j) {
    product *= (1.0 - f(j)) / f(j);
    binom = binom * (c - j + 1) / j;
    sum += binom * product;
  }
  return 1.0 / sum;
}

TEST(MixedBlocking, IppAloneMatchesTakacs) {
  for (const InterruptedPoisson& ipp :
       {InterruptedPoisson{20.0, 2.0, 0.5}, InterruptedPoisson{49.03, 3.795, 0.786},
        InterruptedPoisson{5.0, 0.1, 0.3}}) {
    for (const int c : {1, 4, 12, 30}) {
      const double reference = takacs_ipp(ipp, c);
      EXPECT_NEAR(mixed_blocking(c, 0, 0.0, ipp).peaked, reference, 1e-10 + 1e-9 * reference)
          << ipp.rate << " " << c;
    }
  }
}

TEST(MixedBlocking, ReservationProtectsFirstChoiceTraffic) {
  const InterruptedPoisson burst{12.0, 1.0, 0.5};
  const MixedBlocking open = mixed_blocking(30, 0, 20.0, burst);
  const MixedBlocking reserved = mixed_blocking(30, 4, 20.0, burst);
  EXPECT_GT(open.peaked, open.poisson);  // peaked traffic meets more than time congestion
  EXPECT_LT(reserved.poisson, open.poisson);
  EXPECT_GT(reserved.peaked, open.peaked);
  EXPECT_EQ(mixed_blocking(5, 5, 1.0, burst).peaked, 1.0);  // every circuit reserved
}

TEST(InterruptedPoissonFit, HasTheMomentsAndMeetsTheErtBlocking) {
  const PeakedTraffic o = overflow_moments(265.0, 257.97);
  const InterruptedPoisson ipp = ert_interrupted_poisson(o.mean, o.variance, 12);
  EXPECT_NEAR(ipp.mean(), o.mean, 1e-9 * o.mean);
  EXPECT_NEAR(ipp.peakedness(), o.peakedness(), 1e-9 * o.peakedness());
  EXPECT_NEAR(mixed_blocking(12, 0, 0.0, ipp).peaked, ert_blocking(o.mean, o.variance, 12.0), 1e-9);
  // With 2 of 14 circuits reserved and no first-choice traffic, overflow sees 12 circuits.
  EXPECT_NEAR(group_blocking(14, 2, 0.0, o.mean, o.variance).overflow, 0.415134, 1e-5);
  EXPECT_THROW(fit_interrupted_poisson(1.0, 1.0, 5, 0.1), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis
