// archive/worker_pool.h (private) - a fixed set of threads, each with its own model session,
// that runs batches of independent chunk jobs.
//
// run(n, fn) calls fn(session, i) for every i in [0, n), spread over the workers, and returns when
// all are done. The calling thread is worker 0, so threads = 1 starts no thread at all. If jobs
// throw, every job still runs and run() rethrows the exception of the lowest i, so the error
// reported does not depend on the number of threads or on timing.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "lmzip/model/byte_model.h"

namespace lmzip::archive {

class WorkerPool {
 public:
  using Job = std::function<void(model::ModelSession& session, std::size_t i)>;

  WorkerPool(const model::ByteModel& model, unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(sessions_.size()); }
  void run(std::size_t n, const Job& job);

 private:
  void work(unsigned worker);            // runs jobs of the current batch until none is left
  void thread_main(unsigned worker);

  std::vector<std::unique_ptr<model::ModelSession>> sessions_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_cv_, done_cv_;
  const Job* job_ = nullptr;
  std::size_t count_ = 0, next_ = 0, finished_ = 0;
  std::size_t batch_ = 0;  // incremented for every run()
  bool stop_ = false;
  std::size_t error_index_ = 0;
  std::exception_ptr error_;
};

}  // namespace lmzip::archive
