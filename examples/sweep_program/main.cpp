// A program that embeds telsim: it sweeps the circuits of one trunk group through the
// studies library (the same code `telsim sweep` runs) and prints the smallest size whose
// simulated call blocking meets a grade of service.
//
//   telsim-example-sweep SCENARIO.yaml GROUP FIRST:LAST:POINTS GOS OUT_DIR
//   telsim-example-sweep scenarios/library/erlang-b.yaml AB 18:26:5 0.01 /tmp/ab
#include <atomic>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>

#include "telsim/analysis/results_reader.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/study_error.hpp"
#include "telsim/studies/sweep.hpp"
#include "telsim/studies/workers.hpp"

namespace studies = telsim::studies;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: " << argv[0] << " SCENARIO.yaml GROUP FIRST:LAST:POINTS GOS OUT_DIR\n";
    return 2;
  }
  const std::string group = argv[2];
  const double gos = std::stod(argv[4]);
  try {
    studies::SessionOptions session_options;
    session_options.file = argv[1];
    session_options.threads = 2;
    studies::Session session(session_options);  // loads the file and its plug-ins once

    studies::SweepOptions sweep;
    sweep.vary = {"trunk_groups." + group + ".circuits=" + argv[3]};
    sweep.out = argv[5];
    sweep.resume = true;  // a second run keeps the points it finds
    studies::LocalWorkers workers;
    const std::atomic<int> never_stopped{0};
    const studies::SweepReport report = studies::run_sweep(session, sweep, workers, never_stopped);

    // Each point's results file, read back as telsim wrote it.
    const std::string blocking = "trunk_groups." + group + ".call_blocking";
    std::string answer = "none of them";
    for (const auto& point : report.points) {
      std::ifstream in(report.out / "points" / (point.name + ".json"));
      const auto results = telsim::analysis::read_results(nlohmann::ordered_json::parse(in));
      const auto statistic = results.metrics.statistic(blocking);
      std::printf("%s  call blocking %.4f ± %.4f\n", point.values.c_str(),
                  statistic.mean.value_or(1.0), statistic.ci95.value_or(0.0));
      if (answer == "none of them" && statistic.mean && *statistic.mean <= gos) {
        answer = point.values;
      }
    }
    std::printf("smallest size with call blocking <= %g: %s\n", gos, answer.c_str());
    return 0;
  } catch (const studies::StudyError& e) {
    std::cerr << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 3;
  }
}
