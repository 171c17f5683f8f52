#pragma once
/// Where a result came from (SPEC §5 `run`): filled here for every command that writes
/// results (run, sweep, compare), so the three cannot disagree.
#include <filesystem>
#include <string>
#include <string_view>

#include "telsim/analysis/results.hpp"

namespace telsim::studies {

/// SHA-256 of the file's bytes, lowercase hex; empty if it cannot be read.
std::string sha256_of_file(const std::filesystem::path& path);
/// SHA-256 of `bytes`, lowercase hex.
std::string sha256_of_bytes(std::string_view bytes);
/// Now, UTC, ISO 8601 to the second ("2026-11-24T15:51:13Z").
std::string utc_now_iso8601();
/// The telsim version ("0.1.0") and the source commit the library was built from, or "unknown".
std::string build_version();
std::string build_commit();

/// The `run` block of a results file: this build, the hash of the scenario file's bytes
/// the run was made from, the command line as typed, the start time (now) and the threads
/// each run used.
analysis::RunInfo make_run_info(const std::string& scenario_sha256, const std::string& command_line,
                                unsigned threads);

}  // namespace telsim::studies
