// lmzip/data/audio.h - decoding audio files to the paper's 8-bit, 16 kHz mono samples.
//
// Steps (docs/data.md has the full specification):
//   1. libsndfile opens the file (WAV, FLAC, AIFF, ... anything it supports) and reads every frame
//      as int16 (sf_readf_short; libsndfile converts other sample formats: 8-bit is shifted up,
//      24/32-bit keep their top 16 bits, float [-1, 1] is scaled to int16).
//   2. mono: m = floor((s_1 + ... + s_C) / C) per frame (integer mean, rounded towards minus
//      infinity); single-channel files are kept as they are.
//   3. if the sample rate is not 16000 Hz: resampled to 16000 Hz by libsoxr (soxr_oneshot, int16
//      in and out, quality SOXR_HQ = 20-bit, linear phase, no dither, one thread). Otherwise the
//      samples are untouched.
//   4. u8 = (m >> 8) + 128: the high byte of the signed sample (arithmetic shift), made unsigned.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::data {

inline constexpr int kAudioRate = 16000;

struct AudioInfo {
  int original_rate = 0;         // the file's sample rate in Hz
  int channels = 0;              // the file's channel count
  std::uint64_t frames = 0;      // frames read from the file (before resampling)
  bool resampled = false;        // true when original_rate != 16000
};

// @return the 8-bit samples (one byte per 16 kHz sample).
// @throws lmzip::Error "<file>: <libsndfile message>" if the file cannot be opened or decoded,
//         is truncated (fewer frames than its header declares) or resampling fails.
Bytes read_audio_u8(const std::filesystem::path& file);
Bytes read_audio_u8(const std::filesystem::path& file, AudioInfo& info);

// The pieces of the pipeline, exposed for tests and tools.
// Mono mix of `frames` interleaved frames of `channels` int16 samples (rule 2 above).
std::vector<std::int16_t> mix_to_mono(const std::int16_t* interleaved, std::size_t frames,
                                      int channels);
// Rule 3: libsoxr HQ resampling of mono int16 samples. @throws lmzip::Error on a soxr failure.
std::vector<std::int16_t> resample_int16(const std::vector<std::int16_t>& mono, int from_rate,
                                         int to_rate);
// Rule 4 for one sample.
constexpr std::uint8_t audio_u8_of_int16(std::int16_t s) {
  return static_cast<std::uint8_t>((s >> 8) + 128);
}

}  // namespace lmzip::data
