// Data and timing helpers shared by benchmarks/risk.cpp and the peers in
// benchmarks/peers/risk_peers.cpp, so ours and the peers run on the very same losses.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <random>
#include <vector>

namespace margincall_bench {

// Student-t(3) daily losses, fixed seed, cached per size.
inline const std::vector<double>& losses(std::size_t n) {
    static std::map<std::size_t, std::vector<double>> cache;
    auto& v = cache[n];
    if (v.empty()) {
        std::mt19937_64 gen(42);
        std::student_t_distribution<double> t3(3.0);
        v.resize(n);
        for (auto& x : v) x = 0.01 * t3(gen);
    }
    return v;
}

// Thread CPU time: the machine is shared, so wall time would count other processes' work.
inline double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The best of a few calls (least disturbed by the shared machine).
template <class F>
double seconds_per_call(F&& f, int repeats) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = cpu_seconds();
        f();
        best = std::min(best, cpu_seconds() - t0);
    }
    return best;
}

}  // namespace margincall_bench
