#pragma once
// The one-input functions behind the fuzzers (fuzz/*_fuzzer.cpp) and the
// corpus replay test (tests/fuzz_replay/). Each takes arbitrary bytes and
// returns normally when telsim handled them as it should: a valid scenario
// loads, an invalid one throws ScenarioError with a well-formed
// "FILE:LINE:COLUMN: error:" line. Anything else (another exception, a broken
// error line, a crash) escapes or aborts, which is what a fuzzer reports.
#include <cstddef>
#include <cstdint>

namespace telsim::fuzz {

/// The bytes are a scenario file's text, loaded as "fuzz.yaml". A scenario
/// that loads is also rendered as its resolved JSON (what results files hold).
void load_scenario_input(const std::uint8_t* data, std::size_t size);

/// The bytes are --set arguments, one per line, applied to a fixed scenario
/// that uses every section (so that paths can reach every kind of item).
void set_overrides_input(const std::uint8_t* data, std::size_t size);

}  // namespace telsim::fuzz
