// src/codecs/jxl_codec.cpp - "jxl": the block as a lossless 8-bit grayscale JPEG XL image (libjxl).
//
// Shape: as "png-64" (image_shape.h): width 64 (an ImageNet tile's true rows), zero-padded last
// row. Settings: JxlEncoderSetFrameLossless, distance 0, uses_original_profile, 1 gray channel
// (sRGB transfer, gray), bit depth 8, effort kEffort (see below), bare codestream (no container,
// except when the image needs codestream level 10: more than 2^18 rows or 2^28 pixels, i.e.
// inputs over 16 MiB), no parallel runner (single-threaded). The decoder checks the image shape.
//
// Effort: 9 ("tortoise", the highest). Measured on this machine (2 shared cores), one 2048-byte
// chunk takes about 13 ms to encode for text, 8 ms for an image tile, 4 ms for random bytes (effort
// 8: 2 ms, effort 7: 0.8 ms), within the 20 ms budget; it pays: the text chunks shrink from 77% at
// effort 8 to 54% (docs/codecs.md). Decoding takes about 0.1 ms.
#include <jxl/codestream_header.h>
#include <jxl/color_encoding.h>
#include <jxl/decode.h>
#include <jxl/encode.h>
#include <jxl/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "codecs/builtin.h"
#include "codecs/codec_util.h"
#include "codecs/image_shape.h"

namespace lmzip::codecs {

namespace {

constexpr const char* kName = "jxl";
constexpr std::size_t kWidth = 64;
constexpr int kEffort = 9;
constexpr std::size_t kLevel5MaxSide = std::size_t{1} << 18;    // codestream level 5 limits
constexpr std::size_t kLevel5MaxPixels = std::size_t{1} << 28;
constexpr std::size_t kLevel10MaxSide = std::size_t{1} << 30;   // level 10 limit per side

const JxlPixelFormat kGray8 = {1, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};

std::string version_string(std::uint32_t v) {  // major * 1000000 + minor * 1000 + patch
  return std::to_string(v / 1000000) + "." + std::to_string(v / 1000 % 1000) + "." + std::to_string(v % 1000);
}

class JxlCodec final : public Codec {
 public:
  std::string name() const override { return kName; }

  std::string description() const override {
    return "libjxl " + version_string(JxlEncoderVersion()) + ", lossless modular, effort " +
           std::to_string(kEffort) + ", 8-bit gray, width 64, zero-padded last row, single-threaded";
  }

  Bytes compress(ByteView raw) const override {
    detail::ImageShape shape = checked_shape(raw.size());
    Bytes pixels = detail::pad_to_image(raw, shape);

    std::unique_ptr<JxlEncoder, void (*)(JxlEncoder*)> enc(JxlEncoderCreate(nullptr), JxlEncoderDestroy);
    if (!enc) detail::throw_failure(kName, "JxlEncoderCreate failed");
    bool needs_level10 = shape.height > kLevel5MaxSide || shape.pixels() > kLevel5MaxPixels;
    if (needs_level10) check(enc.get(), JxlEncoderSetCodestreamLevel(enc.get(), 10), "JxlEncoderSetCodestreamLevel");

    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = static_cast<std::uint32_t>(shape.width);
    info.ysize = static_cast<std::uint32_t>(shape.height);
    info.bits_per_sample = 8;
    info.exponent_bits_per_sample = 0;
    info.num_color_channels = 1;
    info.num_extra_channels = 0;
    info.alpha_bits = 0;
    info.uses_original_profile = JXL_TRUE;
    check(enc.get(), JxlEncoderSetBasicInfo(enc.get(), &info), "JxlEncoderSetBasicInfo");

    JxlColorEncoding color;
    JxlColorEncodingSetToSRGB(&color, /*is_gray=*/JXL_TRUE);
    check(enc.get(), JxlEncoderSetColorEncoding(enc.get(), &color), "JxlEncoderSetColorEncoding");

    JxlEncoderFrameSettings* frame = JxlEncoderFrameSettingsCreate(enc.get(), nullptr);
    if (frame == nullptr) detail::throw_failure(kName, "JxlEncoderFrameSettingsCreate failed");
    check(enc.get(), JxlEncoderSetFrameDistance(frame, 0.0f), "JxlEncoderSetFrameDistance");
    check(enc.get(), JxlEncoderSetFrameLossless(frame, JXL_TRUE), "JxlEncoderSetFrameLossless");
    check(enc.get(), JxlEncoderFrameSettingsSetOption(frame, JXL_ENC_FRAME_SETTING_EFFORT, kEffort),
          "setting the effort");
    check(enc.get(), JxlEncoderAddImageFrame(frame, &kGray8, pixels.data(), pixels.size()),
          "JxlEncoderAddImageFrame");
    JxlEncoderCloseInput(enc.get());

    Bytes out(raw.size() / 2 + 256);
    std::size_t used = 0;
    for (;;) {
      std::uint8_t* next_out = out.data() + used;
      std::size_t avail_out = out.size() - used;
      JxlEncoderStatus status = JxlEncoderProcessOutput(enc.get(), &next_out, &avail_out);
      used = out.size() - avail_out;
      if (status == JXL_ENC_SUCCESS) break;
      if (status != JXL_ENC_NEED_MORE_OUTPUT) check(enc.get(), status, "JxlEncoderProcessOutput");
      out.resize(out.size() * 2);
    }
    out.resize(used);
    return out;
  }

  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    if (packed.empty()) detail::throw_corrupt(kName, "empty input");
    detail::ImageShape shape = checked_shape(raw_size);
    Bytes pixels(shape.pixels());

    std::unique_ptr<JxlDecoder, void (*)(JxlDecoder*)> dec(JxlDecoderCreate(nullptr), JxlDecoderDestroy);
    if (!dec) detail::throw_failure(kName, "JxlDecoderCreate failed");
    if (JxlDecoderSubscribeEvents(dec.get(), JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE) != JXL_DEC_SUCCESS ||
        JxlDecoderSetInput(dec.get(), packed.data(), packed.size()) != JXL_DEC_SUCCESS) {
      detail::throw_failure(kName, "setting up the decoder failed");
    }
    JxlDecoderCloseInput(dec.get());

    int frames = 0;
    for (;;) {
      JxlDecoderStatus status = JxlDecoderProcessInput(dec.get());
      if (status == JXL_DEC_SUCCESS) break;
      switch (status) {
        case JXL_DEC_ERROR:
          detail::throw_corrupt(kName, "the decoder rejected the codestream");
        case JXL_DEC_NEED_MORE_INPUT:
          detail::throw_corrupt(kName, "truncated codestream");
        case JXL_DEC_BASIC_INFO: {
          JxlBasicInfo info;
          if (JxlDecoderGetBasicInfo(dec.get(), &info) != JXL_DEC_SUCCESS) {
            detail::throw_corrupt(kName, "unreadable basic info");
          }
          if (info.xsize != shape.width || info.ysize != shape.height || info.num_color_channels != 1 ||
              info.bits_per_sample != 8 || info.exponent_bits_per_sample != 0 || info.num_extra_channels != 0) {
            detail::throw_corrupt(kName, "unexpected image " + std::to_string(info.xsize) + "x" +
                                             std::to_string(info.ysize) + " with " +
                                             std::to_string(info.num_color_channels) + " channels of " +
                                             std::to_string(info.bits_per_sample) + " bits (expected " +
                                             std::to_string(shape.width) + "x" + std::to_string(shape.height) +
                                             " 8-bit gray)");
          }
          break;
        }
        case JXL_DEC_NEED_IMAGE_OUT_BUFFER: {
          std::size_t size = 0;
          if (JxlDecoderImageOutBufferSize(dec.get(), &kGray8, &size) != JXL_DEC_SUCCESS || size != pixels.size() ||
              JxlDecoderSetImageOutBuffer(dec.get(), &kGray8, pixels.data(), pixels.size()) != JXL_DEC_SUCCESS) {
            detail::throw_corrupt(kName, "unexpected image buffer size");
          }
          break;
        }
        case JXL_DEC_FULL_IMAGE:
          if (++frames > 1) detail::throw_corrupt(kName, "more than one frame");
          break;
        default:
          detail::throw_corrupt(kName, "unexpected decoder event " + std::to_string(static_cast<int>(status)));
      }
    }
    if (frames != 1) detail::throw_corrupt(kName, "no image in the codestream");
    if (std::size_t unused = JxlDecoderReleaseInput(dec.get()); unused != 0) {
      detail::throw_corrupt(kName, std::to_string(unused) + " trailing bytes after the codestream");
    }
    if (!detail::padding_is_zero(pixels, raw_size)) detail::throw_corrupt(kName, "non-zero padding after the data");
    pixels.resize(raw_size);
    return pixels;
  }

 private:
  static detail::ImageShape checked_shape(std::size_t n) {
    detail::ImageShape shape = detail::image_shape_for(n, kWidth);
    if (shape.height > kLevel10MaxSide) {
      detail::throw_failure(kName, std::to_string(n) + " bytes need more rows than a JPEG XL image can hold");
    }
    return shape;
  }

  static void check(JxlEncoder* enc, JxlEncoderStatus status, const char* what) {
    if (status == JXL_ENC_SUCCESS) return;
    detail::throw_failure(kName, std::string(what) + " failed (encoder error " +
                                     std::to_string(static_cast<int>(JxlEncoderGetError(enc))) + ")");
  }
};

}  // namespace

std::unique_ptr<Codec> make_jxl_codec() { return std::make_unique<JxlCodec>(); }

}  // namespace lmzip::codecs
