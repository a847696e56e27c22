// The trainer's float64 loss and backward against PyTorch's autograd on the same weights and
// bytes (tools/torch_reference.py --grads, written from docs/model.md alone; run once on a GPU
// machine with torch 2.11). The model and bytes are TorchReference.Float64LogitsAgreeWithPyTorch's
// (tests/torch_reference_case.h), the bytes read as one sequence; the golden file is
// tests/golden/train/torch_grads_f64.safetensors: one F64 tensor per model tensor, the loss in the
// metadata. To regenerate: write the model file with write_model_file() and the text to a file,
// then
//   python3 tools/torch_reference.py --grads model.safetensors input.bin torch_grads_f64.safetensors
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "lmzip/model/model_file.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/train/params.h"
#include "lmzip/train/train_model.h"
#include "torch_reference_case.h"

namespace lmzip::train {
namespace {

TEST(TorchGradients, Float64BackwardAgreesWithPyTorchAutograd) {
  const model::OwnedWeights w = test::torch_reference_weights();
  const Config& c = w.config();
  const std::string& text = test::kTorchReferenceText;
  const ByteView bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());

  TrainModel<double> m(c, 1, static_cast<int>(text.size()));
  const auto params = params_from_weights<double>(w.view());
  const double loss = m.forward(params, bytes);
  m.backward();

  const model::SafetensorsFile golden(std::filesystem::path(LMZIP_SOURCE_DIR) /
                                      "tests/golden/train/torch_grads_f64.safetensors");
  const double torch_loss = std::stod(golden.metadata().at("loss"));
  EXPECT_NEAR(loss, torch_loss, 1e-12 * torch_loss);

  const auto specs = model::tensor_specs(c);
  ASSERT_EQ(golden.tensors().size(), specs.size());
  std::size_t offset = 0;
  double worst_relative = 0;
  for (const auto& spec : specs) {
    SCOPED_TRACE(spec.name);
    const model::SafetensorsTensor* t = golden.find(spec.name);
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->dtype, model::DType::F64);
    ASSERT_EQ(t->shape, spec.shape);
    // Within 1e-9 of the tensor's largest gradient: float64 sums in another order.
    double largest = 0, worst = 0;
    for (std::uint64_t i = 0; i < spec.size(); ++i) {
      double want;
      std::memcpy(&want, t->data.data() + i * sizeof(double), sizeof want);
      largest = std::max(largest, std::fabs(want));
      worst = std::max(worst, std::fabs(m.grads()[offset + i] - want));
    }
    EXPECT_GT(largest, 0.0);
    EXPECT_LE(worst, 1e-9 * largest);
    worst_relative = std::max(worst_relative, worst / largest);
    offset += spec.size();
  }
  EXPECT_EQ(offset, params.size());
  char figure[32];
  std::snprintf(figure, sizeof figure, "%.2e", worst_relative);
  RecordProperty("max_relative_error", figure);
}

}  // namespace
}  // namespace lmzip::train
