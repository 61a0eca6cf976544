// Historical VaR + ES at 99% of the same Student-t(3) losses, in one process: margincall,
// copy + std::nth_element, Boost.Accumulators (tail_quantile + coherent_tail_mean, right tail),
// and NumPy (one np.partition with the two order statistics needed, then a sum) through embedded
// CPython. Each peer benchmark also reports, from the same run, the speed-up of margincall over it.
// Times are thread CPU time (the machine is shared). All peers are checked to return our VaR.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive in its AVX-512 intrinsics
#endif

#include <margincall/risk/historical_simulation.hpp>

#include "risk_data.hpp"

#include <benchmark/benchmark.h>

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/tail_mean.hpp>
#include <boost/accumulators/statistics/tail_quantile.hpp>

#ifdef MARGINCALL_PEER_NUMPY
#include <Python.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <map>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

namespace {

constexpr double alpha = 0.99;

using margincall_bench::cpu_seconds;
using margincall_bench::losses;
using margincall_bench::seconds_per_call;

margincall::tail_risk<double> ours(const std::vector<double>& x, margincall::historical_workspace<double>& ws) {
    return margincall::historical_simulation<double>{}.estimate(x, alpha, ws);
}

// Copy + nth_element + a second selection for ES: the textbook exact baseline.
std::pair<double, double> nth_element_peer(const std::vector<double>& x, std::vector<double>& scratch) {
    scratch.assign(x.begin(), x.end());
    const std::size_t n = x.size();
    const double w = static_cast<double>(n) * (1 - alpha);
    const auto k = static_cast<std::size_t>(w);
    const auto var_at = static_cast<std::size_t>(std::ceil(static_cast<double>(n) * alpha)) - 1;
    std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n - k - 1), scratch.end());
    double top = 0;
    for (std::size_t i = n - k; i < n; ++i) top += scratch[i];
    const double next = scratch[n - k - 1];
    std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(var_at),
                     scratch.begin() + static_cast<std::ptrdiff_t>(n - k));
    return {scratch[var_at], (top + (w - static_cast<double>(k)) * next) / w};
}

// Boost.Accumulators: one pass through the accumulator, tail cache of n(1 − α) + 2 (as ORE sizes it).
std::pair<double, double> boost_peer(const std::vector<double>& x) {
    namespace acc = boost::accumulators;
    const auto cache = static_cast<std::size_t>(static_cast<double>(x.size()) * (1 - alpha)) + 2;
    acc::accumulator_set<double, acc::stats<acc::tag::tail_quantile<acc::right>, acc::tag::coherent_tail_mean<acc::right>>>
        a(acc::tag::tail<acc::right>::cache_size = cache);
    for (const double v : x) a(v);
    return {acc::quantile(a, acc::quantile_probability = alpha),
            acc::coherent_tail_mean(a, acc::quantile_probability = alpha)};
}

#ifdef MARGINCALL_PEER_NUMPY
// Embedded CPython: hs(buffer, alpha) → (VaR type 1, Acerbi–Tasche ES) with one np.partition.
class numpy_peer {
public:
    numpy_peer() {
        Py_Initialize();
        const char* code =
            "import numpy as np\n"
            "def hs(buf, alpha):\n"
            "    a = np.frombuffer(buf, dtype=np.float64)\n"
            "    n = a.size\n"
            "    w = n * (1.0 - alpha)\n"
            "    k = int(np.floor(w))\n"
            "    lo = int(np.ceil(n * alpha)) - 1\n"
            "    p = np.partition(a, [lo, n - k - 1])\n"
            "    es = (p[n - k:].sum() + (w - k) * p[n - k - 1]) / w\n"
            "    return float(p[lo]), float(es)\n";
        if (PyRun_SimpleString(code) != 0) throw std::runtime_error("numpy peer: python setup failed");
        PyObject* main = PyImport_AddModule("__main__");  // borrowed
        function_ = PyObject_GetAttrString(main, "hs");
        if (function_ == nullptr) throw std::runtime_error("numpy peer: hs not defined");
    }
    numpy_peer(const numpy_peer&) = delete;
    numpy_peer& operator=(const numpy_peer&) = delete;
    ~numpy_peer() {
        Py_DecRef(function_);
        Py_FinalizeEx();
    }
    std::pair<double, double> operator()(const std::vector<double>& x) const {
        PyObject* view = PyMemoryView_FromMemory(reinterpret_cast<char*>(const_cast<double*>(x.data())),
                                                 static_cast<Py_ssize_t>(x.size() * sizeof(double)), PyBUF_READ);
        PyObject* a = PyFloat_FromDouble(alpha);
        PyObject* args = PyTuple_Pack(2, view, a);
        PyObject* result = PyObject_CallObject(function_, args);
        if (result == nullptr) {
            PyErr_Print();
            throw std::runtime_error("numpy peer: hs failed");
        }
        const std::pair<double, double> r{PyFloat_AsDouble(PyTuple_GetItem(result, 0)),
                                          PyFloat_AsDouble(PyTuple_GetItem(result, 1))};
        Py_DecRef(result);
        Py_DecRef(args);
        Py_DecRef(a);
        Py_DecRef(view);
        return r;
    }

private:
    PyObject* function_ = nullptr;
};
const numpy_peer& numpy() {
    static const numpy_peer peer;
    return peer;
}
#endif

bool same(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)); }

void BM_margincall_historical_var_es(benchmark::State& state) {
    const auto& x = losses(static_cast<std::size_t>(state.range(0)));
    margincall::historical_workspace<double> ws;
    for (auto _ : state) benchmark::DoNotOptimize(ours(x, ws));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(sizeof(double)));
}
BENCHMARK(BM_margincall_historical_var_es)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// Runs one peer and reports the speed-up of margincall over it, timed in the same run.
template <class Peer>
void peer_benchmark(benchmark::State& state, Peer&& peer, int repeats) {
    const auto& x = losses(static_cast<std::size_t>(state.range(0)));
    margincall::historical_workspace<double> ws;
    const auto reference = ours(x, ws);
    const auto r = peer(x);
    if (!same(r.first, reference.value_at_risk)) {
        state.SkipWithError("peer VaR differs from margincall's");
        return;
    }
    state.counters["peer_es_minus_ours"] = r.second - reference.expected_shortfall;
    for (auto _ : state) benchmark::DoNotOptimize(peer(x));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    const double t_ours = seconds_per_call([&] { benchmark::DoNotOptimize(ours(x, ws)); }, 5);
    const double t_peer = seconds_per_call([&] { benchmark::DoNotOptimize(peer(x)); }, repeats);
    state.counters["margincall_speedup"] = t_peer / t_ours;
}

void BM_peer_copy_nth_element(benchmark::State& state) {
    std::vector<double> scratch;
    peer_benchmark(state, [&](const std::vector<double>& x) { return nth_element_peer(x, scratch); }, 3);
}
BENCHMARK(BM_peer_copy_nth_element)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_peer_boost_accumulators_tail(benchmark::State& state) {
    peer_benchmark(state, [](const std::vector<double>& x) { return boost_peer(x); }, 1);
}
BENCHMARK(BM_peer_boost_accumulators_tail)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

#ifdef MARGINCALL_PEER_NUMPY
void BM_peer_numpy_partition(benchmark::State& state) {
    peer_benchmark(state, [](const std::vector<double>& x) { return numpy()(x); }, 3);
}
BENCHMARK(BM_peer_numpy_partition)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
