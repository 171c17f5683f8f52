#pragma once
// Where a result came from (SPEC §5 `run`).
#include <filesystem>
#include <string>

namespace telsim::cli {

/// SHA-256 of the file's bytes, lowercase hex; empty if it cannot be read.
std::string sha256_of_file(const std::filesystem::path& path);
/// Now, UTC, ISO 8601 to the second ("2026-11-24T15:51:13Z").
std::string utc_now_iso8601();
/// The source commit the binary was built from, or "unknown".
std::string build_commit();

}  // namespace telsim::cli
