// interval.cpp - the out-of-line error path of coding/interval.h.
#include "coding/interval.h"

#include <string>

#include "lmzip/error.h"

namespace lmzip::coding::detail {

void throw_invalid_slot(std::uint32_t cum_low, std::uint32_t freq, std::uint32_t total) {
  throw Error("arithmetic coder: invalid slot [" + std::to_string(cum_low) + ", " +
              std::to_string(std::uint64_t{cum_low} + freq) + ") of total " + std::to_string(total) +
              " (need freq >= 1, the slot inside [0, total), total <= 2^24)");
}

}  // namespace lmzip::coding::detail
