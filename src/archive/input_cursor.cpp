// input_cursor.cpp - buffered reads for the archive parser.
#include "archive/input_cursor.h"

#include <algorithm>

#include "archive/format.h"

namespace lmzip::archive {

InputCursor::InputCursor(ByteSource& source) : source_(source), buffer_(std::size_t{1} << 16) {}

bool InputCursor::fill() {
  if (pos_ < len_) return true;
  if (at_end_) return false;
  pos_ = 0;
  len_ = source_.read(buffer_);
  if (len_ == 0) at_end_ = true;
  return len_ > 0;
}

void InputCursor::consume(std::size_t n) {
  if (digest_) digest_->update(ByteView(buffer_.data() + pos_, n));
  pos_ += n;
  consumed_ += n;
}

int InputCursor::peek() { return fill() ? buffer_[pos_] : -1; }

bool InputCursor::read(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (!fill()) return false;
    const std::size_t n = std::min(out.size() - done, len_ - pos_);
    std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin() + static_cast<std::ptrdiff_t>(done));
    consume(n);
    done += n;
  }
  return true;
}

bool InputCursor::skip(std::uint64_t n) {
  while (n > 0) {
    if (!fill()) return false;
    const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, len_ - pos_));
    consume(k);
    n -= k;
  }
  return true;
}

bool InputCursor::read_u32(std::uint32_t& v) {
  std::uint8_t b[4];
  if (!read(b)) return false;
  v = format::get_u32(b);
  return true;
}

bool InputCursor::read_u64(std::uint64_t& v) {
  std::uint8_t b[8];
  if (!read(b)) return false;
  v = format::get_u64(b);
  return true;
}

InputCursor::VarintStatus InputCursor::read_varint(std::uint64_t& v) {
  v = 0;
  for (int i = 0; i < 10; ++i) {
    if (!fill()) return VarintStatus::end;
    const std::uint8_t b = buffer_[pos_];
    consume(1);
    if (i == 9 && b > 1) return VarintStatus::malformed;  // would exceed 64 bits
    v |= std::uint64_t{b & 0x7Fu} << (7 * i);
    if ((b & 0x80) == 0) return (b == 0 && i > 0) ? VarintStatus::malformed : VarintStatus::ok;
  }
  return VarintStatus::malformed;
}

void InputCursor::begin_digest() { digest_ = std::make_unique<Xxh64>(); }

std::uint64_t InputCursor::digest() const { return digest_ ? digest_->digest() : 0; }

}  // namespace lmzip::archive
