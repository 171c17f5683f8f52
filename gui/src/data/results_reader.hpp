#pragma once
// Reads what `telsim run`, `telsim sweep` and `telsim compare` write into view_data values.
#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "view_data.hpp"

namespace telsim::view {

/// A file or folder that is not something telsim wrote; what() names it and says why, e.g.
/// "notes.json is not a telsim results file: it has no \"telsim\": 1 key".
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Opens a results file, a compare.json, a sweep folder or its summary.json. Throws
/// ReadError for anything else (unreadable, not JSON, not telsim, another format version,
/// an unfinished sweep).
Document read_document(const std::filesystem::path& path);

/// Builds a Run from a parsed results document (SPEC §5). `where` names it in errors.
Run run_from_json(const nlohmann::ordered_json& document, const std::string& where);

}  // namespace telsim::view
