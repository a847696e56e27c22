// read_audio_u8: audio file -> 8-bit 16 kHz mono bytes (contract in lmzip/data/audio.h).
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "lmzip/data/audio.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

// floor(a / b) for b > 0.
std::int32_t floor_div(std::int32_t a, std::int32_t b) {
  std::int32_t q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}

// Frames per read call: 64k frames keeps the read buffer small whatever the channel count.
constexpr sf_count_t kReadFrames = 65536;

// Sample formats that libsndfile decodes through floating point. Reading them with
// sf_readf_short would round unscaled values (0.5 -> 0), and libsndfile's optional scaling
// normalises by the file's peak, so they are read as double in [-1, 1] and converted here.
bool is_float_subtype(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_VORBIS:
    case SF_FORMAT_OPUS:
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III: return true;
    default: return false;
  }
}

// x in [-1, 1] -> clamp(floor(32768 x), -32768, 32767): the inverse of s -> s / 32768.
std::int16_t int16_of_unit(double x) {
  const double v = std::floor(x * 32768.0);
  return static_cast<std::int16_t>(std::clamp(v, -32768.0, 32767.0));
}

// libsndfile silently shortens a WAV whose data chunk runs past the end of the file; its log then
// holds "data : <declared> (should be <present>)". Streaming writers put 0 or 0xFFFFFFFF there;
// those are not truncation.
bool wav_data_truncated(SNDFILE* snd) {
  char log[8192] = {};
  sf_command(snd, SFC_GET_LOG_INFO, log, sizeof log);
  const std::string text(log);
  for (std::size_t pos = text.find("data : "); pos != std::string::npos;
       pos = text.find("data : ", pos + 1)) {
    unsigned long long declared = 0, present = 0;
    if (std::sscanf(text.c_str() + pos, "data : %llu (should be %llu)", &declared, &present) == 2 &&
        declared != 0 && declared != 0xFFFFFFFFull && declared > present) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::int16_t> mix_to_mono(const std::int16_t* interleaved, std::size_t frames,
                                      int channels) {
  std::vector<std::int16_t> mono(frames);
  if (channels == 1) {
    std::copy(interleaved, interleaved + frames, mono.begin());
    return mono;
  }
  for (std::size_t f = 0; f < frames; ++f) {
    std::int32_t sum = 0;
    for (int c = 0; c < channels; ++c) sum += interleaved[f * channels + c];
    mono[f] = static_cast<std::int16_t>(floor_div(sum, channels));
  }
  return mono;
}

Bytes read_audio_u8(const std::filesystem::path& file) {
  AudioInfo info;
  return read_audio_u8(file, info);
}

Bytes read_audio_u8(const std::filesystem::path& file, AudioInfo& info) {
  SF_INFO sfinfo{};
  std::unique_ptr<SNDFILE, SndfileCloser> snd(sf_open(file.c_str(), SFM_READ, &sfinfo));
  if (!snd) {
    throw Error(file.string() + ": cannot read audio (libsndfile: " + sf_strerror(nullptr) + ")");
  }
  if (sfinfo.channels <= 0 || sfinfo.channels > 1024 || sfinfo.samplerate <= 0) {
    throw Error(file.string() + ": audio file has a bad channel count or sample rate");
  }
  if (wav_data_truncated(snd.get())) {
    throw Error(file.string() + ": truncated audio (data chunk runs past the end of the file)");
  }
  info = AudioInfo{};
  info.original_rate = sfinfo.samplerate;
  info.channels = sfinfo.channels;

  // Read all frames as int16, mixing each block to mono as it arrives.
  const bool as_float = is_float_subtype(sfinfo.format);
  const auto block_samples = static_cast<std::size_t>(kReadFrames) * sfinfo.channels;
  std::vector<std::int16_t> block(block_samples);
  std::vector<double> float_block(as_float ? block_samples : 0);
  std::vector<std::int16_t> mono;
  if (sfinfo.frames > 0 && sfinfo.frames < (sf_count_t{1} << 32)) {
    mono.reserve(static_cast<std::size_t>(sfinfo.frames));
  }
  while (true) {
    sf_count_t got;
    if (as_float) {
      got = sf_readf_double(snd.get(), float_block.data(), kReadFrames);
      for (sf_count_t i = 0; i < got * sfinfo.channels; ++i) {
        block[static_cast<std::size_t>(i)] = int16_of_unit(float_block[static_cast<std::size_t>(i)]);
      }
    } else {
      got = sf_readf_short(snd.get(), block.data(), kReadFrames);
    }
    if (got <= 0) break;
    const auto part = mix_to_mono(block.data(), static_cast<std::size_t>(got), sfinfo.channels);
    mono.insert(mono.end(), part.begin(), part.end());
  }
  if (sf_error(snd.get()) != SF_ERR_NO_ERROR) {
    throw Error(file.string() + ": corrupt audio after " + std::to_string(mono.size()) +
                " frames (libsndfile: " + sf_strerror(snd.get()) + ")");
  }
  if (sfinfo.frames != SF_COUNT_MAX && static_cast<sf_count_t>(mono.size()) < sfinfo.frames) {
    throw Error(file.string() + ": truncated audio (" + std::to_string(mono.size()) + " of " +
                std::to_string(sfinfo.frames) + " frames)");
  }
  info.frames = mono.size();

  if (sfinfo.samplerate != kAudioRate) {
    try {
      mono = resample_int16(mono, sfinfo.samplerate, kAudioRate);
    } catch (const Error& e) {
      throw Error(file.string() + ": " + e.what());
    }
    info.resampled = true;
  }
  Bytes out(mono.size());
  std::transform(mono.begin(), mono.end(), out.begin(), audio_u8_of_int16);
  return out;
}

}  // namespace lmzip::data
