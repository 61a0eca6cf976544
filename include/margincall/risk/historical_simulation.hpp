#pragma once
/// \file
/// Historical-simulation VaR and ES of a loss (or P&L) sample: VaR is a Hyndman–Fan sample
/// quantile (default type 1, the inverse empirical CDF, VaR_α = inf{l : F_n(l) ≥ α}); ES is the
/// Acerbi–Tasche discrete estimator, exact for a non-integer w = n(1−α):
///   ES_α = (1/w) [ Σ_{i=1}^{⌊w⌋} L_(i) + (w − ⌊w⌋) L_(⌊w⌋+1) ],   L_(1) ≥ L_(2) ≥ …
/// which equals (1/(1−α)) ∫_α^1 F_n^{-1}(u) du. Nothing is floored at zero.
/// Source: C. Acerbi & D. Tasche, "On the coherence of expected shortfall", J. Banking & Finance
/// 26 (2002) 1487–1503, eq. (3.2)/(4.1); Hyndman & Fan (1996) for the quantile types.
///
/// Performance: selection, never a full sort. For α near 1 only the top ~n(1−α) losses matter:
/// one streaming pass keeps the candidates at or above a threshold estimated from a strided
/// deterministic subsample, then a branch-free quickselect (detail::select_descending) runs on that
/// small buffer. When the guess is wrong (too few or too many candidates) the estimator falls back
/// to a copy of the whole sample and the same selection, so the
/// result is exact in every case. ES's sum over the ⌊w⌋ largest needs no sort either: it is an
/// order-independent fixed-point sum (core/reproducible_sum.hpp), so ES depends only on the
/// multiset of the largest losses. A caller-owned `historical_workspace` removes the allocation
/// from repeated calls.
/// Tested: R quantile(type = 1, 6, 7) and an R transcription of the Acerbi–Tasche sum
/// (tests/reference/risk_historical.R), properties ES ≥ VaR and monotone in α (tests/risk/historical_simulation.cpp).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/core/reproducible_sum.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <type_traits>
#include <vector>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace margincall {

/// What a sample holds: losses (positive = loss), or profit and loss (loss = −P&L, read in place).
enum class sample_sign : signed char { losses = 1, profit_and_loss = -1 };

/// Reusable scratch memory for historical estimators; keep one per thread and pass it to
/// repeated calls so they do not allocate. Grows to at most n + a small subsample.
template <real_scalar Real = double>
struct historical_workspace {
    std::vector<Real> candidates;
    std::vector<Real> subsample;
};

namespace detail {

// Order statistics the historical estimator needs: VaR's two neighbours and ES's L_(⌊w⌋+1),
// counted from the top (rank 1 = largest loss).
template <real_scalar Real>
struct tail_ranks {
    quantile_position<Real> quantile;
    std::size_t rank_lo;  // descending rank of x_(lo)
    std::size_t rank_hi;  // descending rank of x_(hi)
    std::size_t k;        // ⌊w⌋, clamped to n − 1
    Real w;               // n(1 − α)
    std::size_t needed;   // largest rank needed
};

template <real_scalar Real>
[[nodiscard]] tail_ranks<Real> tail_ranks_for(std::size_t n, Real alpha, quantile_type type) noexcept {
    using std::floor;
    tail_ranks<Real> r{};
    r.quantile = locate_quantile(type, n, alpha);
    r.rank_lo = n - r.quantile.lo + 1;
    r.rank_hi = n - r.quantile.hi + 1;
    r.w = static_cast<Real>(n) * (Real(1) - alpha);
    const Real kf = floor(r.w);
    r.k = kf >= static_cast<Real>(n) ? n - 1 : static_cast<std::size_t>(kf);
    r.needed = std::max(r.rank_lo, r.k + 1);
    return r;
}

// Exact fallback: the whole (signed) sample copied into the workspace.
template <real_scalar Real>
[[nodiscard]] std::span<Real> copy_signed(const char* where, std::span<const Real> sample, Real sign,
                                          std::vector<Real>& buffer) {
    check_all_finite<Real>(where, "sample", sample);
    buffer.resize(sample.size());
    if (sign > Real(0))
        std::copy(sample.begin(), sample.end(), buffer.begin());
    else
        std::transform(sample.begin(), sample.end(), buffer.begin(), [](const Real& x) { return Real(-x); });
    return {buffer.data(), buffer.size()};
}

// The threshold of the one-pass filter: a guess of a value with at least `needed` of the
// sample's signed values at or above it, and room for the candidates it should let through.
template <real_scalar Real>
struct threshold_plan {
    Real threshold;
    std::size_t capacity;  // twice the expected candidate count (+1024): more means a wrong guess
    bool usable;           // false: sample too small, α too low, or a non-finite value sampled
    bool has_sure;         // the subsample ranks a second threshold, as many deviations below
    Real sure_threshold;   // the expected count: the values at or above it are most likely all
                           // among the `needed` largest (a split the selection may use)
};

// std::nth_element(first, nth, last, std::greater<Real>{}) for double and float, faster on the
// selections this estimator runs (a rank among a few thousand candidates, or in the plan's
// subsample): libstdc++'s introselect partitions with a branch on every comparison, mispredicted
// about half the time on data in random order. This quickselect partitions without a branch:
// Lomuto's scheme (J. Bentley, Programming Pearls, 1986, §10.2) with an unconditional swap and a
// conditional advance (A. Alexandrescu, "Lomuto's Comeback", The D Blog, 2020; O. Peters,
// "Branchless Lomuto Partitioning", orlp.net, 2023), on a median-of-three pivot. No library
// offers a branch-free selection (Boost.Sort has branch-free sorts, not selection). Budget: after 2·log2(n) + 8 rounds without reaching the rank (many
// equal values, or an adversarial order) it hands the rest to std::nth_element, whose worst case
// is O(n log n). Equal values end where std::nth_element may put them in another order; the
// value at nth and the multiset on each side are the same, and that is all the estimators read.
template <class Real>
void select_descending(Real* first, Real* nth, Real* last) {
    if constexpr (!std::is_floating_point_v<Real>) {
        std::nth_element(first, nth, last, std::greater<Real>{});
    } else {
        if (nth >= last) return;
        int budget = 8;
        for (auto n = static_cast<std::size_t>(last - first); n > 1; n >>= 1) budget += 2;
        while (last - first > 16) {
            if (budget-- == 0) {
                std::nth_element(first, nth, last, std::greater<Real>{});
                return;
            }
            // Median of first, middle and last − 1 to the end, as the pivot.
            Real* mid = first + (last - first) / 2;
            Real* back = last - 1;
            if (*mid > *first) std::swap(*mid, *first);
            if (*back > *first) std::swap(*back, *first);  // *first is the largest of the three
            if (*mid > *back) std::swap(*mid, *back);        // *back is the median
            const Real pivot = *back;
            Real* store = first;
            for (Real* p = first; p < back; ++p) {
                const Real x = *p;
                *p = *store;
                *store = x;
                store += x > pivot ? 1 : 0;
            }
            std::swap(*store, *back);  // [first, store) > pivot = *store ≥ (store, last)
            if (store == nth) return;
            if (nth < store)
                last = store;
            else
                first = store + 1;
        }
        std::nth_element(first, nth, last, std::greater<Real>{});
    }
}

// The guess from a deterministic subsample: about n/32 values, a power of two between 2^10 and
// 2^15 (small enough that ranking it costs little beside the pass, large enough for a tight
// threshold where the filter's output is large), in contiguous chunks of 64 evenly spread (cache
// line friendly, and still a view of every part of the sample, sorted or clustered input
// included), ranked a few standard deviations beyond the expected count so that the pass keeps
// at least `needed` values. Depends only on the sample, the sign and `needed`.
template <real_scalar Real>
[[nodiscard]] threshold_plan<Real> plan_threshold(std::span<const Real> sample, Real sign, std::size_t needed,
                                                  std::vector<Real>& subsample) {
    const std::size_t n = sample.size();
    constexpr std::size_t min_fast = std::size_t{1} << 15;
    if (n < min_fast || needed > n / 16) return {Real(0), 0, false, false, Real(0)};
    const std::size_t sub_size = std::clamp(std::bit_floor(n / 32), std::size_t{1} << 10, std::size_t{1} << 15);
    constexpr std::size_t chunk = 64;
    const std::size_t stride = n / (sub_size / chunk);
    subsample.resize(sub_size);
    bool finite = true;
    // The chunks lie a stride apart, each in its own pages, so the gather is latency-bound (a
    // cache and TLB miss per line, no hardware prefetch across the gaps): the lines of the chunk
    // `ahead` chunks on are requested while this one is read, so that misses overlap. Measured on
    // 100 cold portfolios of 10^5 (under load, so indicative): 4.0 → 2.9–3.6 ms for the plans.
    constexpr std::size_t ahead = 8;
    const std::size_t chunks = sub_size / chunk;
    for (std::size_t c = 0; c < chunks; ++c) {
        if (c + ahead < chunks) {
            const char* next = reinterpret_cast<const char*>(sample.data() + (c + ahead) * stride);
            for (std::size_t line = 0; line < chunk * sizeof(Real); line += 64) __builtin_prefetch(next + line, 0, 0);
        }
        const Real* from = sample.data() + c * stride;
        for (std::size_t i = 0; i < chunk; ++i) {
            const Real x = sign * from[i];
            finite = finite && (x - x == Real(0));
            subsample[c * chunk + i] = x;
        }
    }
    if (!finite) return {Real(0), 0, false, false, Real(0)};
    const double expected = static_cast<double>(needed) * static_cast<double>(sub_size) / static_cast<double>(n);
    auto rank = static_cast<std::size_t>(expected + 4.0 * std::sqrt(expected) + 8.0);
    rank = std::min(rank, sub_size);
    select_descending(subsample.data(), subsample.data() + (rank - 1), subsample.data() + subsample.size());
    const std::size_t capacity = std::min(n, 2 * (rank * (n / sub_size)) + 1024);
    const double sure_rank = expected - 4.0 * std::sqrt(expected) - 8.0;
    const bool has_sure = sure_rank >= 1.0 && rank >= 2;
    Real sure(0);
    if (has_sure) {
        const auto r = std::min(static_cast<std::size_t>(sure_rank), rank - 1);  // within the prefix left above
        select_descending(subsample.data(), subsample.data() + (r - 1), subsample.data() + (rank - 1));
        sure = subsample[r - 1];
    }
    return {subsample[rank - 1], capacity, true, has_sure, sure};
}

enum class filter_outcome : unsigned char { kept, non_finite, over_capacity };

// Bit j of `mask`: sign·p[j] ≥ threshold; `bad` non-zero when a value is not finite; a block of 64
// doubles. Compilers do not vectorise the portable bit-building loop (g++ 12 and clang 14 emit
// scalar compares), so where the translation unit is built for AVX-512 or AVX2 the compares run
// eight or four at a time; the result is the same bits (tests/risk/historical_filter.cpp runs
// the same cases on the portable loop and, in a -march=native build, on this one).
inline void block_masks(const double* p, double sign, double threshold, std::uint64_t& mask, std::uint64_t& bad) noexcept {
#if defined(__AVX512F__)
    const __m512d s = _mm512_set1_pd(sign), t = _mm512_set1_pd(threshold), zero = _mm512_setzero_pd();
    for (unsigned k = 0; k < 8; ++k) {
        const __m512d x = _mm512_mul_pd(s, _mm512_loadu_pd(p + 8 * k));
        mask |= static_cast<std::uint64_t>(_mm512_cmp_pd_mask(x, t, _CMP_GE_OQ)) << (8 * k);
        bad |= static_cast<std::uint64_t>(_mm512_cmp_pd_mask(_mm512_sub_pd(x, x), zero, _CMP_NEQ_UQ));
    }
#elif defined(__AVX2__)
    const __m256d s = _mm256_set1_pd(sign), t = _mm256_set1_pd(threshold), zero = _mm256_setzero_pd();
    for (unsigned k = 0; k < 16; ++k) {
        const __m256d x = _mm256_mul_pd(s, _mm256_loadu_pd(p + 4 * k));
        mask |= static_cast<std::uint64_t>(_mm256_movemask_pd(_mm256_cmp_pd(x, t, _CMP_GE_OQ))) << (4 * k);
        bad |= static_cast<std::uint64_t>(_mm256_movemask_pd(_mm256_cmp_pd(_mm256_sub_pd(x, x), zero, _CMP_NEQ_UQ)));
    }
#else
    for (unsigned j = 0; j < 64; ++j) {
        const double x = sign * p[j];
        mask |= static_cast<std::uint64_t>(x >= threshold) << j;
        bad |= static_cast<std::uint64_t>(!(x - x == 0.0));
    }
#endif
}

// The signed values of data[0, n) at or above `threshold`, appended to out[count, capacity).
// Blocks of 64: a branch-free, vectorisable pass builds a bit mask of the candidates (and flags
// non-finite values), then only the set bits are visited. Candidates are rare (about n(1−α) of
// n), so the cost is the pass itself, close to one memory pass.
template <real_scalar Real>
[[nodiscard]] filter_outcome filter_at_threshold(const Real* data, std::size_t n, Real sign, Real threshold, Real* out,
                                                 std::size_t capacity, std::size_t& count) {
    constexpr std::size_t block = 64;
    for (std::size_t start = 0; start < n; start += block) {
        const std::size_t len = std::min(block, n - start);
        const Real* p = data + start;
        std::uint64_t mask = 0;
        std::uint64_t bad = 0;
        if (len == block) {
            if constexpr (std::is_same_v<Real, double>) {
                block_masks(p, sign, threshold, mask, bad);
            } else {
                for (std::size_t j = 0; j < block; ++j) {
                    const Real x = sign * p[j];
                    mask |= static_cast<std::uint64_t>(x >= threshold) << j;
                    bad |= static_cast<std::uint64_t>(!(x - x == Real(0)));
                }
            }
        } else {
            for (std::size_t j = 0; j < len; ++j) {
                const Real x = sign * p[j];
                mask |= static_cast<std::uint64_t>(x >= threshold) << j;
                bad |= static_cast<std::uint64_t>(!(x - x == Real(0)));
            }
        }
        if (bad != 0) return filter_outcome::non_finite;
        const auto found = static_cast<std::size_t>(std::popcount(mask));
        if (count + found > capacity) return filter_outcome::over_capacity;
        if (len == block && capacity - count >= 2) {
            // The first two set bits without a branch: about half the blocks hold a candidate at
            // α = 0.99, so a loop on the mask mispredicts about once a block. An empty mask reads
            // p[63] (countr_zero of the top bit alone) into a slot past `count`, which stays free.
            constexpr std::uint64_t top = std::uint64_t{1} << 63;
            out[count] = sign * p[std::countr_zero(mask | top)];
            mask &= mask - 1;
            out[count + std::min<std::size_t>(found, 1)] = sign * p[std::countr_zero(mask | top)];
            mask &= mask - 1;
            count += std::min<std::size_t>(found, 2);
        }
        while (mask != 0) {
            out[count++] = sign * p[std::countr_zero(mask)];
            mask &= mask - 1;
        }
    }
    return filter_outcome::kept;
}

// A buffer that holds at least the `needed` largest signed values of the sample (exactly those
// at or above a threshold, or the whole sample). Throws when the sample holds a non-finite value.
// When the threshold guess is wrong (too few or too many candidates) it falls back to a copy of
// the whole sample, so the caller's selection is exact in every case.
template <real_scalar Real>
[[nodiscard]] std::span<Real> top_candidates(const char* where, std::span<const Real> sample, Real sign,
                                             std::size_t needed, historical_workspace<Real>& ws) {
    const auto plan = plan_threshold(sample, sign, needed, ws.subsample);
    if (!plan.usable) return copy_signed(where, sample, sign, ws.candidates);  // throws for a non-finite value
    if (ws.candidates.size() < plan.capacity) ws.candidates.resize(plan.capacity);
    std::size_t count = 0;
    const auto outcome =
        filter_at_threshold(sample.data(), sample.size(), sign, plan.threshold, ws.candidates.data(), plan.capacity, count);
    if (outcome != filter_outcome::kept || count < needed)
        return copy_signed(where, sample, sign, ws.candidates);  // names a non-finite value's index, or the guess was wrong
    return {ws.candidates.data(), count};
}

// ES's sum of excesses Σ_{i<k} (c_i − next) / w, as a function of the multiset of the k largest
// losses alone (core/reproducible_sum.hpp for built-in floating types; a descending sort first
// otherwise), so that a sample split over threads or processes and merged (parallel/tail_merge.hpp,
// mpi/) gives the same ES bit for bit as the whole sample here (issue #16). Returns a non-finite
// value when an excess overflows. `sum_terms(sum, top, next)` adds every excess top_i − next of the
// k largest to `sum`, a fixed-point sum made with the one bound max(c_i) − next: add_excesses here,
// split over workers by parallel/tail_merge.hpp (the sum is exact and order-independent, so any
// split gives the same bits).
template <real_scalar Real, class SumTerms>
[[nodiscard]] Real mean_excess(std::span<Real> c, std::size_t k, Real next, Real w, SumTerms&& sum_terms) {
    if constexpr (std::is_floating_point_v<Real>) {
        Real bound(0);
        for (std::size_t i = 0; i < k; ++i) bound = std::max(bound, Real(c[i] - next));
        if (!detail::is_finite(bound)) return bound;
        nonnegative_fixed_sum<Real> sum(bound);
        sum_terms(sum, std::span<const Real>(c.data(), k), next);
        return sum.total_over(w);
    } else {
        std::sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(k), std::greater<Real>{});
        Real excess_mean(0);
        for (std::size_t i = 0; i < k; ++i) excess_mean += Real(c[i] - next) / w;
        return excess_mean;
    }
}

// The one-worker term adder of mean_excess: every excess c_i − next of `top` into `sum`.
struct add_excesses {
    template <std::floating_point Real>
    void operator()(nonnegative_fixed_sum<Real>& sum, std::span<const Real> top, Real next) const {
        for (const Real x : top) sum.add(x - next);
    }
};

// VaR (Hyndman–Fan type) and Acerbi–Tasche ES from a buffer holding the largest losses. When the
// caller knows that c[0, sure) holds values no smaller than any of c[sure, size) (a split at a
// second, higher threshold), a rank beyond `sure` is selected within c[sure, size) alone.
template <real_scalar Real, class SumTerms = add_excesses>
[[nodiscard]] tail_risk<Real> tail_from_candidates(std::span<Real> c, const tail_ranks<Real>& r,
                                                   SumTerms&& sum_terms = SumTerms{}, std::size_t sure = 0) {
    // Select the needed descending ranks from the largest down; each later selection works
    // inside the prefix the earlier one left, so the total cost is O(|c|).
    std::array<std::size_t, 3> ranks{r.rank_lo, r.rank_hi, r.k + 1};
    std::sort(ranks.begin(), ranks.end(), std::greater<>{});
    std::array<Real, 3> values{};
    std::size_t end = c.size();
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        if (i > 0 && ranks[i] == ranks[i - 1]) {
            values[i] = values[i - 1];
            continue;
        }
        const auto pos = c.begin() + static_cast<std::ptrdiff_t>(ranks[i] - 1);
        const std::size_t from = ranks[i] > sure ? sure : 0;               // the r-th largest is the
        const std::size_t to = ranks[i] > sure ? end : std::min(end, sure);  // (r − from)-th of [from, to)
        select_descending(c.data() + from, c.data() + (ranks[i] - 1), c.data() + to);
        values[i] = *pos;
        end = ranks[i] - 1;
    }
    const auto value_of = [&](std::size_t rank) {
        for (std::size_t i = 0; i < ranks.size(); ++i)
            if (ranks[i] == rank) return values[i];
        return values[0];
    };
    // ES = (Σ_{i≤k} L_(i) + (w − k) L_(k+1)) / w = L_(k+1) + Σ_{i≤k} (L_(i) − L_(k+1)) / w,
    // the second form as a mean of excesses: each term is ≥ 0 (so ES ≥ L_(k+1) in any rounding)
    // and the sum is exact before one rounding (mean_excess), so losses near 1e308 do not overflow
    // a plain sum (issue #14, class 4) and ES depends only on the multiset of the largest losses.
    const Real next = value_of(r.k + 1);
    Real es = next;
    if (r.k > 0) {
        const Real excess = mean_excess(c, r.k, next, r.w, sum_terms);
        es = detail::is_finite(excess) ? Real(next + excess) : excess;
        if (!detail::is_finite(es)) {  // excesses of ~2e308 (losses of both signs near the limit): a mean of c_i / w
            std::sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(r.k), std::greater<Real>{});
            es = (r.w - static_cast<Real>(r.k)) / r.w * next;
            for (std::size_t i = 0; i < r.k; ++i) es += c[i] / r.w;
        }
    }
    const Real var = interpolate_quantile(r.quantile, value_of(r.rank_lo), value_of(r.rank_hi));
    return {var, es};
}

}  // namespace detail

/// Historical simulation: VaR (a Hyndman–Fan sample quantile of the losses, default type 1)
/// and ES (Acerbi–Tasche) of the empirical loss distribution; a `tail_estimator` policy.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class historical_simulation {
public:
    /// \param type the quantile definition for VaR (type 1 is the inverse empirical CDF, the one
    ///        consistent with the Acerbi–Tasche ES; R and NumPy default to type 7)
    /// \param sign whether the sample holds losses or P&L (read as loss = −P&L, without a copy)
    explicit constexpr historical_simulation(quantile_type type = quantile_type::type1,
                                             sample_sign sign = sample_sign::losses) noexcept
        : type_{type}, sign_{sign} {}

    /// VaR_α and ES_α of the sample; allocates a workspace of its own.
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> sample, Real alpha) const {
        historical_workspace<Real> ws;
        return estimate(sample, alpha, ws);
    }

    /// VaR_α and ES_α of the sample, reusing `ws` (no allocation once it has grown).
    /// Throws margincall::invalid_argument for an empty sample, α ∉ (0, 1) or a non-finite value.
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> sample, Real alpha, historical_workspace<Real>& ws) const {
        constexpr const char* where = "historical_simulation";
        check_not_empty<Real>(where, "sample", sample);
        check_probability(where, "alpha", alpha);
        const auto ranks = detail::tail_ranks_for(sample.size(), alpha, type_);
        const Real sign = sign_ == sample_sign::losses ? Real(1) : Real(-1);
        const auto candidates = detail::top_candidates(where, sample, sign, ranks.needed, ws);
        return detail::tail_from_candidates(candidates, ranks);
    }

    [[nodiscard]] constexpr quantile_type type() const noexcept { return type_; }
    [[nodiscard]] constexpr sample_sign sign() const noexcept { return sign_; }

private:
    quantile_type type_;
    sample_sign sign_;
};

}  // namespace margincall
