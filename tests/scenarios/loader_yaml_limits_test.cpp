// The YAML tree's limits, built from parse events: nesting depth, anchors and
// aliases, and where their errors point (also inside a --set value).
#include <string>

#include <gtest/gtest.h>

#include "loader_test_util.hpp"
#include "telsim/scenarios/plugins.hpp"

namespace telsim::scenarios {
namespace {

using testing::error_of;

std::string nested(int levels, const std::string& inner = "1") {
  return std::string(static_cast<std::size_t>(levels), '[') + inner +
         std::string(static_cast<std::size_t>(levels), ']');
}

TEST(YamlLimits, TwoHundredLevelsAreReadAndTheTwoHundredAndFirstIsTooDeep) {
  // The root map is level 0 and x's list level 1: 200 brackets end at 200,
  // and the 201st bracket (column 204 of "x: [[...") is the first too deep.
  EXPECT_EQ(error_of("telsim: 1\nx: " + nested(199) + "\n"),
            "test.yaml:2:1: error: unknown key 'x' in the scenario");
  EXPECT_EQ(error_of("telsim: 1\nx: " + nested(200, "") + "\n").substr(0, 14), "test.yaml:2:1:");
  EXPECT_EQ(error_of("telsim: 1\nx: " + nested(250) + "\n"),
            "test.yaml:2:204: error: nested too deeply (an alias that refers to a node "
            "containing it?)");
  EXPECT_EQ(error_of("telsim: 1\nx: " + nested(200) + "\n"),
            "test.yaml:2:204: error: nested too deeply (an alias that refers to a node "
            "containing it?)")
      << "the scalar inside 200 brackets is level 201";
}

TEST(YamlLimits, AnchorsWithoutAliasesCostNoCopies) {
  // Anchors nested in anchors, each over a long list: with no alias in the
  // file nothing is kept for later, so this reads like the same file without
  // anchors (it was 2 GB and 9 s when every anchored node was copied).
  std::string list = "[";
  for (int i = 0; i < 20000; ++i) list += "1,";
  list += "1]";
  std::string value = list;
  for (int level = 0; level < 150; ++level) {
    value = "&a" + std::to_string(level) + " [" + value + "]";
  }
  const std::string error = error_of("telsim: 1\nx: " + value + "\n");
  EXPECT_NE(error.find("2:1: error: unknown key 'x'"), std::string::npos) << error;
  // With an alias somewhere, the anchored copies count against the budget.
  const std::string aliased = error_of("telsim: 1\nx: " + value + "\ny: *a0\n");
  EXPECT_NE(aliased.find("error: too many nodes under anchors and aliases"), std::string::npos)
      << aliased;
}

TEST(YamlLimits, ErrorsInASetValueCountTheKeyAndEqualsSign) {
  // "seed=" is 5 characters: the alias in "&a [*a]" is at column 10.
  const std::string error = error_of(testing::small_scenario, {"seed=&a [*a]"});
  EXPECT_EQ(error,
            "--set:1:10: error: in the value of 'seed': nested too deeply (an alias that refers "
            "to a node containing it?)");
}

}  // namespace
}  // namespace telsim::scenarios

namespace telsim::scenarios {
namespace {

TEST(PluginPreRead, LeavesATextThatIsNotUtf8ToTheLoader) {
  // The loader reports "not valid UTF-8" before any --set; the plug-in
  // pre-read must not report the --set first, whatever words the file holds.
  const std::string text = "# plugins: none\ntelsim: 1\nname: caf\xe9\n";
  EXPECT_TRUE(read_scenario_plugins("x.yaml", {"no.such.key=1"}, text).empty());
  EXPECT_NE(testing::error_of(text, {"no.such.key=1"}).find("is not valid UTF-8"),
            std::string::npos);
}

}  // namespace
}  // namespace telsim::scenarios
