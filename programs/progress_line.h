// A one-line progress display on stderr, shown only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>

namespace lmzip::cli {

class ProgressLine {
 public:
  ProgressLine();  // enabled iff stderr is a terminal
  ~ProgressLine();
  // Redraws the line, at most ~10 times a second.
  void update(const std::string& text);
  // Erases the line (before normal output or an error message).
  void clear();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace lmzip::cli
