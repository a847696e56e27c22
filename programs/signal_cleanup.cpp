#include "signal_cleanup.h"

#include <csignal>
#include <cstring>
#include <initializer_list>

#include <limits.h>
#include <pthread.h>
#include <unistd.h>

namespace lmzip::cli {

namespace {

char g_path[PATH_MAX + 1];
volatile std::sig_atomic_t g_active = 0;

extern "C" void on_signal(int) {
  if (g_active) ::unlink(g_path);
  static const char kMessage[] = "lmzip: interrupted; the partial output was removed\n";
  static const char kPlain[] = "lmzip: interrupted\n";
  if (g_active) {
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  } else {
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kPlain, sizeof kPlain - 1);
  }
  ::_exit(1);
}

void fill_set(sigset_t& set) {
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
}

}  // namespace

void install_signal_cleanup() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  fill_set(sa.sa_mask);  // one cleanup at a time
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old;
    // Keep "ignored" (e.g. nohup, or a background job without job control) as it was.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

void set_cleanup_path(const char* path) {
  if (!path) {
    g_active = 0;
    return;
  }
  g_active = 0;
  std::strncpy(g_path, path, PATH_MAX);
  g_path[PATH_MAX] = '\0';
  g_active = 1;
}

SignalBlock::SignalBlock() {
  sigset_t set;
  fill_set(set);
  ::pthread_sigmask(SIG_BLOCK, &set, &saved_);
}

SignalBlock::~SignalBlock() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

}  // namespace lmzip::cli
