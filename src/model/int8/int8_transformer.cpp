// Int8Transformer: quantises a float model once and hands out sessions that share it.
#include "lmzip/model/int8/int8_transformer.h"

#include "int8_session.h"
#include "lmzip/model/int8/numerics.h"
#include "quantized_model.h"

namespace lmzip::model::int8 {

Int8Transformer::Int8Transformer(const Weights& weights, ModelIdentity id, Int8Options options)
    : model_(std::make_shared<const QuantizedModel>(quantize_model(weights, options.kernels, options.block))),
      identity_(std::move(id)) {
  identity_.numerics_version = kNumericsVersion;
  identity_.context = static_cast<std::uint32_t>(weights.config.context);
}

Int8Transformer::~Int8Transformer() = default;

ModelIdentity Int8Transformer::identity() const { return identity_; }

std::unique_ptr<ModelSession> Int8Transformer::new_session() const { return std::make_unique<Int8Session>(model_); }

const Config& Int8Transformer::config() const { return model_->config; }

KernelPath Int8Transformer::kernel_path() const { return model_->kernels->path; }

int Int8Transformer::block() const { return model_->block; }

}  // namespace lmzip::model::int8
