// Batch price + delta of a realistic equity options book (tests/reference/options_batch_mpmath.out:
// spot 100, strikes 50–150, expiries 1 week–2 years, σ 10–120 %, calls and puts), timed per
// candidate on the same book, each candidate's accuracy counted against the 50-digit mpmath
// reference of that book:
//   margincall      black_scholes_price_delta (option_batch.hpp: hand-written vector exp/log and
//                   normal tail, the Mills-ratio form out of the money, long double for the flagged few)
//   std_erfc_loop   the textbook formula one option at a time on std::erfc/exp/log/sqrt
//   sleef_avx2/512  the textbook formula on SLEEF 3.5 (Sleef_expd4_u10avx2, Sleef_logd4_u10avx2,
//                   Sleef_erfcd4_u15avx2 and the d8 …avx512f ones; fixed ISA, no run-time dispatch)
//   xsimd           the textbook formula on xsimd 8 batch<double> (xsimd::exp, log, erfc; the
//                   widest ISA the compile flags enable)
//   quantlib        QuantLib's BlackCalculator one option at a time (QuantLib has no batch API)
// Highway's contrib/math (libhwy-dev 1.0.3) has Exp and Log but no Erf/Erfc, so it cannot form
// the formula without a hand-written CDF and is not a candidate. SLEEF, xsimd and QuantLib are
// compiled in only where CMake finds them (benchmarks/CMakeLists.txt).
// Counters: share_within_1e-13 (price and delta both within 1e-13 relative of mpmath), worst_rel_err.
// BM_scalar_*: the scalar price alone, one option at a time (black_scholes_price, the std::erfc
// loop, QuantLib's BlackCalculator::value()), for the scalar-pricing ratios of issue #15.
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/option_batch.hpp>

#include "../tests/reference/options_batch_book.hpp"
#include "options_book.hpp"

#include <benchmark/benchmark.h>

#if defined(MARGINCALL_BENCH_SLEEF)
#include <immintrin.h>
#include <sleef.h>
#endif
#if defined(MARGINCALL_BENCH_XSIMD)
#include <xsimd/xsimd.hpp>
#endif
#if defined(MARGINCALL_BENCH_QUANTLIB)
#include <ql/pricingengines/blackcalculator.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

const margincall_reference::options_batch_book& book() {
    static const auto b =
        margincall_reference::read_options_batch_book(MARGINCALL_BENCH_REFERENCE_DIR "/options_batch_mpmath.out");
    return b;
}

// Runs `price_all(n, price, delta)` in the timing loop and reports throughput and accuracy (of
// price and delta, or of the price alone when !WithDelta: the scalar benchmarks below).
template <bool WithDelta = true, class F>
void run(benchmark::State& state, F price_all) {
    const auto& b = book();
    const auto n = std::min(static_cast<std::size_t>(state.range(0)), b.spot.size());
    std::vector<double> price(n);
    std::vector<double> delta(n);
    for (auto _ : state) {
        price_all(n, price.data(), delta.data());
        benchmark::DoNotOptimize(price.data());
        benchmark::DoNotOptimize(delta.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    std::size_t within = 0;
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = std::max(std::abs(price[i] - b.price[i]) / std::abs(b.price[i]),
                                  WithDelta ? std::abs(delta[i] - b.delta[i]) / std::abs(b.delta[i]) : 0.0);
        within += e <= 1e-13 ? 1 : 0;
        worst = std::max(worst, std::isnan(e) ? 1.0 : e);
    }
    state.counters["share_within_1e-13"] = static_cast<double>(within) / static_cast<double>(n);
    state.counters["worst_rel_err"] = worst;
}

void BM_batch_margincall(benchmark::State& state) {
    const auto& b = book();
    run(state, [&](std::size_t n, double* price, double* delta) {
        margincall::black_scholes_price_delta(b.view(n), {price, n}, {delta, n});
    });
}

// The plain std::erfc loop's formula (options_book.hpp) for option i of the book.
double textbook_erfc(std::size_t i, double* delta) {
    const auto& b = book();
    return margincall_bench::textbook_erfc_price(b.type[i], b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i],
                                                 b.volatility[i], delta);
}

void BM_batch_std_erfc_loop(benchmark::State& state) {
    run(state, [&](std::size_t n, double* price, double* delta) {
        for (std::size_t i = 0; i < n; ++i) price[i] = textbook_erfc(i, delta + i);
    });
}

#if defined(MARGINCALL_BENCH_SLEEF) && defined(__AVX2__) && defined(__FMA__)
// The textbook formula on SLEEF, over an ISA given by its intrinsics and SLEEF's entry points.
template <class Isa>
void sleef_price_delta(std::size_t n, double* price, double* delta) {
    using v = typename Isa::vector;
    constexpr std::size_t lanes = sizeof(v) / sizeof(double);
    const auto& b = book();
    const v half = Isa::set1(0.5);
    const v minus_sqrt_half = Isa::set1(-0.70710678118654752440);
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
        alignas(64) double wl[lanes];
        for (std::size_t j = 0; j < lanes; ++j) wl[j] = b.type[i + j] == margincall::option_type::call ? 1.0 : -1.0;
        const v w = Isa::load(wl);
        const v t = Isa::load(&b.expiry[i]);
        const v r = Isa::load(&b.rate[i]);
        const v c = Isa::load(&b.carry[i]);
        const v s = Isa::load(&b.spot[i]);
        const v k = Isa::load(&b.strike[i]);
        const v sd = Isa::mul(Isa::load(&b.volatility[i]), Isa::sqrt(t));
        const v cf = Isa::exp(Isa::mul(Isa::sub(c, r), t));
        const v df = Isa::exp(Isa::mul(Isa::sub(Isa::set1(0.0), r), t));
        const v lm = Isa::fmadd(c, t, Isa::log(Isa::div(s, k)));
        const v d1 = Isa::fmadd(half, sd, Isa::div(lm, sd));
        const v d2 = Isa::sub(d1, sd);
        const v n1 = Isa::mul(half, Isa::erfc(Isa::mul(minus_sqrt_half, Isa::mul(w, d1))));
        const v n2 = Isa::mul(half, Isa::erfc(Isa::mul(minus_sqrt_half, Isa::mul(w, d2))));
        const v owed = Isa::mul(Isa::mul(k, df), n2);
        Isa::store(price + i, Isa::mul(w, Isa::fmsub(Isa::mul(s, cf), n1, owed)));
        Isa::store(delta + i, Isa::mul(w, Isa::mul(cf, n1)));
    }
    for (; i < n; ++i) price[i] = delta[i] = 0.0;  // n is a multiple of the lanes in every run below
}

struct sleef_avx2 {
    using vector = __m256d;
    static vector set1(double x) { return _mm256_set1_pd(x); }
    static vector load(const double* p) { return _mm256_loadu_pd(p); }
    static void store(double* p, vector x) { _mm256_storeu_pd(p, x); }
    static vector mul(vector a, vector b) { return _mm256_mul_pd(a, b); }
    static vector sub(vector a, vector b) { return _mm256_sub_pd(a, b); }
    static vector div(vector a, vector b) { return _mm256_div_pd(a, b); }
    static vector fmadd(vector a, vector b, vector c) { return _mm256_fmadd_pd(a, b, c); }
    static vector fmsub(vector a, vector b, vector c) { return _mm256_fmsub_pd(a, b, c); }
    static vector sqrt(vector x) { return _mm256_sqrt_pd(x); }
    static vector exp(vector x) { return Sleef_expd4_u10avx2(x); }
    static vector log(vector x) { return Sleef_logd4_u10avx2(x); }
    static vector erfc(vector x) { return Sleef_erfcd4_u15avx2(x); }
};

void BM_batch_sleef_avx2(benchmark::State& state) { run(state, sleef_price_delta<sleef_avx2>); }
BENCHMARK(BM_batch_sleef_avx2)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);

#if defined(__AVX512F__)
struct sleef_avx512 {
    using vector = __m512d;
    static vector set1(double x) { return _mm512_set1_pd(x); }
    static vector load(const double* p) { return _mm512_loadu_pd(p); }
    static void store(double* p, vector x) { _mm512_storeu_pd(p, x); }
    static vector mul(vector a, vector b) { return _mm512_mul_pd(a, b); }
    static vector sub(vector a, vector b) { return _mm512_sub_pd(a, b); }
    static vector div(vector a, vector b) { return _mm512_div_pd(a, b); }
    static vector fmadd(vector a, vector b, vector c) { return _mm512_fmadd_pd(a, b, c); }
    static vector fmsub(vector a, vector b, vector c) { return _mm512_fmsub_pd(a, b, c); }
    static vector sqrt(vector x) { return _mm512_sqrt_pd(x); }
    static vector exp(vector x) { return Sleef_expd8_u10avx512f(x); }
    static vector log(vector x) { return Sleef_logd8_u10avx512f(x); }
    static vector erfc(vector x) { return Sleef_erfcd8_u15avx512f(x); }
};

void BM_batch_sleef_avx512(benchmark::State& state) { run(state, sleef_price_delta<sleef_avx512>); }
BENCHMARK(BM_batch_sleef_avx512)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);
#endif
#endif

#if defined(MARGINCALL_BENCH_XSIMD)
void BM_batch_xsimd(benchmark::State& state) {
    using batch = xsimd::batch<double>;
    constexpr std::size_t lanes = batch::size;
    const auto& b = book();
    state.SetLabel(xsimd::default_arch::name());
    run(state, [&](std::size_t n, double* price, double* delta) {
        std::size_t i = 0;
        for (; i + lanes <= n; i += lanes) {
            alignas(64) double wl[lanes];
            for (std::size_t j = 0; j < lanes; ++j) wl[j] = b.type[i + j] == margincall::option_type::call ? 1.0 : -1.0;
            const batch w = batch::load_aligned(wl);
            const batch t = batch::load_unaligned(&b.expiry[i]);
            const batch r = batch::load_unaligned(&b.rate[i]);
            const batch c = batch::load_unaligned(&b.carry[i]);
            const batch s = batch::load_unaligned(&b.spot[i]);
            const batch k = batch::load_unaligned(&b.strike[i]);
            const batch sd = batch::load_unaligned(&b.volatility[i]) * xsimd::sqrt(t);
            const batch cf = xsimd::exp((c - r) * t);
            const batch df = xsimd::exp(-r * t);
            const batch d1 = (xsimd::log(s / k) + c * t) / sd + 0.5 * sd;
            const batch n1 = 0.5 * xsimd::erfc(-0.70710678118654752440 * w * d1);
            const batch n2 = 0.5 * xsimd::erfc(-0.70710678118654752440 * w * (d1 - sd));
            (w * (s * cf * n1 - k * df * n2)).store_unaligned(price + i);
            (w * cf * n1).store_unaligned(delta + i);
        }
        for (; i < n; ++i) price[i] = delta[i] = 0.0;  // n is a multiple of the lanes in every run below
    });
}
BENCHMARK(BM_batch_xsimd)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);
#endif

#if defined(MARGINCALL_BENCH_QUANTLIB)
void BM_batch_quantlib(benchmark::State& state) {
    const auto& b = book();
    run(state, [&](std::size_t n, double* price, double* delta) {
        for (std::size_t i = 0; i < n; ++i) {
            const double t = b.expiry[i];
            const QuantLib::BlackCalculator calc(
                b.type[i] == margincall::option_type::call ? QuantLib::Option::Call : QuantLib::Option::Put,
                b.strike[i], b.spot[i] * std::exp(b.carry[i] * t), b.volatility[i] * std::sqrt(t),
                std::exp(-b.rate[i] * t));
            price[i] = calc.value();
            delta[i] = calc.delta(b.spot[i]);
        }
    });
}
BENCHMARK(BM_batch_quantlib)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);
#endif

// Scalar pricing (issue #15: within 1.5x of the plain std::erfc loop at full accuracy), price only,
// one option at a time on the same book, with the three candidates in this one binary so that the
// ratios come from one process: black_scholes_price (the calculator's and the stress tests' path),
// the textbook formula on std::erfc/exp/log/sqrt, and QuantLib's BlackCalculator::value().
// Counters as above (price only: share_within_1e-13, worst_rel_err).
template <class F>
void run_scalar(benchmark::State& state, F price_one) {
    run<false>(state, [&](std::size_t n, double* price, double* /*delta*/) {
        for (std::size_t i = 0; i < n; ++i) price[i] = price_one(i);
    });
}

void BM_scalar_margincall(benchmark::State& state) {
    const auto& b = book();
    run_scalar(state, [&](std::size_t i) {
        return margincall::black_scholes_price(
            b.type[i], margincall::option_inputs<double>{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i],
                                                         b.volatility[i]});
    });
}
BENCHMARK(BM_scalar_margincall)->Arg(1 << 12)->Arg(20000);

void BM_scalar_std_erfc_loop(benchmark::State& state) {
    run_scalar(state, [](std::size_t i) { return textbook_erfc(i, nullptr); });
}
BENCHMARK(BM_scalar_std_erfc_loop)->Arg(1 << 12)->Arg(20000);

#if defined(MARGINCALL_BENCH_QUANTLIB)
void BM_scalar_quantlib(benchmark::State& state) {
    const auto& b = book();
    run_scalar(state, [&](std::size_t i) {
        const double t = b.expiry[i];
        const QuantLib::BlackCalculator calc(
            b.type[i] == margincall::option_type::call ? QuantLib::Option::Call : QuantLib::Option::Put, b.strike[i],
            b.spot[i] * std::exp(b.carry[i] * t), b.volatility[i] * std::sqrt(t), std::exp(-b.rate[i] * t));
        return calc.value();
    });
}
BENCHMARK(BM_scalar_quantlib)->Arg(1 << 12)->Arg(20000);
#endif

}  // namespace

BENCHMARK(BM_batch_margincall)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);
BENCHMARK(BM_batch_std_erfc_loop)->Arg(1 << 10)->Arg(1 << 12)->Arg(20000);
