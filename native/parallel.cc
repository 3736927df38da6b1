// Persistent thread pool behind parallelFor.
//
// Design: numThreads() - 1 worker threads, created lazily, each with its own mailbox (a job pointer
// plus a sequence number to wake on). parallelFor splits [0, n) into at most numThreads() contiguous
// chunks, posts the job to as many workers as it needs, and the calling thread claims chunks too
// (through an atomic counter, so whoever is ready first does the work). A worker takes a posted job
// by swapping its mailbox to null. When the caller runs out of chunks it takes back every posting
// that no worker has taken yet, and waits only for the workers that did take one: a sleeping worker
// never delays a small job, and the job (on the caller's stack) is never touched after return.
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

#if defined(__linux__)
#include <sched.h>
#endif
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
  std::atomic<uint64_t> seq{0};  // bumped by the caller for every posted job (the wake-up signal)
  std::atomic<Job*> job{nullptr};  // the posted job until someone takes it (worker) or back (caller)
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
    int taken = 0;
    for (int i = 0; i < helpers; i++) {
      Job* expected = &job;
      if (!workers_[i]->job.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) taken++;
    }
    waitAcks(job, taken);
  }

  std::mutex callMutex;  // one parallel region at a time; others run serially

 private:
  // Sleeping and waking use the flag/counter handshake below with sequentially consistent atomics:
  // the sleeper raises its flag and then re-reads the counter; the waker bumps the counter and then
  // reads the flag. At least one of them sees the other, so a wake-up is never lost, and the mutex
  // and the syscall are paid only when someone really sleeps.
  void post(Worker& w, Job& job) {
    w.job.store(&job, std::memory_order_release);
    w.seq.fetch_add(1, std::memory_order_seq_cst);
    if (w.sleeping.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> lock(w.mutex);  // the sleeper is either before its check or waiting
      w.cv.notify_one();
    }
  }

  uint64_t waitForPost(Worker& w, uint64_t seen) {
    auto start = std::chrono::steady_clock::now();
    for (int spins = 1;; spins++) {
      uint64_t s = w.seq.load(std::memory_order_acquire);
      if (s != seen) return s;
      cpuRelax();
      if (spins % 256 == 0 && std::chrono::steady_clock::now() - start > kSpin) break;
    }
    std::unique_lock<std::mutex> lock(w.mutex);
    w.sleeping.store(true, std::memory_order_seq_cst);
    while (w.seq.load(std::memory_order_seq_cst) == seen) w.cv.wait(lock);
    w.sleeping.store(false, std::memory_order_relaxed);
    return w.seq.load(std::memory_order_acquire);
  }

  void waitAcks(Job& job, int expected) {
    auto start = std::chrono::steady_clock::now();
    for (int spins = 1; job.acks.load(std::memory_order_acquire) < expected; spins++) {
      cpuRelax();
      if (spins % 256 == 0 && std::chrono::steady_clock::now() - start > kSpin) {
        std::unique_lock<std::mutex> lock(doneMutex_);
        callerSleeping_.store(true, std::memory_order_seq_cst);
        while (job.acks.load(std::memory_order_seq_cst) < expected) doneCv_.wait(lock);
        callerSleeping_.store(false, std::memory_order_relaxed);
        return;
      }
    }
  }

  void workerLoop(Worker& w) {
    tInParallel = true;  // anything a worker runs is nested by definition
    uint64_t seen = 0;
    for (;;) {
      seen = waitForPost(w, seen);
      Job* job = w.job.exchange(nullptr, std::memory_order_acq_rel);
      if (!job) continue;  // the caller finished without us and took the job back
      runChunks(*job);
      job->acks.fetch_add(1, std::memory_order_seq_cst);  // last access to the job
      if (callerSleeping_.load(std::memory_order_seq_cst)) {
        std::lock_guard<std::mutex> lock(doneMutex_);
        doneCv_.notify_all();
      }
    }
  }

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex doneMutex_;
  std::condition_variable doneCv_;
  std::atomic<bool> callerSleeping_{false};
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

// CPUs this process may run on (respects taskset/cpusets), else what the standard library reports.
int hardwareThreads() {
  int n = 0;
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) n = CPU_COUNT(&set);
#endif
  if (n <= 0) n = (int)std::thread::hardware_concurrency();
  return n <= 0 ? 1 : std::min(n, kMaxThreads);
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
