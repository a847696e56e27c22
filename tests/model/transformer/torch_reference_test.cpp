// The float64 reference forward against an independent PyTorch implementation of the same
// equations (tools/torch_reference.py, written from docs/model.md alone), run once on a GPU
// machine with torch 2.11. The model (tests/torch_reference_case.h) is rebuilt here by
// random_weights(), whose bytes are pinned by golden digests elsewhere; the logits file is
// tests/golden/model/torch_logits_f64.bin.
// To regenerate: write this config's model file with write_model_file(), then
//   python3 tools/torch_reference.py model.safetensors input.bin torch_logits_f64.bin
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "lmzip/model/model_file.h"
#include "lmzip/model/reference_model.h"
#include "test_support.h"
#include "torch_reference_case.h"

namespace lmzip::model {
namespace {

TEST(TorchReference, Float64LogitsAgreeWithPyTorch) {
  const OwnedWeights w = test::torch_reference_weights();
  const std::string& text = test::kTorchReferenceText;
  const auto logits = reference_logits(w.view(), ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));

  const Bytes golden = test::read_file(std::filesystem::path(LMZIP_SOURCE_DIR) / "tests/golden/model/torch_logits_f64.bin");
  ASSERT_EQ(golden.size(), text.size() * 256 * sizeof(double));
  double worst = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int v = 0; v < 256; ++v) {
      double expected;
      std::memcpy(&expected, golden.data() + (i * 256 + static_cast<std::size_t>(v)) * sizeof(double), sizeof expected);
      const double err = std::fabs(logits[i][static_cast<std::size_t>(v)] - expected);
      worst = std::max(worst, err);
      ASSERT_LE(err, 1e-10 * (1.0 + std::fabs(expected))) << "position " << i << " byte " << v;
    }
  }
  RecordProperty("max_abs_error", std::to_string(worst));
}

}  // namespace
}  // namespace lmzip::model
