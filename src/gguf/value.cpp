// GGUF metadata values: names, factories and checked accessors (see lmzip/gguf/value.h).
#include <limits>

#include "lmzip/error.h"
#include "lmzip/gguf/value.h"

namespace lmzip::gguf {

namespace {

Value make(ValueType t, decltype(Value::v) v) {
  Value out;
  out.type = t;
  out.v = std::move(v);
  return out;
}

[[noreturn]] void mismatch(const Value& value, const char* wanted) {
  throw Error("metadata value is " + value_type_name(value.type) + ", not " + wanted);
}

}  // namespace

std::string value_type_name(ValueType t) {
  static constexpr const char* kNames[] = {"UINT8",   "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32",
                                           "BOOL",    "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"};
  const auto n = static_cast<std::uint32_t>(t);
  if (n < std::size(kNames)) return kNames[n];
  return "value type " + std::to_string(n);
}

bool is_unsigned_type(ValueType t) {
  return t == ValueType::UINT8 || t == ValueType::UINT16 || t == ValueType::UINT32 || t == ValueType::UINT64;
}
bool is_signed_type(ValueType t) {
  return t == ValueType::INT8 || t == ValueType::INT16 || t == ValueType::INT32 || t == ValueType::INT64;
}
bool is_float_type(ValueType t) { return t == ValueType::FLOAT32 || t == ValueType::FLOAT64; }

Value Value::u8(std::uint8_t x) { return make(ValueType::UINT8, std::uint64_t{x}); }
Value Value::u16(std::uint16_t x) { return make(ValueType::UINT16, std::uint64_t{x}); }
Value Value::u32(std::uint32_t x) { return make(ValueType::UINT32, std::uint64_t{x}); }
Value Value::u64(std::uint64_t x) { return make(ValueType::UINT64, x); }
Value Value::i8(std::int8_t x) { return make(ValueType::INT8, std::int64_t{x}); }
Value Value::i16(std::int16_t x) { return make(ValueType::INT16, std::int64_t{x}); }
Value Value::i32(std::int32_t x) { return make(ValueType::INT32, std::int64_t{x}); }
Value Value::i64(std::int64_t x) { return make(ValueType::INT64, x); }
Value Value::f32(float x) { return make(ValueType::FLOAT32, static_cast<double>(x)); }
Value Value::f64(double x) { return make(ValueType::FLOAT64, x); }
Value Value::boolean(bool x) { return make(ValueType::BOOL, x); }
Value Value::string(std::string x) { return make(ValueType::STRING, std::move(x)); }

Value Value::array(ValueType element_type, std::vector<Value> elements) {
  for (const auto& e : elements) {
    if (e.type != element_type) {
      throw Error("array of " + value_type_name(element_type) + " given an element of type " +
                  value_type_name(e.type));
    }
  }
  Value out = make(ValueType::ARRAY, std::move(elements));
  out.element_type = element_type;
  return out;
}

std::uint64_t Value::as_uint() const {
  if (const auto* u = std::get_if<std::uint64_t>(&v); u && is_unsigned_type(type)) return *u;
  if (const auto* i = std::get_if<std::int64_t>(&v); i && is_signed_type(type)) {
    if (*i < 0) throw Error("metadata value " + std::to_string(*i) + " (" + value_type_name(type) + ") is negative");
    return static_cast<std::uint64_t>(*i);
  }
  mismatch(*this, "an integer");
}

std::int64_t Value::as_int() const {
  if (const auto* i = std::get_if<std::int64_t>(&v); i && is_signed_type(type)) return *i;
  if (const auto* u = std::get_if<std::uint64_t>(&v); u && is_unsigned_type(type)) {
    if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      throw Error("metadata value " + std::to_string(*u) + " (" + value_type_name(type) + ") is too large for int64");
    }
    return static_cast<std::int64_t>(*u);
  }
  mismatch(*this, "an integer");
}

double Value::as_float() const {
  if (const auto* d = std::get_if<double>(&v); d && is_float_type(type)) return *d;
  mismatch(*this, "FLOAT32 or FLOAT64");
}

bool Value::as_bool() const {
  if (const auto* b = std::get_if<bool>(&v); b && type == ValueType::BOOL) return *b;
  mismatch(*this, "BOOL");
}

const std::string& Value::as_string() const {
  if (const auto* s = std::get_if<std::string>(&v); s && type == ValueType::STRING) return *s;
  mismatch(*this, "STRING");
}

const std::vector<Value>& Value::as_array() const {
  if (const auto* a = std::get_if<std::vector<Value>>(&v); a && type == ValueType::ARRAY) return *a;
  mismatch(*this, "ARRAY");
}

}  // namespace lmzip::gguf
