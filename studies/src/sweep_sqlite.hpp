#pragma once
// results.sqlite of a sweep (SPEC §4): written through the SQLite C API.
#include <filesystem>

#include "telsim/studies/sweep_grid.hpp"

namespace telsim::studies {

/// Builds the database in `temp_dir`, syncs it and renames it to `target`:
///   points(point INTEGER PRIMARY KEY, "<key>" TEXT, ...)  one column per varied key,
///          named exactly as the key (quoted: keys hold dots), the value as given;
///   metrics(point INTEGER, metric TEXT, mean REAL, ci95 REAL, n INTEGER)  one row per
///          point and statistic, NULL for a null mean or ci95;
///   vary(position INTEGER PRIMARY KEY, key TEXT)  the varied keys, first = slowest.
/// The same summary always gives the same bytes. Throws std::runtime_error naming the
/// path and SQLite's message; nothing is left behind on failure.
void write_sweep_sqlite(const std::filesystem::path& target, const std::filesystem::path& temp_dir,
                        const SweepSummary& summary);

}  // namespace telsim::studies
