// worker_pool.cpp - batches of chunk jobs over persistent threads.
#include "archive/worker_pool.h"

namespace lmzip::archive {

WorkerPool::WorkerPool(const model::ByteModel& model, unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) sessions_.push_back(model.new_session());
  for (unsigned i = 1; i < threads; ++i) threads_.emplace_back([this, i] { thread_main(i); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::work(unsigned worker) {
  for (;;) {
    std::size_t i;
    {
      std::lock_guard lock(mutex_);
      if (next_ >= count_) return;
      i = next_++;
    }
    std::exception_ptr err;
    try {
      (*job_)(*sessions_[worker], i);
    } catch (...) {
      err = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    if (err && (!error_ || i < error_index_)) {
      error_ = err;
      error_index_ = i;
    }
    if (++finished_ == count_) done_cv_.notify_all();
  }
}

void WorkerPool::thread_main(unsigned worker) {
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      start_cv_.wait(lock, [&] { return stop_ || batch_ != seen; });
      if (stop_) return;
      seen = batch_;
    }
    work(worker);
  }
}

void WorkerPool::run(std::size_t n, const Job& job) {
  if (n == 0) return;
  {
    std::lock_guard lock(mutex_);
    job_ = &job;
    count_ = n;
    next_ = 0;
    finished_ = 0;
    error_ = nullptr;
    ++batch_;
  }
  start_cv_.notify_all();
  work(0);
  std::exception_ptr err;
  {
    std::unique_lock lock(mutex_);
    done_cv_.wait(lock, [&] { return finished_ == count_; });
    err = error_;
    error_ = nullptr;
    job_ = nullptr;
  }
  if (err) std::rethrow_exception(err);
}

}  // namespace lmzip::archive
