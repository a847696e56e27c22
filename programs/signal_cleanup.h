// Removes the half-written output when lmzip is interrupted (Ctrl-C, kill, hang-up).
//
// The handler is async-signal-safe: the temporary file's path lives in a static buffer and the
// handler only calls unlink(), write() and _exit(1). Registration and removal happen with the
// signals blocked in the calling thread (worker threads do not exist at those moments).
#pragma once

#include <signal.h>

namespace lmzip::cli {

// Installs the handlers for SIGINT, SIGTERM and SIGHUP (once).
void install_signal_cleanup();

// The temporary file the handler removes; nullptr: none.
// Call with signals blocked (SignalBlock) so the handler never sees a half-copied path.
void set_cleanup_path(const char* path);

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread for its lifetime.
class SignalBlock {
 public:
  SignalBlock();
  ~SignalBlock();
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace lmzip::cli
