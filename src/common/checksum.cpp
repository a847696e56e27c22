#include "lmzip/common/checksum.h"

#include <array>
#include <cstdio>
#include <fstream>

#include <xxhash.h>

#include "lmzip/error.h"

namespace lmzip {

struct Xxh64::State {
  XXH64_state_t* s = XXH64_createState();
  ~State() { XXH64_freeState(s); }
};

Xxh64::Xxh64() : state_(std::make_unique<State>()) { XXH64_reset(state_->s, 0); }
Xxh64::~Xxh64() = default;

void Xxh64::update(ByteView bytes) { XXH64_update(state_->s, bytes.data(), bytes.size()); }

std::uint64_t Xxh64::digest() const { return XXH64_digest(state_->s); }

std::uint64_t xxh64(ByteView bytes) { return XXH64(bytes.data(), bytes.size(), 0); }

std::uint64_t xxh64_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open for reading");
  Xxh64 h;
  std::array<char, 1 << 16> buf;
  while (in) {
    in.read(buf.data(), buf.size());
    auto n = in.gcount();
    if (n > 0) h.update(ByteView(reinterpret_cast<const std::uint8_t*>(buf.data()), static_cast<std::size_t>(n)));
  }
  if (in.bad()) throw Error(path.string() + ": read error");
  return h.digest();
}

std::string to_hex64(std::uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace lmzip
