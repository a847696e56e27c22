// lmzip/error.h - the one exception type of the library.
//
// Every failure that a user can cause (unreadable input, corrupt data, unknown codec name) is
// reported by throwing lmzip::Error with a message that names the file (and chunk) concerned.
// The CLI prints "lmzip: <message>" and exits with status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace lmzip {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace lmzip
