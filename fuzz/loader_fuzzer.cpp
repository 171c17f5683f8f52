// libFuzzer entry point: arbitrary bytes as a scenario file (see fuzz_inputs.hpp).
#include <cstddef>
#include <cstdint>

#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  telsim::fuzz::load_scenario_input(data, size);
  return 0;
}
