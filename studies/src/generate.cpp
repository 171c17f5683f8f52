// `telsim generate`: a national network as a scenario file. The model is
// described in docs/generate.md; in short:
//  - local exchanges at uniform random places in a square, sizes lognormal,
//    scaled to the subscriber total (at least 2 each);
//  - tandems at the places of the largest locals, each local homed on the
//    nearest tandem, tandems fully meshed;
//  - each local keeps `local_fraction` of its traffic inside itself and sends
//    the rest to its `partners` strongest gravity partners (weight
//    size_j / distance^k), in proportion to the weights;
//  - a pair whose both-way traffic reaches `direct_erlangs` gets a direct group
//    (first choice) with overflow to the tandem path; every group is sized by
//    Erlang B for the grade of service on the circuit occupancy offered to it
//    (first-choice traffic plus the expected overflow, treated as Poisson).
#include "telsim/studies/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "telsim/analysis/erlang.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/sim/random.hpp"

namespace telsim::studies {

using scenarios::load_scenario_text;
using scenarios::run_scenario;
using scenarios::RunOptions;
using scenarios::Scenario;
namespace {

// The answer model every relation gets (docs/generate.md).
constexpr double answer_probability = 0.9;
constexpr double answer_delay_mean = 6.0;
constexpr double answer_timeout = 30.0;

const std::vector<std::string>& known_policy_types() {
  static const std::vector<std::string> types{"none",   "redial",  "callback",
                                              "campon", "intrude", "message"};
  return types;
}

// The policy instance written for each type of the mix (the `none` type needs none).
std::string policy_block(const std::string& type) {
  if (type == "redial")
    return "  redial:\n    type: redial\n    delay: {exponential: {mean: 60}}\n"
           "    persistence: 0.7\n    max_attempts: 4\n";
  if (type == "callback") return "  callback:\n    type: callback\n    expiry: 2700\n";
  if (type == "campon")
    return "  campon:\n    type: campon\n    patience: {exponential: {mean: 60}}\n";
  if (type == "intrude") return "  intrude:\n    type: intrude\n";
  if (type == "message")
    return "  message:\n    type: message\n    reaction: {exponential: {mean: 300}}\n";
  throw std::invalid_argument("unknown policy type '" + type + "'");
}

double normal(sim::RandomStream& rng) {
  // Box-Muller, one variate per call (the second is dropped: simpler to reproduce).
  const double u1 = rng.uniform_open0();
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

// Largest-remainder apportionment of `total` over `weights`, each at least `floor_each`.
std::vector<std::uint64_t> apportion(const std::vector<double>& weights, std::uint64_t total,
                                     std::uint64_t floor_each) {
  const std::size_t n = weights.size();
  std::vector<std::uint64_t> out(n, floor_each);
  const std::uint64_t rest = total - floor_each * n;
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::pair<double, std::size_t>> remainders;
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double exact = static_cast<double>(rest) * weights[i] / sum;
    const auto whole = static_cast<std::uint64_t>(std::floor(exact));
    out[i] += whole;
    given += whole;
    remainders.emplace_back(exact - static_cast<double>(whole), i);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t k = 0; given < rest; ++k, ++given) ++out[remainders[k % n].second];
  return out;
}

std::string local_name(std::size_t i) {
  return fmt::format("E{:03}", i + 1);
}
std::string tandem_name(std::size_t t) {
  return fmt::format("T{:02}", t + 1);
}

double distance(const GeneratedExchange& a, const GeneratedExchange& b) {
  return std::max(1.0, std::hypot(a.x_km - b.x_km, a.y_km - b.y_km));  // at least 1 km
}

void check(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// A pair's routing: its direct group (if any), then the tandem path.
struct RouteOut {
  std::size_t a, b;
  std::string direct;
  std::vector<std::string> tandem_chain;
};

// The scenario file for the network as sized now.
std::string scenario_text(const GenerateOptions& o, const GeneratedNetwork& net,
                          const std::vector<RouteOut>& routes, double reach) {
  std::string y;
  y.reserve(1 << 20);
  const auto mix_text = [&] {
    std::string s;
    for (const auto& [type, weight] : o.policy_mix)
      s += fmt::format("{}{}={}", s.empty() ? "" : ",", type, weight);
    return s;
  }();
  y += fmt::format(
      "# A national network: {} local exchanges under {} tandems, {} subscribers.\n"
      "# Written by telsim generate (docs/generate.md); the same command writes the same bytes:\n"
      "#   telsim generate --exchanges {} --subscribers {} --tandems {} --gos {} "
      "--erlangs-per-sub {} --holding {} --policy-mix {} --seed {} --partners {} "
      "--local-fraction {} --distance-exponent {} --size-sigma {} --area-km {} --direct-erlangs {} "
      "--replications {} "
      "--warmup {} --duration {} --name {} {}--out FILE\n"
      "# Trunk groups are sized by Erlang B for the grade of service on the circuit\n"
      "# occupancy routed onto them: {:.1f} s per call with the\n"
      "# answer model, for the {:.1f}% of attempts whose caller and callee have a free line;\n"
      "# direct groups overflow to the tandem path.\n",
      o.exchanges, o.tandems, o.subscribers, o.exchanges, o.subscribers, o.tandems, o.gos,
      o.erlangs_per_sub, o.mean_holding, mix_text, o.seed, o.partners, o.local_fraction,
      o.distance_exponent, o.size_sigma, o.area_km, o.direct_erlangs, o.replications, o.warmup,
      o.duration, o.name,
      o.pilot_passes == 0
          ? std::string("--no-pilot ")
          : fmt::format("--pilot-passes {} --pilot-duration {} ", o.pilot_passes, o.pilot_duration),
      net.circuit_holding, 100.0 * reach);
  if (o.pilot_passes > 0) {
    y += fmt::format(
        "# Then re-sized by pilot simulations (up to {} passes of {} replications of {} s after\n"
        "# the warm-up): each group gets at least the Erlang B circuits for the load the pilot\n"
        "# offered it, more where it blocked above the grade of service (peaky overflow);\n"
        "# pilot passes run: {}, re-sized after the last: {}. Each group's comment gives the\n"
        "# load and circuits of the first-attempt sizing and the load and blocking its last\n"
        "# pilot measured.\n",
        o.pilot_passes, o.pilot_replications, o.pilot_duration, net.pilot_passes_run,
        net.pilot_resized_after_last ? "yes" : "no");
  } else {
    y += "# Each group's comment gives the load it was sized for.\n";
  }
  y += "telsim: 1\n";
  y += fmt::format("name: {}\nseed: {}\nreplications: {}\nwarmup: {}\nduration: {}\n\n", o.name,
                   o.seed, o.replications, o.warmup, o.duration);
  const bool with_intrude = std::any_of(net.relations.begin(), net.relations.end(),
                                        [](const auto& r) { return r.policy == "intrude"; });
  y += "exchanges:\n";
  for (const auto& e : net.locals) {
    if (with_intrude) {
      y += fmt::format("  - {{name: {}, completion: {{bridges: 2}}}}\n", e.name);
    } else {
      y += fmt::format("  - {{name: {}}}\n", e.name);
    }
  }
  for (const auto& t : net.tandems) y += fmt::format("  - {{name: {}}}\n", t.name);
  y += "\nsubscribers:\n";
  for (const auto& e : net.locals) {
    y += fmt::format("  - {{name: subs-{}, exchange: {}, count: {}, lines: 1}}\n", e.name, e.name,
                     e.subscribers);
  }
  y += "\ntrunk_groups:\n";
  for (const auto& g : net.groups) {
    if (o.pilot_passes == 0) {
      y += fmt::format("  - {{name: {}, between: [{}, {}], circuits: {}}}  # {:.2f} E offered\n",
                       g.name, g.a, g.b, g.circuits, g.offered_erlangs);
    } else {
      y += fmt::format(
          "  - {{name: {}, between: [{}, {}], circuits: {}}}  # first {:.2f} E, {} circuits; "
          "pilot {:.2f} E, blocking {:.4f}\n",
          g.name, g.a, g.b, g.circuits, g.first_offered_erlangs, g.first_circuits,
          g.offered_erlangs, g.pilot_blocking);
    }
  }
  y += "\nroutes:\n";
  for (const auto& r : routes) {
    std::string via = "[";
    if (!r.direct.empty()) via += "[" + r.direct + "], ";
    via += "[";
    for (std::size_t k = 0; k < r.tandem_chain.size(); ++k)
      via += (k > 0 ? ", " : "") + r.tandem_chain[k];
    via += "]]";
    y += fmt::format("  - {{from: {}, to: {}, via: {}}}\n", net.locals[r.a].name,
                     net.locals[r.b].name, via);
  }
  y += "\ntraffic:\n";
  for (const auto& r : net.relations) {
    y += fmt::format(
        "  - {{name: {}, from: subs-{}, to: subs-{}, arrivals: {{poisson: {{rate: {}}}}}, "
        "holding: {{exponential: {{mean: {}}}}}, answer: {{probability: {}, delay: "
        "{{exponential: {{mean: {}}}}}, timeout: {}}}{}}}\n",
        r.name, net.locals[r.from].name, net.locals[r.to].name, r.erlangs / o.mean_holding,
        o.mean_holding, answer_probability, answer_delay_mean, answer_timeout,
        r.policy == "none" ? std::string() : ", completion: " + r.policy);
  }
  std::vector<std::string> used;
  for (const auto& [type, weight] : o.policy_mix) {
    if (type == "none" || weight <= 0.0) continue;
    if (std::any_of(net.relations.begin(), net.relations.end(),
                    // Init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
                    [&t = type](const auto& r) { return r.policy == t; }))
      used.push_back(type);
  }
  if (!used.empty()) {
    y += "\npolicies:\n";
    for (const auto& type : used) y += policy_block(type);
  }
  return y;
}

// Pilot sizing (docs/generate.md): simulate the scenario as sized, measure what
// each group is offered (carried / (1 - call blocking)) and how much it blocks,
// and re-size; repeat until every group blocks at most `pilot_tolerance` x gos
// or the passes are spent. Groups only grow, so the passes converge.
void pilot_resize(const GenerateOptions& o, GeneratedNetwork& net,
                  const std::vector<RouteOut>& routes, double reach) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  for (std::uint32_t pass = 0; pass < o.pilot_passes; ++pass) {
    Scenario s = load_scenario_text(net.yaml, o.name + ".yaml", {}, registry);
    s.replications = o.pilot_replications;
    s.precision.reset();
    s.warmup = o.warmup;
    s.duration = o.pilot_duration;
    // Not the scenario's own seed: the run that checks the file should not see
    // the sample paths the file was sized on.
    s.seed = o.seed + 0x9E3779B97F4A7C15ULL * (pass + 1);
    RunOptions run;
    run.threads = 2;  // the results do not depend on the threads
    const analysis::RunResults r = run_scenario(s, registry, run);
    net.pilot_passes_run = pass + 1;
    bool all_met = true;
    std::vector<std::pair<double, double>> measured(net.groups.size(), {-1.0, 0.0});
    for (std::size_t k = 0; k < net.groups.size(); ++k) {
      GeneratedGroup& g = net.groups[k];
      const std::string prefix = "trunk_groups." + g.name;
      const auto blocking = r.metrics.statistic(prefix + ".call_blocking").mean;
      const auto carried = r.metrics.statistic(prefix + ".carried_erlangs").mean;
      if (!blocking || !carried) continue;  // no attempt reached the group
      measured[k] = {*carried / (1.0 - std::min(*blocking, 0.95)), *blocking};
      if (*blocking > o.pilot_tolerance * o.gos) all_met = false;
    }
    if (all_met) {
      for (std::size_t k = 0; k < net.groups.size(); ++k)
        if (measured[k].first >= 0.0) {
          net.groups[k].offered_erlangs = measured[k].first;
          net.groups[k].pilot_blocking = measured[k].second;
        }
      net.pilot_resized_after_last = false;
      net.yaml = scenario_text(o, net, routes, reach);
      return;
    }
    for (std::size_t k = 0; k < net.groups.size(); ++k) {
      GeneratedGroup& g = net.groups[k];
      const auto [load, blocking] = measured[k];
      if (load < 0.0) continue;
      g.offered_erlangs = load;
      g.pilot_blocking = blocking;
      std::uint32_t n = std::max(g.circuits, erlang_b_circuits(load, o.gos));
      if (blocking > o.gos && load > 0.0) {
        // Blocking above Erlang B's for the measured load: peakier than Poisson
        // (overflow) or upstream changes. Size for the Poisson load that blocks
        // as much on these circuits, at most 3 times the measured one.
        const double equivalent = analysis::erlang_b_load(g.circuits, blocking, 3.0 * load + 1.0);
        n = std::max(n, erlang_b_circuits(std::clamp(equivalent, load, 3.0 * load), o.gos));
      }
      g.circuits = n;
    }
    net.pilot_resized_after_last = true;
    net.yaml = scenario_text(o, net, routes, reach);
  }
}

}  // namespace

std::uint32_t erlang_b_circuits(double load, double gos) {
  check(std::isfinite(load) && load >= 0.0, "the offered load must be finite and >= 0");
  check(gos > 0.0 && gos < 1.0, "the grade of service must be in (0, 1)");
  const auto n = analysis::erlang_b_circuits(load, gos, std::numeric_limits<std::uint32_t>::max());
  check(n.has_value(), "the offered load needs more circuits than a trunk group can have");
  return static_cast<std::uint32_t>(*n);
}

std::vector<std::pair<std::string, double>> parse_policy_mix(const std::string& text) {
  std::vector<std::pair<std::string, double>> mix;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t eq = item.find('=');
    check(eq != std::string::npos && eq > 0,
          "--policy-mix: expected TYPE=WEIGHT, got '" + item + "'");
    const std::string type = item.substr(0, eq);
    const std::string weight_text = item.substr(eq + 1);
    double weight = 0.0;
    std::size_t used = 0;
    try {
      weight = std::stod(weight_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    check(used == weight_text.size() && used > 0 && std::isfinite(weight) && weight >= 0.0,
          "--policy-mix: the weight of '" + type + "' must be a number >= 0, got '" + weight_text +
              "'");
    for (const auto& [t, w] : mix) check(t != type, "--policy-mix: '" + type + "' is given twice");
    mix.emplace_back(type, weight);
    start = comma + 1;
  }
  return mix;
}

GeneratedNetwork generate_network(const GenerateOptions& o) {
  check(o.exchanges >= 2, "--exchanges must be at least 2");
  check(o.exchanges <= 999, "--exchanges must be at most 999");
  check(o.tandems >= 1 && o.tandems <= 99 && o.tandems <= o.exchanges,
        "--tandems must be in 1..99 and at most --exchanges");
  check(o.subscribers >= 2ULL * o.exchanges, "--subscribers must be at least 2 per exchange");
  check(o.gos > 0.0 && o.gos < 1.0, "--gos must be in (0, 1)");
  check(o.erlangs_per_sub > 0.0 && o.erlangs_per_sub < 1.0, "--erlangs-per-sub must be in (0, 1)");
  check(o.mean_holding > 0.0 && std::isfinite(o.mean_holding), "--holding must be > 0");
  check(o.local_fraction >= 0.0 && o.local_fraction <= 1.0, "--local-fraction must be in [0, 1]");
  check(o.partners >= 1, "--partners must be at least 1");
  check(o.distance_exponent >= 0.0, "--distance-exponent must be >= 0");
  check(o.size_sigma >= 0.0, "--size-sigma must be >= 0");
  check(o.area_km > 0.0, "--area-km must be > 0");
  check(o.direct_erlangs > 0.0, "--direct-erlangs must be > 0");
  check(o.replications >= 1, "--replications must be at least 1");
  check(o.duration > 0.0 && o.warmup >= 0.0, "--duration must be > 0 and --warmup >= 0");
  check(o.pilot_passes == 0 || (o.pilot_duration > 0.0 && std::isfinite(o.pilot_duration)),
        "--pilot-duration must be > 0");
  check(o.pilot_passes <= 20, "--pilot-passes must be at most 20");
  check(o.pilot_replications >= 1, "the pilot needs at least one replication");
  check(o.pilot_tolerance >= 1.0, "the pilot tolerance must be at least 1");
  check(!o.policy_mix.empty(), "--policy-mix names no policy");
  double mix_total = 0.0;
  for (const auto& [type, weight] : o.policy_mix) {
    check(std::find(known_policy_types().begin(), known_policy_types().end(), type) !=
              known_policy_types().end(),
          "--policy-mix: unknown policy type '" + type +
              "' (none, redial, callback, campon, intrude, message)");
    mix_total += weight;
  }
  check(mix_total > 0.0, "--policy-mix: the weights sum to 0");

  GeneratedNetwork net;
  const std::size_t n = o.exchanges;

  // Sizes and places, each from its own stream.
  sim::RandomStream size_rng = sim::RandomStream::derive(o.seed, 0, "generate/sizes");
  sim::RandomStream place_rng = sim::RandomStream::derive(o.seed, 0, "generate/places");
  sim::RandomStream policy_rng = sim::RandomStream::derive(o.seed, 0, "generate/policies");
  std::vector<double> weights(n);
  for (double& w : weights) w = std::exp(o.size_sigma * normal(size_rng));
  const std::uint64_t floor_each = std::min<std::uint64_t>(100, o.subscribers / n);
  const std::vector<std::uint64_t> sizes = apportion(weights, o.subscribers, floor_each);
  net.locals.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    GeneratedExchange& e = net.locals[i];
    e.name = local_name(i);
    e.subscribers = sizes[i];
    e.x_km = o.area_km * place_rng.uniform01();
    e.y_km = o.area_km * place_rng.uniform01();
  }

  // Tandems at the places of the largest locals; each local homes on the nearest.
  std::vector<std::size_t> by_size(n);
  std::iota(by_size.begin(), by_size.end(), std::size_t{0});
  std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
    return net.locals[a].subscribers > net.locals[b].subscribers;
  });
  for (std::uint32_t t = 0; t < o.tandems; ++t) {
    GeneratedExchange tandem = net.locals[by_size[t]];
    tandem.name = tandem_name(t);
    tandem.subscribers = 0;
    net.tandems.push_back(tandem);
  }
  for (GeneratedExchange& e : net.locals) {
    std::uint32_t best = 0;
    for (std::uint32_t t = 1; t < o.tandems; ++t) {
      if (std::hypot(e.x_km - net.tandems[t].x_km, e.y_km - net.tandems[t].y_km) <
          std::hypot(e.x_km - net.tandems[best].x_km, e.y_km - net.tandems[best].y_km))
        best = t;
    }
    e.home_tandem = best;
  }

  // Traffic: local share, then the strongest gravity partners.
  const std::uint32_t partners = std::min<std::uint32_t>(o.partners, o.exchanges - 1);
  std::vector<std::vector<double>> pair_erlangs(n);  // [min][max - min - 1]: both ways
  for (std::size_t i = 0; i < n; ++i) pair_erlangs[i].assign(n - i - 1, 0.0);
  auto pair = [&](std::size_t a, std::size_t b) -> double& {
    const std::size_t lo = std::min(a, b), hi = std::max(a, b);
    return pair_erlangs[lo][hi - lo - 1];
  };
  for (std::size_t i = 0; i < n; ++i) {
    const double total = static_cast<double>(net.locals[i].subscribers) * o.erlangs_per_sub;
    if (o.local_fraction > 0.0) {
      net.relations.push_back(
          GeneratedRelation{local_name(i) + "-local", static_cast<std::uint32_t>(i),
                            static_cast<std::uint32_t>(i), total * o.local_fraction, "none"});
    }
    std::vector<std::pair<double, std::size_t>> w;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      w.emplace_back(static_cast<double>(net.locals[j].subscribers) /
                         std::pow(distance(net.locals[i], net.locals[j]), o.distance_exponent),
                     j);
    }
    std::partial_sort(w.begin(), w.begin() + partners, w.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    w.resize(partners);
    std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    double sum = 0.0;
    for (const auto& [weight, j] : w) sum += weight;
    const double outgoing = total * (1.0 - o.local_fraction);
    if (outgoing <= 0.0) continue;
    for (const auto& [weight, j] : w) {
      const double erl = outgoing * weight / sum;
      net.relations.push_back(GeneratedRelation{local_name(i) + "-to-" + local_name(j),
                                                static_cast<std::uint32_t>(i),
                                                static_cast<std::uint32_t>(j), erl, "none"});
      pair(i, j) += erl;
    }
  }
  // Policies: one draw per relation from the normalised mix.
  for (GeneratedRelation& r : net.relations) {
    double u = policy_rng.uniform01() * mix_total;
    for (const auto& [type, weight] : o.policy_mix)
      if (weight > 0.0) r.policy = type;  // the last with a weight, should rounding leave u over
    for (const auto& [type, weight] : o.policy_mix) {
      if (u < weight) {
        r.policy = type;
        break;
      }
      u -= weight;
    }
  }

  // Circuit occupancy per call: ringing (answered or timed out) plus the
  // conversation of answered calls (busy callees release at once: ignored,
  // which errs on the safe side).
  const double p_in_time = 1.0 - std::exp(-answer_timeout / answer_delay_mean);
  const double ring = answer_delay_mean * p_in_time;  // E[min(delay, timeout)]
  net.circuit_holding = answer_probability * (ring + p_in_time * o.mean_holding) +
                        (1.0 - answer_probability) * answer_timeout;
  // A call reaches the trunks only if its caller and its callee have a free
  // line: each line is busy about rho = 2 E h_c / H of the time (its own calls
  // and calls to it), so the trunks see (1 - rho)^2 of the attempts.
  net.line_occupancy = 2.0 * o.erlangs_per_sub * net.circuit_holding / o.mean_holding;
  const double reach = (1.0 - net.line_occupancy) * (1.0 - net.line_occupancy);
  const double occupancy_per_erlang = reach * net.circuit_holding / o.mean_holding;

  // Groups: direct where a pair is big enough; the tandem layer carries the rest
  // and the direct groups' overflow.
  std::map<std::pair<std::string, std::string>, std::size_t> group_index;
  auto group = [&](const std::string& a, const std::string& b) -> GeneratedGroup& {
    const auto key = std::make_pair(a, b);
    auto [it, added] = group_index.try_emplace(key, net.groups.size());
    if (added) net.groups.push_back(GeneratedGroup{a + "-" + b, a, b, 0.0, 0});
    return net.groups[it->second];
  };
  // Local-tandem and tandem-tandem groups exist whatever the traffic (the
  // final route must be there), in a fixed order.
  for (std::size_t i = 0; i < n; ++i)
    group(net.locals[i].name, net.tandems[net.locals[i].home_tandem].name);
  for (std::size_t t = 0; t < net.tandems.size(); ++t)
    for (std::size_t u = t + 1; u < net.tandems.size(); ++u)
      group(net.tandems[t].name, net.tandems[u].name);

  std::vector<RouteOut> routes;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double erl = pair(i, j);
      if (erl <= 0.0) continue;
      const double offered = erl * occupancy_per_erlang;
      RouteOut r{i, j, {}, {}};
      double to_tandem = offered;
      if (erl >= o.direct_erlangs) {
        GeneratedGroup& d = group(net.locals[i].name, net.locals[j].name);
        d.offered_erlangs += offered;
        d.circuits = erlang_b_circuits(d.offered_erlangs, o.gos);
        r.direct = d.name;
        to_tandem = offered * analysis::erlang_b(d.circuits, d.offered_erlangs);
      }
      const std::uint32_t ti = net.locals[i].home_tandem, tj = net.locals[j].home_tandem;
      const std::string& tn_i = net.tandems[ti].name;
      const std::string& tn_j = net.tandems[tj].name;
      GeneratedGroup& up = group(net.locals[i].name, tn_i);
      up.offered_erlangs += to_tandem;
      r.tandem_chain.push_back(up.name);
      if (ti != tj) {
        GeneratedGroup& mid = group(std::min(tn_i, tn_j), std::max(tn_i, tn_j));
        mid.offered_erlangs += to_tandem;
        r.tandem_chain.push_back(mid.name);
      }
      GeneratedGroup& down = group(net.locals[j].name, tn_j);
      down.offered_erlangs += to_tandem;
      r.tandem_chain.push_back(down.name);
      routes.push_back(std::move(r));
    }
  }
  for (GeneratedGroup& g : net.groups) g.circuits = erlang_b_circuits(g.offered_erlangs, o.gos);

  for (GeneratedGroup& g : net.groups) {
    g.first_offered_erlangs = g.offered_erlangs;
    g.first_circuits = g.circuits;
  }
  net.yaml = scenario_text(o, net, routes, reach);
  if (o.pilot_passes > 0) pilot_resize(o, net, routes, reach);
  return net;
}

}  // namespace telsim::studies
