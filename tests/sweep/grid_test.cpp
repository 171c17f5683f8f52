// `--vary` parsing, grid expansion and numbering (unit tests of telsim/scenarios/sweep.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "telsim/studies/sweep_grid.hpp"

namespace telsim::studies {
namespace {

using Strings = std::vector<std::string>;

TEST(ParseVary, List) {
  const VaryAxis axis = parse_vary("trunk_groups.AB.circuits=10,12,15");
  EXPECT_EQ(axis.key, "trunk_groups.AB.circuits");
  EXPECT_EQ(axis.values, (Strings{"10", "12", "15"}));
}

TEST(ParseVary, CommasInsideFlowListsDoNotSplit) {
  EXPECT_EQ(parse_vary("routes.A-B.via=[[AB]],[[AC, CB]]").values,
            (Strings{"[[AB]]", "[[AC, CB]]"}));
}

TEST(ParseVary, RangeIncludesBothEnds) {
  EXPECT_EQ(parse_vary("k=10:30:6").values, (Strings{"10", "14", "18", "22", "26", "30"}));
  EXPECT_EQ(parse_vary("k=0:1:5").values, (Strings{"0", "0.25", "0.5", "0.75", "1"}));
  EXPECT_EQ(parse_vary("k=1:0:2").values, (Strings{"1", "0"}));
  EXPECT_EQ(parse_vary("k=-1:1:3").values, (Strings{"-1", "0", "1"}));
}

TEST(ParseVary, Errors) {
  for (const char* bad :
       {"k=", "=1,2", "k", "k=1,,2", "k=1:2:1", "k=1:2:x", "k=1:2:2.5", "k=a:2:3", "k=1:2:0"}) {
    EXPECT_THROW(parse_vary(bad), VaryError) << bad;
  }
  try {
    parse_vary("k=1:2:1");
  } catch (const VaryError& e) {
    EXPECT_NE(std::string(e.what()).find("POINTS"), std::string::npos) << e.what();
  }
}

TEST(ExpandGrid, FirstVaryingSlowest) {
  const std::vector<VaryAxis> axes{{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}};
  const auto grid = expand_grid(axes);
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(grid[0], (Strings{"1", "x"}));
  EXPECT_EQ(grid[1], (Strings{"1", "y"}));
  EXPECT_EQ(grid[2], (Strings{"1", "z"}));
  EXPECT_EQ(grid[3], (Strings{"2", "x"}));
  EXPECT_EQ(grid[5], (Strings{"2", "z"}));
  EXPECT_EQ(point_overrides(axes, grid[4]), (Strings{"a=2", "b=y"}));
}

TEST(ExpandGrid, DuplicateKeyIsAnError) {
  EXPECT_THROW(expand_grid({{"a", {"1"}}, {"a", {"2"}}}), VaryError);
  EXPECT_THROW(expand_grid({}), VaryError);
}

TEST(PointFileName, FourDigitsFromZero) {
  EXPECT_EQ(point_file_name(0), "0000.json");
  EXPECT_EQ(point_file_name(42), "0042.json");
  EXPECT_EQ(point_file_name(12345), "12345.json");
}

TEST(Summary, CsvColumnsAndNulls) {
  analysis::RunResults point;
  point.metrics.add_replication({{"trunk_groups.AB.call_blocking", 0.5},
                                 {"traffic.r.completion_ratio", std::nullopt},
                                 {"policies.cb.calls", 3.0}});
  const std::vector<VaryAxis> axes{{"k,1", {"7"}}};
  const SweepSummary s = summarise(axes, {point});
  EXPECT_EQ(s.metrics, (Strings{"trunk_groups.AB.call_blocking", "traffic.r.completion_ratio",
                                "policies.cb.calls"}));
  EXPECT_EQ(summary_csv(s),
            "point,\"k,1\",trunk_groups.AB.call_blocking.mean,trunk_groups.AB.call_blocking.ci95,"
            "traffic.r.completion_ratio.mean,traffic.r.completion_ratio.ci95,"
            "policies.cb.calls.mean,policies.cb.calls.ci95\r\n"
            "0,7,0.5,,,,3.0,\r\n");
}

}  // namespace
}  // namespace telsim::studies
