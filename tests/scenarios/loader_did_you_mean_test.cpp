// Suggestions for misspelt keys and names.
#include <gtest/gtest.h>

// Internal to the loader, but small and worth pinning down directly.
#include "../../scenarios/src/yaml_checks.hpp"
#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using detail::did_you_mean;
using detail::edit_distance;

TEST(DidYouMean, EditDistance) {
  EXPECT_EQ(edit_distance("circuts", "circuits"), 1u);
  EXPECT_EQ(edit_distance("hmoes", "homes"), 1u);  // a transposition is one edit
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, PicksTheClosest) {
  const std::vector<std::string> keys = {"name", "between", "circuits", "reserve"};
  EXPECT_EQ(did_you_mean("circuts", keys), " (did you mean 'circuits'?)");
  EXPECT_EQ(did_you_mean("reserv", keys), " (did you mean 'reserve'?)");
  EXPECT_EQ(did_you_mean("Circuits", keys), " (did you mean 'circuits'?)");
  EXPECT_EQ(did_you_mean("xyzzy", keys), "");
}

TEST(DidYouMean, SoleCandidateOnlyWhenAsked) {
  EXPECT_EQ(did_you_mean("XY", {"AB"}), "");
  EXPECT_EQ(did_you_mean("XY", {"AB"}, true), " (did you mean 'AB'?)");
  EXPECT_EQ(did_you_mean("XY", {}, true), "");
}

TEST(DidYouMean, InMessages) {
  using testing::error_of;
  using testing::with;
  EXPECT_EQ(error_of(with("replicatons: 3\n")),
            "test.yaml:24:1: error: unknown key 'replicatons' in the scenario (did you mean "
            "'replications'?)");
  EXPECT_EQ(error_of(with("limits: {foo: 1}\n")),
            "test.yaml:24:10: error: unknown key 'foo' in 'limits' (expected one of: max_events, "
            "max_pending, max_memory)");
}

}  // namespace
}  // namespace telsim::scenarios
