// FMA throughput probe: this CPU's peak single-precision GFLOP/s, on one
// thread and on OMP_NUM_THREADS threads (default: all), for 512-bit (zmm)
// and 256-bit (ymm) fused multiply-adds.
//
//   g++ -O3 -march=native -fopenmp bench/fma_peak.cc -o /tmp/fma_peak
//   /tmp/fma_peak [seconds per measurement, default 0.5]
//   OMP_NUM_THREADS=2 /tmp/fma_peak
//
// Each thread runs NACC independent accumulator chains acc = acc * a + b, so
// the loop is bound by FMA throughput, not by FMA latency (latency x FMA
// ports, 4 x 2 on recent cores, is below NACC). One FMA on a W-lane vector
// counts as 2 * W FLOP. The accumulators are summed and printed at the end so
// the compiler cannot drop the loop; a < 1 keeps them finite and normal.
// Each figure is the best of REPS timed runs.
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr int NACC = 16;
constexpr int REPS = 5;

#if defined(__AVX512F__)
struct V512 {
  using T = __m512;
  static constexpr int lanes = 16;
  static constexpr const char* name = "512-bit (zmm)";
  static T set1(float x) { return _mm512_set1_ps(x); }
  static T fma(T x, T a, T b) { return _mm512_fmadd_ps(x, a, b); }
  static T add(T x, T y) { return _mm512_add_ps(x, y); }
  static float hsum(T x) {
    alignas(64) float f[16];
    _mm512_store_ps(f, x);
    float s = 0;
    for (float v : f) s += v;
    return s;
  }
};
#endif

#if defined(__FMA__) && defined(__AVX__)
struct V256 {
  using T = __m256;
  static constexpr int lanes = 8;
  static constexpr const char* name = "256-bit (ymm)";
  static T set1(float x) { return _mm256_set1_ps(x); }
  static T fma(T x, T a, T b) { return _mm256_fmadd_ps(x, a, b); }
  static T add(T x, T y) { return _mm256_add_ps(x, y); }
  static float hsum(T x) {
    alignas(32) float f[8];
    _mm256_store_ps(f, x);
    float s = 0;
    for (float v : f) s += v;
    return s;
  }
};
#endif

// iters x NACC FMAs; returns the sum of the accumulators.
template <class V>
__attribute__((noinline)) float kernel(long iters, float seed) {
  typename V::T acc[NACC];
  for (int j = 0; j < NACC; ++j) acc[j] = V::set1(seed + 0.001f * j);
  // a and b come through an asm barrier so the compiler cannot fold the chain.
  float af = 0.999999f, bf = 1e-6f;
  asm volatile("" : "+m"(af), "+m"(bf));
  const typename V::T a = V::set1(af), b = V::set1(bf);
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < NACC; ++j) acc[j] = V::fma(acc[j], a, b);
  }
  typename V::T s = acc[0];
  for (int j = 1; j < NACC; ++j) s = V::add(s, acc[j]);
  return V::hsum(s);
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

volatile float g_sink;

// Best-of-REPS GFLOP/s summed over `threads` threads, each running `iters`.
template <class V>
double measure(int threads, long iters) {
  double best = 0;
  for (int r = 0; r < REPS; ++r) {
    double t0 = 0, t1 = 0;
    float total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
#pragma omp barrier
#pragma omp master
      t0 = now();
      total += kernel<V>(iters, 1.0f + omp_get_thread_num());
#pragma omp barrier
#pragma omp master
      t1 = now();
    }
    g_sink = total;
    const double flop = 2.0 * V::lanes * NACC * static_cast<double>(iters) * threads;
    best = std::max(best, flop / (t1 - t0) / 1e9);
  }
  return best;
}

// Iterations for about `seconds` on one thread.
template <class V>
long calibrate(double seconds) {
  long iters = 1 << 16;
  for (;;) {
    double t0 = now();
    g_sink = kernel<V>(iters, 1.0f);
    double dt = now() - t0;
    if (dt > 0.05) return std::max(1L, static_cast<long>(iters * seconds / dt));
    iters *= 4;
  }
}

template <class V>
void run(int threads, double seconds) {
  const long iters = calibrate<V>(seconds);
  const double one = measure<V>(1, iters);
  std::printf("%s, %d lanes, %d accumulators, %ld x %d FMAs per thread:\n", V::name, V::lanes, NACC, iters, NACC);
  std::printf("  1 thread : %8.1f GFLOP/s\n", one);
  if (threads > 1) {
    const double all = measure<V>(threads, iters);
    std::printf("  %d threads: %8.1f GFLOP/s  (%.1f per thread, %.2fx one thread)\n", threads, all, all / threads,
                all / one);
  }
}

std::string cpuModel() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  if (!(seconds > 0)) {
    std::fprintf(stderr, "usage: fma_peak [seconds per measurement > 0]\n");
    return 2;
  }
  const int threads = omp_get_max_threads();
  std::printf("fma_peak: %s, %d threads (OMP_NUM_THREADS or all), best of %d runs of ~%.2f s\n", cpuModel().c_str(),
              threads, REPS, seconds);
#if defined(__AVX512F__)
  run<V512>(threads, seconds);
#endif
#if defined(__FMA__) && defined(__AVX__)
  run<V256>(threads, seconds);
#else
  std::printf("no FMA: build with -march=native on a CPU with FMA\n");
#endif
  return 0;
}
