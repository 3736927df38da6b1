// Persistent thread pool behind parallelFor.
//
// Design: numThreads() - 1 worker threads, created lazily, each with its own mailbox (a sequence
// number plus a pointer to the current job). parallelFor splits [0, n) into at most numThreads()
// contiguous chunks, posts the job to as many workers as it needs, and the calling thread claims
// chunks too. Chunks are claimed through an atomic counter, so a worker that wakes up late simply
// finds nothing left. The caller returns only after every posted worker has acknowledged the job,
// so the job (which lives on the caller's stack) is never touched after parallelFor returns.
//
// Idle workers spin for a few tens of microseconds after a job (back-to-back kernels are the common
// case in training) and then sleep on a condition variable: no CPU is burned between calls.
// Nested parallelFor (from inside a chunk) and concurrent calls from a second JS thread run serially.
#include "parallel.h"

#include <napi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
static inline void cpuRelax() { _mm_pause(); }
#else
static inline void cpuRelax() {}
#endif

namespace prefkit {
namespace {

constexpr int kMaxThreads = 256;
// How long an idle worker (or a waiting caller) spins before blocking.
constexpr auto kSpin = std::chrono::microseconds(50);

struct Job {
  const std::function<void(int64_t, int64_t)>* fn;
  int64_t n;
  int chunks;
  std::atomic<int> next{0};     // next chunk to claim
  std::atomic<int> acks{0};     // posted workers that are done with this job
  std::mutex errorMutex;
  std::exception_ptr error;
};

thread_local bool tInParallel = false;

void runChunks(Job& job) {
  for (;;) {
    int c = job.next.fetch_add(1, std::memory_order_relaxed);
    if (c >= job.chunks) return;
    int64_t begin = job.n * c / job.chunks, end = job.n * (c + 1) / job.chunks;
    try {
      (*job.fn)(begin, end);
    } catch (...) {
      std::lock_guard<std::mutex> lock(job.errorMutex);
      if (!job.error) job.error = std::current_exception();
    }
  }
}

struct alignas(64) Worker {
  std::atomic<uint64_t> seq{0};  // bumped by the caller for every posted job
  std::atomic<Job*> job{nullptr};
  std::atomic<bool> sleeping{false};
  std::mutex mutex;
  std::condition_variable cv;
};

class Pool {
 public:
  // Leaked on purpose (see pool()): workers are detached and may outlive static destructors.
  void ensureWorkers(int count) {
    while ((int)workers_.size() < count) {
      auto w = std::make_unique<Worker>();
      Worker* raw = w.get();
      workers_.push_back(std::move(w));
      std::thread([this, raw] { workerLoop(*raw); }).detach();
    }
  }

  void run(Job& job, int helpers) {
    ensureWorkers(helpers);
    for (int i = 0; i < helpers; i++) post(*workers_[i], job);
    tInParallel = true;
    runChunks(job);
    tInParallel = false;
    waitAcks(job, helpers);
  }

  std::mutex callMutex;  // one parallel region at a time; others run serially

 private:
  void post(Worker& w, Job& job) {
    w.job.store(&job, std::memory_order_relaxed);
    {
      // Taking the worker's mutex orders the seq bump against its "check, then sleep" step.
      std::lock_guard<std::mutex> lock(w.mutex);
      w.seq.fetch_add(1, std::memory_order_release);
    }
    if (w.sleeping.load(std::memory_order_acquire)) w.cv.notify_one();
  }

  void waitAcks(Job& job, int helpers) {
    auto start = std::chrono::steady_clock::now();
    int spins = 0;
    while (job.acks.load(std::memory_order_acquire) < helpers) {
      cpuRelax();
      if (++spins % 256 == 0 && std::chrono::steady_clock::now() - start > kSpin) {
        std::unique_lock<std::mutex> lock(doneMutex_);
        doneCv_.wait(lock, [&] { return job.acks.load(std::memory_order_acquire) >= helpers; });
        return;
      }
    }
  }

  void workerLoop(Worker& w) {
    tInParallel = true;  // anything a worker runs is nested by definition
    uint64_t seen = 0;
    for (;;) {
      uint64_t s = waitForPost(w, seen);
      seen = s;
      Job* job = w.job.load(std::memory_order_relaxed);
      runChunks(*job);
      // The ack is the last access to the job; the lock pairs with the caller's blocking wait.
      std::lock_guard<std::mutex> lock(doneMutex_);
      job->acks.fetch_add(1, std::memory_order_release);
      doneCv_.notify_all();
    }
  }

  uint64_t waitForPost(Worker& w, uint64_t seen) {
    auto start = std::chrono::steady_clock::now();
    int spins = 0;
    for (;;) {
      uint64_t s = w.seq.load(std::memory_order_acquire);
      if (s != seen) return s;
      cpuRelax();
      if (++spins % 256 == 0 && std::chrono::steady_clock::now() - start > kSpin) break;
    }
    std::unique_lock<std::mutex> lock(w.mutex);
    w.sleeping.store(true, std::memory_order_release);
    w.cv.wait(lock, [&] { return w.seq.load(std::memory_order_acquire) != seen; });
    w.sleeping.store(false, std::memory_order_relaxed);
    return w.seq.load(std::memory_order_acquire);
  }

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex doneMutex_;
  std::condition_variable doneCv_;
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

int hardwareThreads() {
  unsigned h = std::thread::hardware_concurrency();
  return h == 0 ? 1 : (int)std::min<unsigned>(h, kMaxThreads);
}

int initialThreads() {
  const char* env = std::getenv("PREFKIT_THREADS");
  if (env && *env) {
    int n = std::atoi(env);
    if (n > 0) return std::min(n, kMaxThreads);
  }
  return hardwareThreads();
}

std::atomic<int> gThreads{initialThreads()};

}  // namespace

void parallelFor(int64_t n, const std::function<void(int64_t, int64_t)>& fn, int64_t minChunk) {
  if (n <= 0) return;
  if (minChunk < 1) minChunk = 1;
  int64_t maxChunks = (n + minChunk - 1) / minChunk;
  int chunks = (int)std::min<int64_t>(gThreads.load(std::memory_order_relaxed), maxChunks);
  if (chunks <= 1 || tInParallel) {
    fn(0, n);
    return;
  }
  Pool& p = pool();
  std::unique_lock<std::mutex> lock(p.callMutex, std::try_to_lock);
  if (!lock.owns_lock()) {  // another JS thread holds the pool: do not oversubscribe
    fn(0, n);
    return;
  }
  Job job;
  job.fn = &fn;
  job.n = n;
  job.chunks = chunks;
  p.run(job, chunks - 1);
  if (job.error) std::rethrow_exception(job.error);
}

int numThreads() { return gThreads.load(std::memory_order_relaxed); }

void setNumThreads(int n) { gThreads.store(n <= 0 ? hardwareThreads() : std::min(n, kMaxThreads)); }

void registerParallel(Napi::Env env, Napi::Object exports) {
  exports.Set("numThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), numThreads());
  }));
  exports.Set("setNumThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsNumber()) {
      throw Napi::TypeError::New(info.Env(), "setNumThreads(n): n must be a number (n <= 0 = all hardware threads)");
    }
    setNumThreads(info[0].As<Napi::Number>().Int32Value());
    return Napi::Number::New(info.Env(), numThreads());
  }));
}

}  // namespace prefkit
