#pragma once
/// \file
/// Exact tail merge: VaR and ES of a loss sample split over workers (or processes), from the
/// k largest losses each part keeps. The k largest values of a union are the k largest of the
/// union of each part's k largest, so merging candidate sets loses nothing: with k the largest
/// descending rank the estimator reads (historical_simulation's VaR neighbours and Acerbi–Tasche's
/// L_(⌊w⌋+1), w = n(1−α)), the merged VaR equals the sequential estimator's exactly, and ES is the
/// same formula on the same order statistics (risk/historical_simulation.hpp, one place).
///
/// Determinism: the result depends only on the multiset of the k largest losses, never on how the
/// sample was split or in which order parts were merged: the estimator selects order statistics
/// and sums ES's excesses order-independently (core/reproducible_sum.hpp), so VaR and ES are
/// bit-identical for any worker or process count, and equal to historical_simulation::estimate on
/// the unsplit sample.
///
/// Communication: a part sends at most k values and its count, never its sample: O(n(1−α)).
/// \test tests/parallel/tail_merge.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace margincall {

/// How many largest losses determine VaR_α and ES_α of a sample of n losses (the candidate
/// count each part must keep): the largest descending rank historical_simulation reads.
/// \throws margincall::invalid_argument for n = 0 or α ∉ (0, 1)
template <real_scalar Real>
[[nodiscard]] std::size_t tail_candidate_count(std::size_t n, Real alpha, quantile_type type = quantile_type::type1) {
    constexpr const char* where = "tail_candidate_count";
    if (n == 0) throw_invalid_argument(where, "n", n, ">= 1");
    check_probability(where, "alpha", alpha);
    return detail::tail_ranks_for(n, alpha, type).needed;
}

/// The `capacity` largest of the losses seen so far (exactly), and how many were seen.
/// Mergeable: merge() of two parts equals one object fed both parts' losses.
template <real_scalar Real = double>
class tail_candidates {
public:
    /// \throws margincall::invalid_argument for capacity = 0
    explicit tail_candidates(std::size_t capacity) : capacity_{capacity} {
        if (capacity == 0) throw_invalid_argument("tail_candidates", "capacity", capacity, ">= 1");
    }

    /// Offers one loss. \throws margincall::invalid_argument for a non-finite loss
    void add(Real loss) {
        check_finite("tail_candidates::add", "loss", loss);
        values_.push_back(loss);
        ++seen_;
        if (values_.size() >= 2 * capacity_) compact();
    }

    /// Offers every loss of `losses` (O(size)). \throws margincall::invalid_argument naming the
    /// first non-finite loss
    void add(std::span<const Real> losses) {
        check_all_finite<Real>("tail_candidates::add", "losses", losses);
        values_.insert(values_.end(), losses.begin(), losses.end());
        seen_ += losses.size();
        if (values_.size() >= 2 * capacity_) compact();
    }

    /// Merges another part's candidates (any capacity; the result keeps this one's).
    void merge(const tail_candidates& other) { merge(std::span<const Real>(other.values_), other.seen_); }

    /// Merges a part received as its candidate values and the count of losses it saw
    /// (e.g. from another process). \throws margincall::invalid_argument when values hold more
    /// entries than `seen` or a non-finite value
    void merge(std::span<const Real> values, std::size_t seen) {
        constexpr const char* where = "tail_candidates::merge";
        if (values.size() > seen)
            throw_invalid_argument(where, "seen", seen,
                                   detail::message(">= the number of candidate values (", values.size(), ")").c_str());
        check_all_finite<Real>(where, "values", values);
        values_.insert(values_.end(), values.begin(), values.end());
        seen_ += seen;
        if (values_.size() > capacity_) compact();
    }

    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// How many losses were offered (the sample size n of the estimator).
    [[nodiscard]] std::size_t seen() const noexcept { return seen_; }
    /// The candidates kept so far, unordered: at least the min(capacity, seen) largest losses
    /// (at most 2·capacity values; what a part sends to be merged).
    [[nodiscard]] std::span<const Real> values() const noexcept { return values_; }

    /// The min(capacity, seen) largest losses, in descending order.
    [[nodiscard]] std::vector<Real> largest() const { return largest(capacity_); }

    /// The min(count, capacity, seen) largest losses, in descending order (selection, then a sort
    /// of those only).
    [[nodiscard]] std::vector<Real> largest(std::size_t count) const {
        std::vector<Real> top(values_);
        const std::size_t keep = std::min({count, capacity_, top.size()});
        if (keep < top.size()) {
            std::nth_element(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(keep), top.end(), std::greater<Real>{});
            top.resize(keep);
        }
        std::sort(top.begin(), top.end(), std::greater<Real>{});
        return top;
    }

    /// VaR_α and ES_α of all the losses seen (historical simulation, Hyndman–Fan `type` quantile
    /// and Acerbi–Tasche ES), exactly as if the whole sample had been kept.
    /// \throws margincall::invalid_argument when nothing was seen, α ∉ (0, 1), or the capacity is
    ///         below tail_candidate_count(seen(), α, type)
    [[nodiscard]] tail_risk<Real> estimate(Real alpha, quantile_type type = quantile_type::type1) const {
        constexpr const char* where = "tail_candidates::estimate";
        if (seen_ == 0) throw_invalid_argument(where, "the number of losses seen", seen_, ">= 1");
        check_probability(where, "alpha", alpha);
        const auto ranks = detail::tail_ranks_for(seen_, alpha, type);
        if (ranks.needed > capacity_)
            throw_invalid_argument(where, "the capacity", capacity_,
                                   detail::message(">= ", ranks.needed, ", the losses VaR and ES at alpha = ", alpha,
                                                   " read from a sample of ", seen_)
                                       .c_str());
        // The estimator selects what it reads and sums order-independently: no sort needed.
        std::vector<Real> top(values_);
        return detail::tail_from_candidates(std::span<Real>(top), ranks);
    }

private:
    void compact() {
        std::nth_element(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(capacity_ - 1), values_.end(),
                         std::greater<Real>{});
        values_.resize(capacity_);
    }

    std::size_t capacity_;
    std::size_t seen_{0};
    std::vector<Real> values_;
};

/// Historical VaR_α and ES_α of one large sample on `exec`: one threshold for the whole sample
/// (risk/historical_simulation.hpp's deterministic subsample guess), a parallel filter pass in
/// chunks fixed by n, then the estimator's selection on the concatenated candidates. When the
/// guess is wrong (clustered or sorted input, α far from 1) each chunk keeps its exact candidates
/// instead (`tail_candidates`) and they are merged exactly. Bit-identical for any executor and
/// worker count, and equal to `estimator.estimate(sample, alpha)`: both read the same order
/// statistics, and ES sums them order-independently.
/// \throws margincall::invalid_argument for an empty sample, α ∉ (0, 1), a non-finite value
template <executor E, real_scalar Real>
[[nodiscard]] tail_risk<Real> historical_tail_risk(const E& exec, std::span<const Real> sample, Real alpha,
                                                   const historical_simulation<Real>& estimator = historical_simulation<Real>{}) {
    constexpr const char* where = "historical_tail_risk";
    check_not_empty<Real>(where, "sample", sample);
    check_probability(where, "alpha", alpha);
    const std::size_t n = sample.size();
    const auto ranks = detail::tail_ranks_for(n, alpha, estimator.type());
    const std::size_t needed = ranks.needed;
    const Real sign = estimator.sign() == sample_sign::losses ? Real(1) : Real(-1);

    // Fast path: one threshold, chunks of 2^16 (at most 1024 of them), from n only.
    std::vector<Real> subsample;
    const auto plan = detail::plan_threshold(sample, sign, needed, subsample);
    if (plan.usable) {
        const fixed_chunks chunks(n, std::max(std::size_t{1} << 16, n / 1024 + 1));
        // Each chunk's room: twice its share of the expected candidates, plus 1024.
        const std::size_t room = std::min(chunks.size, 2 * (plan.capacity / chunks.count()) + 1024);
        const auto buffer = std::make_unique_for_overwrite<Real[]>(room * chunks.count());
        std::vector<std::size_t> counts(chunks.count(), 0);
        std::vector<detail::filter_outcome> outcomes(chunks.count(), detail::filter_outcome::kept);
        for_each_chunk(exec, chunks, [&](std::size_t c, std::size_t begin, std::size_t end) {
            outcomes[c] = detail::filter_at_threshold(sample.data() + begin, end - begin, sign, plan.threshold,
                                                      buffer.get() + c * room, std::min(room, end - begin), counts[c]);
        });
        bool kept = true;
        for (const auto o : outcomes) {
            if (o == detail::filter_outcome::non_finite) check_all_finite<Real>(where, "sample", sample);  // throws, naming the index
            kept = kept && o == detail::filter_outcome::kept;
        }
        if (kept) {
            // The candidates go into one buffer, those at or above the plan's second, higher
            // threshold first ("sure": the selection then ranks only the rest when it can), each
            // group in chunk order; counts, then a scatter, both on the workers.
            const std::size_t count = chunks.count();
            std::vector<std::size_t> sure_counts(count, 0);
            if (plan.has_sure)
                for_each_chunk(exec, chunks, [&](std::size_t c, std::size_t, std::size_t) {
                    const Real* from = buffer.get() + c * room;
                    std::size_t s = 0;
                    for (std::size_t i = 0; i < counts[c]; ++i) s += static_cast<std::size_t>(from[i] >= plan.sure_threshold);
                    sure_counts[c] = s;
                });
            std::size_t sure = 0, total = 0;
            for (std::size_t c = 0; c < count; ++c) {
                sure += sure_counts[c];
                total += counts[c];
            }
            if (total >= needed) {
                const auto merged = std::make_unique_for_overwrite<Real[]>(total);
                std::vector<std::size_t> sure_at(count), rest_at(count);
                for (std::size_t c = 0, s = 0, r = sure; c < count; ++c) {
                    sure_at[c] = s;
                    rest_at[c] = r;
                    s += sure_counts[c];
                    r += counts[c] - sure_counts[c];
                }
                for_each_chunk(exec, chunks, [&](std::size_t c, std::size_t, std::size_t) {
                    const Real* from = buffer.get() + c * room;
                    Real* to_sure = merged.get() + sure_at[c];
                    Real* to_rest = merged.get() + rest_at[c];
                    for (std::size_t i = 0; i < counts[c]; ++i) {
                        const bool up = plan.has_sure && from[i] >= plan.sure_threshold;
                        *(up ? to_sure : to_rest) = from[i];  // one store, no branch on the data
                        to_sure += up ? 1 : 0;
                        to_rest += up ? 0 : 1;
                    }
                });
                // ES's excesses summed on the workers too, in fixed chunks of the k largest, each
                // into its own fixed-point sum, merged exactly (the same bits as one sum).
                const auto add_in_parallel = [&exec]<class R>(nonnegative_fixed_sum<R>& sum, std::span<const R> top, R next) {
                    const fixed_chunks parts(top.size(), std::size_t{1} << 14);
                    std::vector<nonnegative_fixed_sum<R>> partial(parts.count(), sum);  // copies of the empty sum: its bound
                    for_each_chunk(exec, parts, [&](std::size_t c, std::size_t begin, std::size_t end) {
                        detail::add_excesses{}(partial[c], top.subspan(begin, end - begin), next);
                    });
                    for (const auto& p : partial) sum.merge(p);
                };
                return detail::tail_from_candidates(std::span<Real>(merged.get(), total), ranks, add_in_parallel, sure);
            }
        }
    }

    // Exact per-chunk path: chunks of at least 2^16 and 32 candidates' worth of values (so each
    // chunk's own threshold filter takes its fast path), at most 256 of them, from n and α only.
    // The whole sample is checked first, so that an error names the index in the sample, not
    // in a chunk (this path copies or selects per chunk anyway; one more read costs little).
    check_all_finite<Real>(where, "sample", sample);
    const std::size_t chunk = std::max({std::size_t{1} << 16, 32 * needed, n / 256 + 1});
    const fixed_chunks chunks(n, chunk);
    std::vector<tail_candidates<Real>> parts(chunks.count(), tail_candidates<Real>(needed));
    for_each_chunk(exec, chunks, [&](std::size_t c, std::size_t begin, std::size_t end) {
        historical_workspace<Real> ws;
        const std::size_t keep = std::min(needed, end - begin);
        const auto kept = detail::top_candidates(where, sample.subspan(begin, end - begin), sign, keep, ws);
        parts[c].merge(std::span<const Real>(kept.data(), kept.size()), end - begin);
    });
    tail_candidates<Real> merged(needed);  // (not parts[0]: g++ -O3 then warns of a null dereference)
    for (const auto& part : parts) merged.merge(part);
    return merged.estimate(alpha, estimator.type());
}

}  // namespace margincall
