#pragma once
/// \file
/// Exact streaming VaR and ES for samples that do not fit in memory: the estimator keeps only
/// the largest losses seen so far (a bounded tail buffer), which is all that the Hyndman–Fan
/// quantile near α → 1 and the Acerbi–Tasche ES need. With capacity m it answers exactly, for
/// any sample size n and α, whenever the answer needs at most m order statistics from the top
/// (about n(1 − α) + 2); `for_sample_size(n, α)` sizes the buffer for a known n.
/// The answer equals historical_simulation on the whole sample (same definitions and sources).
/// Cost: amortised O(1) per value: values at or above the current m-th largest are appended to a
/// buffer of 2m, which is cut back to the top m by std::nth_element when full; the block scan is
/// the branch-free bit-mask pass of historical_simulation. Memory: 2m values.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace margincall {

/// Bounded-memory exact tail estimator fed in batches.
template <real_scalar Real = double>
class streaming_tail {
public:
    /// \param capacity the number m of largest losses kept (≥ 1)
    explicit streaming_tail(std::size_t capacity, quantile_type type = quantile_type::type1,
                            sample_sign sign = sample_sign::losses)
        : capacity_{capacity}, type_{type}, sign_{sign == sample_sign::losses ? Real(1) : Real(-1)} {
        if (capacity == 0) throw_invalid_argument("streaming_tail", "capacity", capacity, "> 0");
        buffer_.reserve(2 * capacity_);
    }

    /// A buffer just large enough for VaR and ES at α of a sample of known size n.
    [[nodiscard]] static streaming_tail for_sample_size(std::size_t n, Real alpha,
                                                        quantile_type type = quantile_type::type1,
                                                        sample_sign sign = sample_sign::losses) {
        if (n == 0) throw_invalid_argument("streaming_tail::for_sample_size", "n", n, "> 0");
        check_probability("streaming_tail::for_sample_size", "alpha", alpha);
        return streaming_tail(detail::tail_ranks_for(n, alpha, type).needed, type, sign);
    }

    /// Adds a batch; throws (naming the index within the batch) if a value is not finite, in
    /// which case no value of the batch is added.
    void push(std::span<const Real> batch) {
        // Vectorisable finiteness scan first (the batch then stays in cache for the second pass).
        std::uint64_t bad = 0;
        for (const Real& x : batch) bad |= static_cast<std::uint64_t>(!(x - x == Real(0)));
        if (bad != 0) check_all_finite<Real>("streaming_tail::push", "batch", batch);  // throws, naming the index
        constexpr std::size_t block = 64;
        const Real sign = sign_;
        for (std::size_t start = 0; start < batch.size(); start += block) {
            const std::size_t len = std::min(block, batch.size() - start);
            const Real* p = batch.data() + start;
            if (buffer_.size() < capacity_) {  // still filling: keep everything
                for (std::size_t j = 0; j < len; ++j) append(sign * p[j]);
                continue;
            }
            const Real floor = floor_;
            std::uint64_t mask = 0;
            for (std::size_t j = 0; j < len; ++j) mask |= static_cast<std::uint64_t>(sign * p[j] >= floor) << j;
            while (mask != 0) {
                append(sign * p[std::countr_zero(mask)]);
                mask &= mask - 1;
            }
        }
        count_ += batch.size();
    }

    /// Adds one value.
    void push(Real value) { push(std::span<const Real>(&value, 1)); }

    /// VaR and ES at α of everything pushed so far, exactly as historical_simulation would give;
    /// throws if nothing was pushed or if the answer needs more order statistics than are kept.
    [[nodiscard]] tail_risk<Real> result(Real alpha) const {
        constexpr const char* where = "streaming_tail";
        check_probability(where, "alpha", alpha);
        if (count_ == 0) throw_invalid_argument(where, "the number of values pushed", 0, "> 0");
        const auto ranks = detail::tail_ranks_for(count_, alpha, type_);
        if (ranks.needed > buffer_.size())
            throw_invalid_argument(where, "alpha", alpha,
                                   detail::message("such that at most the ", capacity_,
                                                   " kept largest losses are needed (it needs ", ranks.needed, ")")
                                       .c_str());
        std::vector<Real> kept(buffer_.begin(), buffer_.end());  // selection reorders: keep the state intact
        return detail::tail_from_candidates(std::span<Real>(kept), ranks);
    }

    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

private:
    void append(Real x) {
        buffer_.push_back(x);
        if (buffer_.size() == 2 * capacity_) {
            // Keep the top m; the m-th largest becomes the admission floor.
            const auto mth = buffer_.begin() + static_cast<std::ptrdiff_t>(capacity_ - 1);
            std::nth_element(buffer_.begin(), mth, buffer_.end(), std::greater<Real>{});
            floor_ = *mth;
            buffer_.resize(capacity_);
        } else if (buffer_.size() == capacity_ && floor_ == -std::numeric_limits<Real>::infinity()) {
            floor_ = *std::min_element(buffer_.begin(), buffer_.end());
        }
    }

    std::size_t capacity_;
    quantile_type type_;
    Real sign_;
    std::size_t count_ = 0;
    Real floor_ = -std::numeric_limits<Real>::infinity();
    std::vector<Real> buffer_;
};

}  // namespace margincall
