// `telsim generate [options] --out FILE.yaml`: writes a national network
// scenario (docs/generate.md). The model and its pilot sizing live in studies/
// (generate.hpp); this file parses, writes through the one atomic writer and says
// what it wrote.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "commands.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/studies/generate.hpp"

namespace telsim::cli {

int generate_command(const GenerateArgs& args) {
  studies::GenerateOptions o;
  try {
    o.exchanges = args.exchanges;
    o.subscribers = args.subscribers;
    o.tandems = args.tandems;
    o.gos = args.gos;
    o.erlangs_per_sub = args.erlangs_per_sub;
    o.mean_holding = args.holding;
    o.policy_mix = studies::parse_policy_mix(args.policy_mix);
    o.seed = args.seed;
    o.partners = args.partners;
    o.local_fraction = args.local_fraction;
    o.distance_exponent = args.distance_exponent;
    o.size_sigma = args.size_sigma;
    o.area_km = args.area_km;
    o.direct_erlangs = args.direct_erlangs;
    o.replications = args.replications;
    o.warmup = args.warmup;
    o.duration = args.duration;
    o.pilot_passes = args.no_pilot ? 0 : args.pilot_passes;
    o.pilot_duration = args.pilot_duration;
    if (args.name) o.name = *args.name;
    const studies::GeneratedNetwork net = studies::generate_network(o);
    // The one writer of every output: atomic, and a device or pipe written in place.
    analysis::write_file_atomically(args.out, net.yaml);
    std::size_t circuits = 0;
    for (const auto& g : net.groups) circuits += g.circuits;
    fmt::print(
        "{}: {} exchanges ({} tandems), {} subscribers, {} trunk groups ({} circuits), "
        "{} traffic relations\n",
        args.out, net.locals.size() + net.tandems.size(), net.tandems.size(), o.subscribers,
        net.groups.size(), circuits, net.relations.size());
    if (o.pilot_passes > 0) {
      double worst = 0.0;
      for (const auto& g : net.groups) worst = std::max(worst, g.pilot_blocking);
      fmt::print("pilot sizing: {} pass(es), worst group call blocking in the last {:.4f}{}\n",
                 net.pilot_passes_run, worst,
                 net.pilot_resized_after_last ? " (re-sized after it)" : "");
    }
    return exit_ok;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "telsim generate: error: {}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim generate: error: {}\n", e.what());
    return exit_error;
  }
}

}  // namespace telsim::cli
