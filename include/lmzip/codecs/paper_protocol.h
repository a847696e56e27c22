// lmzip/codecs/paper_protocol.h - how the paper fed bytes to text LLMs, made lossless.
//
// Delétang et al. (2023) gave their text models 7-bit data (REFERENCE.md section 4):
//   text:          every byte >= 128 has its top bit cleared        (ClearTopBit)
//   image, audio:  every byte is shifted right by one (low bit lost) (DropLowBit)
// and their code then scaled the compressed size by 8/7 for the lost bit. lmzip keeps the lost
// bits: split() separates the 7-bit bytes the model sees from the dropped bits, which
// code_dropped_bits() codes with a small adaptive binary model (below), so merge() restores the
// input exactly and the true size can be reported beside the paper's accounting.
//
// The dropped-bit model: an adaptive estimate of P(bit = 1) in one of 4 contexts, the two
// previous dropped bits. Counts n0, n1 start at 0; p1 = (2 n1 + 1) / (2 (n0 + n1) + 2) (the
// Krichevsky-Trofimov estimate), as a 16-bit frequency f1 = floor(65536 (2 n1 + 1) / (2 (n0 + n1) +
// 2)) clamped to 1..65535, f0 = 65536 - f1; both counts are halved (rounding up) when their sum
// reaches 1024, so the estimate follows drifting statistics. Integers only: identical everywhere.
// Bit 0 takes the slot [0, f0), bit 1 the slot [f0, 65536) of lmzip's arithmetic coder.
#pragma once

#include <cstdint>
#include <string_view>

#include "lmzip/bytes.h"

namespace lmzip::codecs {

enum class PaperProtocol { ClearTopBit, DropLowBit };

// The paper's protocol for a kind of data: text -> ClearTopBit, anything else -> DropLowBit.
PaperProtocol paper_protocol_for(std::string_view modality);
std::string_view to_string(PaperProtocol p);  // "clear-top-bit", "drop-low-bit"

struct SplitBytes {
  Bytes seven;    // the 7-bit bytes the model codes (each < 128)
  Bytes dropped;  // one 0/1 byte per input byte: the bit that was dropped
};

SplitBytes split(ByteView raw, PaperProtocol p);
// The inverse of split. @throws lmzip::Error if the sizes differ or a value is out of range.
Bytes merge(ByteView seven, ByteView dropped, PaperProtocol p);

// Codes a sequence of 0/1 values with the dropped-bit model; decode needs the count.
Bytes code_dropped_bits(ByteView bits);
// @throws lmzip::Error never for any input: garbage decodes to arbitrary bits.
Bytes decode_dropped_bits(ByteView coded, std::size_t count);

}  // namespace lmzip::codecs
