// cursor.h (private) - bounds-checked little-endian reads from a byte image.
//
// Every read checks the bytes it needs against what is left and throws lmzip::Error
// "<label>: <context>: truncated: ..." otherwise, so the parser never reads past the image.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lmzip/bytes.h"
#include "lmzip/error.h"

namespace lmzip::gguf::detail {

class Cursor {
 public:
  Cursor(ByteView bytes, const std::string& label) : bytes_(bytes), label_(label) {}

  std::uint64_t pos() const { return pos_; }
  std::uint64_t remaining() const { return bytes_.size() - pos_; }
  const std::string& label() const { return label_; }

  // What is being read, for messages ("metadata key general.name"); empty for the header.
  void set_context(std::string context) { context_ = std::move(context); }
  const std::string& context() const { return context_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(label_ + ": " + (context_.empty() ? "" : context_ + ": ") + what);
  }

  // Checks that `n` more bytes exist; `what` names them for the message.
  void need(std::uint64_t n, const char* what) const {
    if (n > remaining()) {
      fail(std::string("truncated: ") + what + " needs " + std::to_string(n) + " bytes at offset " +
           std::to_string(pos_) + ", the file has " + std::to_string(bytes_.size()));
    }
  }

  std::uint64_t uint(int size, const char* what) {
    need(static_cast<std::uint64_t>(size), what);
    std::uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i) v = (v << 8) | bytes_[static_cast<std::size_t>(pos_) + static_cast<std::size_t>(i)];
    pos_ += static_cast<std::uint64_t>(size);
    return v;
  }
  std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(uint(1, what)); }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(uint(4, what)); }
  std::uint64_t u64(const char* what) { return uint(8, what); }

  // `n` bytes as a view (checked).
  std::string_view take(std::uint64_t n, const char* what) {
    need(n, what);
    const std::string_view s(reinterpret_cast<const char*>(bytes_.data()) + pos_, static_cast<std::size_t>(n));
    pos_ += n;
    return s;
  }

  // A GGUF string: uint64 length, then the bytes; a length over `max_len` fails before reading.
  std::string string(const char* what, std::uint64_t max_len) {
    const std::uint64_t n = u64(what);
    if (n > max_len) fail(std::string(what) + " is " + std::to_string(n) + " bytes long, over the limit of " + std::to_string(max_len));
    if (n > remaining()) {
      fail(std::string(what) + " length " + std::to_string(n) + " runs past the end of the file (" +
           std::to_string(remaining()) + " bytes left at offset " + std::to_string(pos_) + ")");
    }
    return std::string(take(n, what));
  }

 private:
  ByteView bytes_;
  const std::string& label_;
  std::uint64_t pos_ = 0;
  std::string context_;
};

}  // namespace lmzip::gguf::detail
