// lmzip/gguf/value.h - GGUF metadata values (the typed values of the key/value section).
//
// GGUF (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md, "gguf_metadata_value_type")
// has 13 value types: ten little-endian scalars, BOOL (one byte, 0 or 1), STRING (uint64 length +
// bytes, no terminator) and ARRAY (uint32 element type, uint64 count, then the elements; every
// element has that one type, and arrays of arrays are allowed).
//
// In memory a Value keeps its GGUF type and holds
//   UINT8/16/32/64          -> std::uint64_t   (the writer checks the value fits the type)
//   INT8/16/32/64           -> std::int64_t
//   FLOAT32/FLOAT64         -> double          (a FLOAT32 is written as static_cast<float>)
//   BOOL                    -> bool
//   STRING                  -> std::string     (raw bytes; UTF-8 is not checked)
//   ARRAY                   -> std::vector<Value>, every element of type element_type
// Build values with the factories (Value::u32(7), Value::string("x"), Value::array(...)) so the
// type and the held alternative agree; encode_gguf() rejects a Value where they do not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lmzip::gguf {

enum class ValueType : std::uint32_t {
  UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
  BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12,
};

// "UINT8", ..., "FLOAT64"; "value type 99" for a number that is not a ValueType.
std::string value_type_name(ValueType t);
bool is_unsigned_type(ValueType t);  // UINT8/16/32/64
bool is_signed_type(ValueType t);    // INT8/16/32/64
bool is_float_type(ValueType t);     // FLOAT32/64

struct Value {
  ValueType type = ValueType::UINT8;
  ValueType element_type = ValueType::UINT8;  // ARRAY only: the type of every element
  std::variant<std::uint64_t, std::int64_t, double, bool, std::string, std::vector<Value>> v;

  static Value u8(std::uint8_t x);
  static Value u16(std::uint16_t x);
  static Value u32(std::uint32_t x);
  static Value u64(std::uint64_t x);
  static Value i8(std::int8_t x);
  static Value i16(std::int16_t x);
  static Value i32(std::int32_t x);
  static Value i64(std::int64_t x);
  static Value f32(float x);
  static Value f64(double x);
  static Value boolean(bool x);
  static Value string(std::string x);
  // @throws lmzip::Error if an element's type is not element_type.
  static Value array(ValueType element_type, std::vector<Value> elements);

  // Any integer type whose value fits; @throws lmzip::Error otherwise (says the type and value).
  std::uint64_t as_uint() const;
  std::int64_t as_int() const;
  // FLOAT32 or FLOAT64. @throws lmzip::Error for any other type.
  double as_float() const;
  bool as_bool() const;
  const std::string& as_string() const;
  const std::vector<Value>& as_array() const;

  bool operator==(const Value&) const = default;
};

}  // namespace lmzip::gguf
