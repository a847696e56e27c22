// archive/group_size.h (private) - how many chunks the compressor and decompressor hold at once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace lmzip::archive {

// At least 8 per thread (so threads stay busy) and 1 MiB of chunks (so small chunks do not pay
// a synchronisation per few KB), but no more than 64 MiB unless one chunk per thread needs it.
inline std::size_t chunks_per_group(std::uint32_t chunk_size, unsigned threads) {
  constexpr std::size_t kLow = std::size_t{1} << 20, kHigh = std::size_t{64} << 20;
  const std::size_t t = std::max(1u, threads);
  std::size_t group = std::max<std::size_t>(8 * t, (kLow + chunk_size - 1) / chunk_size);
  if (group * chunk_size > kHigh) group = std::max<std::size_t>(t, kHigh / chunk_size);
  return group;
}

}  // namespace lmzip::archive
