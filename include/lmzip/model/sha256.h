// lmzip/model/sha256.h - SHA-256 (FIPS 180-4) through libcrypto's EVP interface.
//
// A model's identity is the SHA-256 of its weights file (docs/model.md); archives record it so
// that decoding with any other model is refused.
#pragma once

#include <filesystem>
#include <string>

#include "lmzip/bytes.h"

namespace lmzip::model {

// @return the digest of `data` as 64 lower-case hex digits.
// @throws lmzip::Error if libcrypto fails (out of memory).
std::string sha256_hex(ByteView data);

// The digest of a file's bytes, read in blocks (the file is never held in memory whole).
// @return 64 lower-case hex digits. @throws lmzip::Error naming the file if it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace lmzip::model
