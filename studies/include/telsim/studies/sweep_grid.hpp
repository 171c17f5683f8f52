#pragma once
/// Parameter sweeps (SPEC §4 `sweep`): the one `--vary` grammar (sweep and compare),
/// the grid of points and the summaries built from the points' results files. Pure
/// functions: no file I/O, no threads; telsim/studies/sweep.hpp drives them.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/results.hpp"

namespace telsim::studies {

/// A bad `--vary` argument; `what()` is the message without any prefix.
class VaryError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One `--vary`: a scenario path (as for `--set`) and its values, each a YAML
/// scalar as text, in the order given.
struct VaryAxis {
  std::string key;
  std::vector<std::string> values;
};

/// Parses `KEY=V1,V2,...` (commas inside [] or {} do not split, so flow lists
/// are values) or `KEY=START:STOP:POINTS` (POINTS >= 2 evenly spaced numbers,
/// both ends included, see format_grid_number). Throws VaryError naming the
/// problem: no '=', an empty key, an empty list or item, brackets that do not
/// balance, POINTS not an integer >= 2, START or STOP not a finite number.
VaryAxis parse_vary(std::string_view text);

/// A number of a START:STOP:POINTS range as text: whole numbers without a
/// decimal point ("14"), others with the shortest round-trip form ("0.25").
std::string format_grid_number(double value);

/// The points of the grid: the product of the axes, the first varying slowest.
/// Point i holds one value per axis, in axis order. Throws VaryError if two
/// axes have the same key or there are no axes. O(points x axes).
std::vector<std::vector<std::string>> expand_grid(const std::vector<VaryAxis>& axes);

/// "0000.json", "0001.json", ...: four digits, more past 9999.
std::string point_file_name(std::size_t point);

/// The point's `--set` overrides ("KEY=VALUE"), in axis order.
std::vector<std::string> point_overrides(const std::vector<VaryAxis>& axes,
                                         const std::vector<std::string>& values);

/// One statistic of a results file, by path (SPEC §5).
struct StatisticEntry {
  std::string path;
  nlohmann::ordered_json mean;  ///< a number or null, exactly as the results file has it
  nlohmann::ordered_json ci95;
  nlohmann::ordered_json n;
};

/// Every statistic of a point's results (analysis::read_results of its file), in the
/// file's order: what summary.csv, summary.json and results.sqlite hold per point.
std::vector<StatisticEntry> statistics_of(const analysis::RunResults& results);

/// The summaries of a sweep: built from the point documents only, so that a
/// resumed sweep ends byte-identical to an unbroken one.
struct SweepSummary {
  std::vector<VaryAxis> axes;
  std::vector<std::vector<std::string>> points;         ///< values per point
  std::vector<std::string> metrics;                     ///< union of paths, first-seen order
  std::vector<std::vector<StatisticEntry>> statistics;  ///< per point, document order
};

/// `points[i]` is point i's results, read back from its file. O(points x metrics).
SweepSummary summarise(const std::vector<VaryAxis>& axes,
                       const std::vector<analysis::RunResults>& points);

/// summary.csv: header `point,<key>...,<path>.mean,<path>.ci95,...`, one row
/// per point; RFC 4180 quoting; an empty field is null; numbers as in the files.
std::string summary_csv(const SweepSummary& summary);

/// summary.json: {"telsim": 1, "vary": [{"key", "values"}], "metrics": [paths],
/// "points": [{"point", "file", "values": {key: value}, "metrics": {path:
/// {"mean", "ci95", "n"}}}]}. A value that reads as a JSON number or boolean
/// is written as one, otherwise as a string.
std::string summary_json(const SweepSummary& summary);

/// A value of an axis as JSON (see summary_json).
nlohmann::ordered_json grid_value_json(const std::string& text);

}  // namespace telsim::studies
