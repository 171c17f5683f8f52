#pragma once
/// How a study says it cannot go on.
#include <stdexcept>
#include <string>

namespace telsim::studies {

/// SPEC §4's exit codes that a study can end with (signals aside: scenarios::Interrupted).
inline constexpr int exit_expect_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_failed = 3;

/// The exit code after a signal stopped the work: 143 for SIGTERM, 130 for SIGINT.
inline constexpr int exit_code_of_signal(int signal) {
  return signal == 15 ? 143 : 130;
}

/// A study that cannot go on: `what()` is the whole message, as telsim prints it on its
/// standard error (one or more lines, no trailing newline), `exit_code()` the code it
/// exits with (exit_bad_input: nothing was run or written; exit_failed: anything else).
class StudyError : public std::runtime_error {
 public:
  StudyError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace telsim::studies
