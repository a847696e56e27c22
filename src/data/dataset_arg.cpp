// parse_dataset_arg: the --data argument grammar.
//
//   arg      = modality "=" paths | "random=" count [ ":" seed ]
//   paths    = path { "," path }           (no path may be empty)
//   count    = digits [ "k" | "K" | "M" | "G" | "Ki" | "Mi" | "Gi" ]
//   seed     = digits                        (decimal, 0 .. 2^64-1)
#include <limits>
#include <string>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

// Parses a decimal unsigned 64-bit number that must fill `digits` entirely.
// @throws lmzip::Error (quoting `arg`) if it is empty, has a non-digit or overflows.
std::uint64_t parse_u64(std::string_view digits, std::string_view what, std::string_view arg) {
  if (digits.empty()) {
    throw Error("bad --data argument '" + std::string(arg) + "': missing " + std::string(what));
  }
  std::uint64_t value = 0;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  for (char c : digits) {
    if (c < '0' || c > '9') {
      throw Error("bad --data argument '" + std::string(arg) + "': " + std::string(what) + " '" +
                  std::string(digits) + "' is not a decimal number");
    }
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - d) / 10) {
      throw Error("bad --data argument '" + std::string(arg) + "': " + std::string(what) +
                  " is too large");
    }
    value = value * 10 + d;
  }
  return value;
}

// "N" with an optional size suffix -> N times the suffix's multiplier.
std::uint64_t parse_byte_count(std::string_view text, std::string_view arg) {
  struct Suffix {
    std::string_view name;
    std::uint64_t multiplier;
  };
  // Two-letter suffixes first so that "Ki" is not read as "K" followed by junk.
  static constexpr Suffix kSuffixes[] = {
      {"Ki", 1ull << 10}, {"Mi", 1ull << 20}, {"Gi", 1ull << 30}, {"k", 1000ull},
      {"K", 1000ull},     {"M", 1000000ull},  {"G", 1000000000ull}};
  std::uint64_t multiplier = 1;
  for (const Suffix& s : kSuffixes) {
    if (text.size() > s.name.size() && text.ends_with(s.name)) {
      multiplier = s.multiplier;
      text.remove_suffix(s.name.size());
      break;
    }
  }
  const std::uint64_t n = parse_u64(text, "byte count", arg);
  if (n > std::numeric_limits<std::uint64_t>::max() / multiplier) {
    throw Error("bad --data argument '" + std::string(arg) + "': byte count is too large");
  }
  return n * multiplier;
}

}  // namespace

DatasetSpec parse_dataset_arg(std::string_view arg) {
  const auto eq = arg.find('=');
  if (eq == std::string_view::npos) {
    throw Error("bad --data argument '" + std::string(arg) +
                "': expected MODALITY=PATH[,PATH...] or random=N[:SEED]");
  }
  DatasetSpec spec;
  std::string_view key = arg.substr(0, eq);
  const auto label_colon = key.find(':');
  spec.modality = parse_modality(key.substr(0, label_colon));
  spec.label = std::string(to_string(spec.modality));
  if (label_colon != std::string_view::npos) {
    spec.label = std::string(key.substr(label_colon + 1));
    if (spec.label.empty()) throw Error("bad --data argument '" + std::string(arg) + "': empty label after ':'");
  }
  std::string_view rest = arg.substr(eq + 1);

  if (spec.modality == Modality::random) {
    const auto colon = rest.find(':');
    spec.random_bytes = parse_byte_count(rest.substr(0, colon), arg);
    if (spec.random_bytes == 0) {
      throw Error("bad --data argument '" + std::string(arg) + "': byte count must be positive");
    }
    if (colon != std::string_view::npos) spec.seed = parse_u64(rest.substr(colon + 1), "seed", arg);
    return spec;
  }

  // Split on commas; every piece must be a non-empty path.
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view piece = rest.substr(0, comma);
    if (piece.empty()) {
      throw Error("bad --data argument '" + std::string(arg) + "': empty path");
    }
    spec.paths.emplace_back(std::string(piece));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return spec;
}

}  // namespace lmzip::data
