// lmzip/model/reference_model.h - the float64 reference forward pass of the byte transformer.
//
// Plain, obviously correct, double precision everywhere (std::exp, std::tanh, std::sin, std::cos,
// std::pow from the C library): the definition that the fast engines (docs/numerics.md) are
// measured against, never used to code. The equations are written out in docs/model.md,
// section "Architecture"; this file follows them line by line.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "lmzip/bytes.h"
#include "lmzip/model/weights.h"

namespace lmzip::model {

using ReferenceLogits = std::array<double, kByteVocab>;

// Logits for every position of `bytes`: result[i] predicts bytes[i] having seen BOS, bytes[0],
// ..., bytes[i-1] (the input sequence is BOS, b0, ..., b_{n-2}; position 0 sees only BOS).
// @return bytes.size() rows (none for empty input).
// @throws lmzip::Error if bytes.size() > config.context or the config is invalid.
std::vector<ReferenceLogits> reference_logits(const Weights& w, ByteView bytes);

// The code length of `bytes` under the model: sum over i of -log2 softmax(logits_i)[bytes[i]].
// @throws as reference_logits.
double reference_bits(const Weights& w, ByteView bytes);

// The building blocks, exposed for tests and as the definitions the fast kernels follow.

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
double reference_gelu(double x);

// out = (x - mean) / sqrt(var + eps) * weight + bias, mean and (biased) var over x.
// `weight` and `bias` have x.size() elements; out.size() == x.size().
void reference_layer_norm(std::span<const double> x, const float* weight, const float* bias, double eps,
                          std::span<double> out);

// Rotates one head's vector (q or k, size h even) in place for position `pos`: for j < h/2,
// angle = pos * theta^(-2j/h), (v_j, v_{j+h/2}) <- (v_j cos - v_{j+h/2} sin, v_{j+h/2} cos + v_j sin).
void reference_rope(std::span<double> v, int pos, double theta);

// -log2 softmax(logits)[symbol], computed with the maximum subtracted.
double reference_code_length(const ReferenceLogits& logits, int symbol);

}  // namespace lmzip::model
