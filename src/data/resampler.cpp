// resample_int16: libsoxr resampling of mono int16 audio (contract in lmzip/data/audio.h).
//
// Settings, fixed so that the output depends only on the input and libsoxr's version:
// soxr_oneshot, int16 interleaved in and out, quality SOXR_HQ (20-bit precision, linear phase,
// passband 91.3% of the lower Nyquist frequency), SOXR_NO_DITHER (no TPDF dither on the int16
// output, which would add noise), one thread. libsoxr rounds to the nearest int16 and clips.
// Note: libsoxr picks SIMD code at run time, so the last bit of a resampled sample may differ
// between CPU types; files already at 16 kHz (all of LibriSpeech) are never resampled.
#include <soxr.h>

#include <cmath>
#include <string>

#include "lmzip/data/audio.h"
#include "lmzip/error.h"

namespace lmzip::data {

std::vector<std::int16_t> resample_int16(const std::vector<std::int16_t>& mono, int from_rate,
                                         int to_rate) {
  if (from_rate <= 0 || to_rate <= 0) {
    throw Error("resampling: bad sample rate " + std::to_string(from_rate) + " -> " +
                std::to_string(to_rate));
  }
  if (mono.empty()) return {};
  // soxr_oneshot delivers about len * to / from samples; leave room for rounding.
  const double expected = std::ceil(static_cast<double>(mono.size()) * to_rate / from_rate);
  std::vector<std::int16_t> out(static_cast<std::size_t>(expected) + 16);
  soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  io.flags |= SOXR_NO_DITHER;
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  std::size_t idone = 0, odone = 0;
  const soxr_error_t err = soxr_oneshot(from_rate, to_rate, 1, mono.data(), mono.size(), &idone,
                                        out.data(), out.size(), &odone, &io, &quality, &runtime);
  if (err) throw Error(std::string("resampling failed (libsoxr: ") + err + ")");
  out.resize(odone);
  return out;
}

}  // namespace lmzip::data
