#include "telsim/studies/provenance.hpp"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>

namespace telsim::studies {

std::string sha256_of_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  std::array<char, 65536> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0 &&
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount())) != 1) {
      return {};
    }
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

std::string build_version() {
  return TELSIM_VERSION;
}

std::string build_commit() {
  return TELSIM_COMMIT;
}

analysis::RunInfo make_run_info(const std::filesystem::path& scenario_file,
                                const std::string& command_line, unsigned threads) {
  analysis::RunInfo info;
  info.version = build_version();
  info.commit = build_commit();
  info.scenario_sha256 = sha256_of_file(scenario_file);
  info.command_line = command_line;
  info.started_at = utc_now_iso8601();
  info.threads = static_cast<int>(threads);
  return info;
}

}  // namespace telsim::studies
