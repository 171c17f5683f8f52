#pragma once
// The readable summary table `telsim run` prints (SPEC §4).
#include <cstdio>
#include <vector>

#include "telsim/analysis/expect.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::cli {

void print_summary(std::FILE* out, const scenarios::Scenario& scenario,
                   const analysis::RunResults& results);
void print_checks(std::FILE* out, const std::vector<analysis::CheckResult>& checks);

}  // namespace telsim::cli
