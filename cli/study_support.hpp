#pragma once
// What the study commands share: opening the session, choosing the workers (this process
// or the MPI job), turning a study's exceptions into SPEC §4 exit codes, and numbers.
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::cli {

/// FILE as given; or, when there is no such file, FILE.yaml in the current folder, then the
/// scenario library's FILE or FILE.yaml (install_paths.hpp; a note on stderr says which), so
/// that `telsim run erlang-b` works in any folder.
std::string scenario_file(const std::string& file);

/// The session options of a study command (its file found as scenario_file says).
studies::SessionOptions session_options(const StudyArgs& study);

/// Every rank of an MPI job when mpirun started this process (and the build has MPI),
/// else this process alone. Create it before the session: under MPI only rank 0 prints.
std::unique_ptr<studies::Workers> make_workers();

/// Runs `body`, printing what it throws and returning its exit code: a StudyError's own
/// message and code, an interrupt's 130 / 143 ("nothing was written"), anything else as
/// "telsim: error: FILE: WHY" with 3. nullopt when `body` returned normally.
std::optional<int> guarded(const std::string& file, const std::function<void()>& body);

/// Prints the interrupt message and returns 130 / 143.
int report_interrupt(int signal);

/// A number for the tables: 4 significant digits, "n/a" for none.
std::string format_number(const std::optional<double>& value);
/// "mean ± ci95", or just the mean (or "n/a") when there is no interval.
std::string format_estimate(const std::optional<double>& mean, const std::optional<double>& ci95);

}  // namespace telsim::cli
