// src/codecs/flac_codec.cpp - "flac": the block as 8-bit mono PCM in a native FLAC stream (libFLAC).
//
// Each byte b becomes one signed 8-bit sample b - 128 (the paper's audio bytes are unsigned 8-bit
// with offset 128), mono, 16000 Hz. Settings: compression level 8 (libFLAC's highest preset, the
// settings of `flac -8`), verify off, no extra metadata; libFLAC writes the fLaC marker, STREAMINFO
// (with the MD5 of the samples: the memory sink supports seek/tell, so the encoder rewrites
// STREAMINFO at the end) and a VORBIS_COMMENT block holding only its vendor string.
//
// Any bytes round-trip (text, images, random data), not only audio. The decoder checks the frame
// CRCs, the shape of the stream (mono, 8-bit, total samples = raw_size), the MD5, and that the
// last frame ends at the end of the input.
#include <FLAC/format.h>
#include <FLAC/stream_decoder.h>
#include <FLAC/stream_encoder.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "flac";
constexpr unsigned kSampleRate = 16000;
constexpr unsigned kBitsPerSample = 8;
constexpr unsigned kLevel = 8;
constexpr std::size_t kSamplesPerCall = 1 << 16;  // process_interleaved() takes a 32-bit count

// ---- encoding -------------------------------------------------------------------------------

struct EncodeSink {
  Bytes out;
  std::size_t pos = 0;  // write position (the encoder seeks back to rewrite STREAMINFO)
};

FLAC__StreamEncoderWriteStatus on_encoder_write(const FLAC__StreamEncoder*, const FLAC__byte buffer[],
                                                size_t bytes, uint32_t, uint32_t, void* client) {
  auto* sink = static_cast<EncodeSink*>(client);
  try {
    if (sink->pos + bytes > sink->out.size()) sink->out.resize(sink->pos + bytes);
    std::memcpy(sink->out.data() + sink->pos, buffer, bytes);
    sink->pos += bytes;
  } catch (...) {
    return FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR;
  }
  return FLAC__STREAM_ENCODER_WRITE_STATUS_OK;
}

FLAC__StreamEncoderSeekStatus on_encoder_seek(const FLAC__StreamEncoder*, FLAC__uint64 offset, void* client) {
  auto* sink = static_cast<EncodeSink*>(client);
  if (offset > sink->out.size()) return FLAC__STREAM_ENCODER_SEEK_STATUS_ERROR;
  sink->pos = static_cast<std::size_t>(offset);
  return FLAC__STREAM_ENCODER_SEEK_STATUS_OK;
}

FLAC__StreamEncoderTellStatus on_encoder_tell(const FLAC__StreamEncoder*, FLAC__uint64* offset, void* client) {
  *offset = static_cast<EncodeSink*>(client)->pos;
  return FLAC__STREAM_ENCODER_TELL_STATUS_OK;
}

// ---- decoding -------------------------------------------------------------------------------

struct DecodeState {
  ByteView in;
  std::size_t pos = 0;
  std::size_t raw_size = 0;
  Bytes out;
  std::string error;  // the first problem seen; empty if none

  void fail(std::string message) {
    if (error.empty()) error = std::move(message);
  }
};

FLAC__StreamDecoderReadStatus on_decoder_read(const FLAC__StreamDecoder*, FLAC__byte buffer[], size_t* bytes,
                                              void* client) {
  auto* state = static_cast<DecodeState*>(client);
  std::size_t n = std::min(*bytes, state->in.size() - state->pos);
  if (n == 0) {
    *bytes = 0;
    return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
  }
  std::memcpy(buffer, state->in.data() + state->pos, n);
  state->pos += n;
  *bytes = n;
  return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE;
}

FLAC__StreamDecoderTellStatus on_decoder_tell(const FLAC__StreamDecoder*, FLAC__uint64* offset, void* client) {
  *offset = static_cast<DecodeState*>(client)->pos;
  return FLAC__STREAM_DECODER_TELL_STATUS_OK;
}

FLAC__bool on_decoder_eof(const FLAC__StreamDecoder*, void* client) {
  auto* state = static_cast<DecodeState*>(client);
  return state->pos == state->in.size();
}

FLAC__StreamDecoderWriteStatus on_decoder_write(const FLAC__StreamDecoder*, const FLAC__Frame* frame,
                                                const FLAC__int32* const buffer[], void* client) {
  auto* state = static_cast<DecodeState*>(client);
  if (frame->header.channels != 1 || frame->header.bits_per_sample != kBitsPerSample) {
    state->fail("frame with " + std::to_string(frame->header.channels) + " channels, " +
                std::to_string(frame->header.bits_per_sample) + " bits (expected mono 8-bit)");
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  std::size_t count = frame->header.blocksize;
  if (count > state->raw_size - state->out.size()) {
    state->fail("decodes to more than the expected " + std::to_string(state->raw_size) + " bytes");
    return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  }
  for (std::size_t i = 0; i < count; ++i) {
    FLAC__int32 v = buffer[0][i] + 128;
    if (v < 0 || v > 255) {
      state->fail("sample out of 8-bit range");
      return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
    }
    state->out.push_back(static_cast<std::uint8_t>(v));
  }
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

void on_decoder_metadata(const FLAC__StreamDecoder*, const FLAC__StreamMetadata* metadata, void* client) {
  auto* state = static_cast<DecodeState*>(client);
  if (metadata->type != FLAC__METADATA_TYPE_STREAMINFO) return;
  const FLAC__StreamMetadata_StreamInfo& info = metadata->data.stream_info;
  if (info.channels != 1 || info.bits_per_sample != kBitsPerSample) {
    state->fail("STREAMINFO says " + std::to_string(info.channels) + " channels, " +
                std::to_string(info.bits_per_sample) + " bits (expected mono 8-bit)");
  } else if (info.total_samples != state->raw_size) {
    state->fail("STREAMINFO says " + std::to_string(info.total_samples) + " samples, expected " +
                std::to_string(state->raw_size));
  }
}

void on_decoder_error(const FLAC__StreamDecoder*, FLAC__StreamDecoderErrorStatus status, void* client) {
  static_cast<DecodeState*>(client)->fail(FLAC__StreamDecoderErrorStatusString[status]);
}

// ---- the codec ------------------------------------------------------------------------------

class FlacCodec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return std::string("libFLAC ") + FLAC__VERSION_STRING +
           ", level 8 (= flac -8), mono 16 kHz 8-bit (sample = byte - 128), verify off";
  }

  Bytes compress(ByteView raw) const override {
    std::unique_ptr<FLAC__StreamEncoder, void (*)(FLAC__StreamEncoder*)> enc(FLAC__stream_encoder_new(),
                                                                           FLAC__stream_encoder_delete);
    if (!enc) detail::throw_failure(kName, "FLAC__stream_encoder_new failed");
    bool ok = FLAC__stream_encoder_set_verify(enc.get(), false) &&
              FLAC__stream_encoder_set_channels(enc.get(), 1) &&
              FLAC__stream_encoder_set_bits_per_sample(enc.get(), kBitsPerSample) &&
              FLAC__stream_encoder_set_sample_rate(enc.get(), kSampleRate) &&
              FLAC__stream_encoder_set_compression_level(enc.get(), kLevel) &&
              FLAC__stream_encoder_set_total_samples_estimate(enc.get(), raw.size());
    if (!ok) detail::throw_failure(kName, "setting the encoder options failed");

    EncodeSink sink;
    sink.out.reserve(raw.size() + raw.size() / 8 + 128);
    FLAC__StreamEncoderInitStatus init = FLAC__stream_encoder_init_stream(
        enc.get(), on_encoder_write, on_encoder_seek, on_encoder_tell, nullptr, &sink);
    if (init != FLAC__STREAM_ENCODER_INIT_STATUS_OK) {
      detail::throw_failure(kName, std::string("encoder init failed: ") + FLAC__StreamEncoderInitStatusString[init]);
    }

    std::vector<FLAC__int32> samples;
    for (std::size_t start = 0; start < raw.size(); start += kSamplesPerCall) {
      std::size_t count = std::min(kSamplesPerCall, raw.size() - start);
      samples.resize(count);
      for (std::size_t i = 0; i < count; ++i) samples[i] = static_cast<FLAC__int32>(raw[start + i]) - 128;
      if (!FLAC__stream_encoder_process_interleaved(enc.get(), samples.data(), static_cast<uint32_t>(count))) {
        detail::throw_failure(kName, std::string("encoding failed: ") +
                                         FLAC__stream_encoder_get_resolved_state_string(enc.get()));
      }
    }
    if (!FLAC__stream_encoder_finish(enc.get())) {
      detail::throw_failure(kName, std::string("finishing the stream failed: ") +
                                       FLAC__stream_encoder_get_resolved_state_string(enc.get()));
    }
    return std::move(sink.out);
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(kName, "empty input");
    std::unique_ptr<FLAC__StreamDecoder, void (*)(FLAC__StreamDecoder*)> dec(FLAC__stream_decoder_new(),
                                                                           FLAC__stream_decoder_delete);
    if (!dec) detail::throw_failure(kName, "FLAC__stream_decoder_new failed");
    FLAC__stream_decoder_set_md5_checking(dec.get(), true);

    DecodeState state;
    state.in = packed;
    state.raw_size = raw_size;
    state.out.reserve(raw_size);
    FLAC__StreamDecoderInitStatus init = FLAC__stream_decoder_init_stream(
        dec.get(), on_decoder_read, nullptr, on_decoder_tell, nullptr, on_decoder_eof, on_decoder_write,
        on_decoder_metadata, on_decoder_error, &state);
    if (init != FLAC__STREAM_DECODER_INIT_STATUS_OK) {
      detail::throw_failure(kName, std::string("decoder init failed: ") + FLAC__StreamDecoderInitStatusString[init]);
    }
    // Frame by frame, noting where the last complete frame (or the metadata) ended: libFLAC
    // skips bytes that cannot start a frame (e.g. one trailing 0xFF) without reporting an error.
    FLAC__uint64 stream_end = 0;
    bool have_end = false;
    bool processed = FLAC__stream_decoder_process_until_end_of_metadata(dec.get());
    while (processed && state.error.empty() &&
           FLAC__stream_decoder_get_state(dec.get()) != FLAC__STREAM_DECODER_END_OF_STREAM) {
      have_end = FLAC__stream_decoder_get_decode_position(dec.get(), &stream_end);
      processed = FLAC__stream_decoder_process_single(dec.get());
    }
    FLAC__StreamDecoderState end_state = FLAC__stream_decoder_get_state(dec.get());
    bool md5_ok = FLAC__stream_decoder_finish(dec.get());  // false on an MD5 mismatch
    if (!state.error.empty()) detail::throw_corrupt(kName, state.error);
    if (!processed || end_state != FLAC__STREAM_DECODER_END_OF_STREAM) {
      detail::throw_corrupt(kName, std::string("decoder stopped: ") + FLAC__StreamDecoderStateString[end_state]);
    }
    detail::check_decoded_size(kName, state.out.size(), raw_size);
    if (!md5_ok) detail::throw_corrupt(kName, "MD5 of the decoded samples does not match STREAMINFO");
    if (!have_end || stream_end != packed.size()) {
      detail::throw_corrupt(kName, have_end ? std::to_string(packed.size() - stream_end) + " trailing bytes"
                                            : std::string("cannot locate the end of the stream"));
    }
    return std::move(state.out);
  }
};

}  // namespace

std::unique_ptr<Codec> make_flac_codec() { return std::make_unique<FlacCodec>(); }

}  // namespace lmzip::codecs
