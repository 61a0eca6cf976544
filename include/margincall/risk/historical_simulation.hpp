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
/// deterministic subsample, then `std::nth_element` runs on that small buffer. When the guess is
/// wrong (too few or too many candidates) the estimator falls back to copy + nth_element, so the
/// result is exact in every case. A caller-owned `historical_workspace` removes the allocation
/// from repeated calls.
/// Tested: R quantile(type = 1, 6, 7) and an R transcription of the Acerbi–Tasche sum
/// (tests/reference/risk_historical.R), properties ES ≥ VaR and monotone in α (tests/risk/historical_simulation.cpp).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

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

// A buffer that holds at least the `needed` largest signed values of the sample (exactly those
// at or above a threshold, or the whole sample). Throws when the sample holds a non-finite value.
template <real_scalar Real>
[[nodiscard]] std::span<Real> top_candidates(const char* where, std::span<const Real> sample, Real sign,
                                             std::size_t needed, historical_workspace<Real>& ws) {
    const std::size_t n = sample.size();
    constexpr std::size_t min_fast = std::size_t{1} << 15;
    constexpr std::size_t sub_size = std::size_t{1} << 13;
    if (n < min_fast || needed > n / 16) return copy_signed(where, sample, sign, ws.candidates);

    // Threshold guess: a deterministic subsample, ranked a few standard deviations
    // beyond the expected count so that the pass keeps at least `needed` values.
    // 128 contiguous chunks of 64 values, evenly spread: cache-line friendly, and still a view
    // of every part of the sample (sorted or clustered input included).
    constexpr std::size_t chunk = 64;
    const std::size_t stride = n / (sub_size / chunk);
    ws.subsample.resize(sub_size);
    bool finite = true;
    for (std::size_t c = 0; c < sub_size / chunk; ++c) {
        const Real* from = sample.data() + c * stride;
        for (std::size_t i = 0; i < chunk; ++i) {
            const Real x = sign * from[i];
            finite = finite && (x - x == Real(0));
            ws.subsample[c * chunk + i] = x;
        }
    }
    if (!finite) return copy_signed(where, sample, sign, ws.candidates);  // throws, naming the index
    const double expected = static_cast<double>(needed) * static_cast<double>(sub_size) / static_cast<double>(n);
    auto rank = static_cast<std::size_t>(expected + 4.0 * std::sqrt(expected) + 8.0);
    rank = std::min(rank, sub_size);
    std::nth_element(ws.subsample.begin(), ws.subsample.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                     ws.subsample.end(), std::greater<Real>{});
    const Real threshold = ws.subsample[rank - 1];
    // Room for twice the expected candidate count; more means the guess was wrong.
    const std::size_t capacity = std::min(n, 2 * (rank * (n / sub_size)) + 1024);
    if (ws.candidates.size() < capacity) ws.candidates.resize(capacity);
    Real* out = ws.candidates.data();
    std::size_t count = 0;
    // Blocks of 64: a branch-free, vectorisable pass builds a bit mask of the candidates (and
    // flags non-finite values), then only the set bits are visited. Candidates are rare (about
    // n(1−α) of n), so the cost is the pass itself, close to one memory pass.
    constexpr std::size_t block = 64;
    const Real* data = sample.data();
    for (std::size_t start = 0; start < n; start += block) {
        const std::size_t len = std::min(block, n - start);
        const Real* p = data + start;
        std::uint64_t mask = 0;
        std::uint64_t bad = 0;
        if (len == block) {
            for (std::size_t j = 0; j < block; ++j) {
                const Real x = sign * p[j];
                mask |= static_cast<std::uint64_t>(x >= threshold) << j;
                bad |= static_cast<std::uint64_t>(!(x - x == Real(0)));
            }
        } else {
            for (std::size_t j = 0; j < len; ++j) {
                const Real x = sign * p[j];
                mask |= static_cast<std::uint64_t>(x >= threshold) << j;
                bad |= static_cast<std::uint64_t>(!(x - x == Real(0)));
            }
        }
        if (bad != 0) return copy_signed(where, sample, sign, ws.candidates);  // throws, naming the index
        if (count + static_cast<std::size_t>(std::popcount(mask)) > capacity)
            return copy_signed(where, sample, sign, ws.candidates);  // the guess was too low
        while (mask != 0) {
            out[count++] = sign * p[std::countr_zero(mask)];
            mask &= mask - 1;
        }
    }
    if (count < needed) return copy_signed(where, sample, sign, ws.candidates);
    return {out, count};
}

// VaR (Hyndman–Fan type) and Acerbi–Tasche ES from a buffer holding the largest losses.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> tail_from_candidates(std::span<Real> c, const tail_ranks<Real>& r) {
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
        std::nth_element(c.begin(), pos, c.begin() + static_cast<std::ptrdiff_t>(end), std::greater<Real>{});
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
    // and the running sum is bounded by the largest excess, so losses near 1e308 do not
    // overflow a plain sum (issue #14, class 4). An excess that itself overflows is halved first.
    const Real next = value_of(r.k + 1);
    // The ⌊w⌋ largest are summed in descending order, whatever order the selection left them
    // in: ES then depends only on the multiset of the largest losses, so a sample split over
    // threads or processes and merged (parallel/tail_merge.hpp, mpi/) gives the same ES bit for
    // bit as the whole sample here (issue #16). Sorting k = ⌊n(1−α)⌋ values costs O(k log k),
    // small beside the O(n) selection.
    std::sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(r.k), std::greater<Real>{});
    Real excess_mean(0);
    for (std::size_t i = 0; i < r.k; ++i) {  // the ⌊w⌋ largest, descending
        const Real d = c[i] - next;
        excess_mean += detail::is_finite(d) ? Real(d / r.w) : Real((c[i] / 2 - next / 2) / r.w * 2);
    }
    Real es = next + excess_mean;
    if (!detail::is_finite(es)) {  // excesses of ~2e308 (losses of both signs near the limit): a mean of c_i / w
        es = (r.w - static_cast<Real>(r.k)) / r.w * next;
        for (std::size_t i = 0; i < r.k; ++i) es += c[i] / r.w;
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
