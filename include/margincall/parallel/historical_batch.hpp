#pragma once
/// \file
/// Historical VaR/ES of many portfolios at once, portfolios on an executor (sequential by
/// default): each portfolio's P&L or loss sample goes through risk/historical_simulation.hpp's
/// estimator (the one formula), chunks of 8 portfolios share one workspace. Each figure is that
/// of the sequential estimator on the same sample, so the results are bit-identical for any
/// executor and worker count. For one sample too large for a core, see historical_tail_risk
/// (parallel/tail_merge.hpp).
/// \test tests/parallel/workloads.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// VaR_α and ES_α of each sample of `samples` (one portfolio each) with `estimator`, on `exec`.
/// \throws margincall::invalid_argument for α ∉ (0, 1), and what the estimator refuses (an
///         empty or non-finite sample; the first such portfolio's error)
template <real_scalar Real, executor Executor = sequential_executor>
[[nodiscard]] std::vector<tail_risk<Real>> historical_tail_risks(std::span<const std::span<const Real>> samples, Real alpha,
                                                                 const historical_simulation<Real>& estimator =
                                                                     historical_simulation<Real>{},
                                                                 const Executor& exec = Executor{}) {
    check_probability("historical_tail_risks", "alpha", alpha);
    std::vector<tail_risk<Real>> out(samples.size());
    for_each_chunk(exec, fixed_chunks(samples.size(), 8), [&](std::size_t, std::size_t begin, std::size_t end) {
        historical_workspace<Real> ws;
        for (std::size_t p = begin; p < end; ++p) out[p] = estimator.estimate(samples[p], alpha, ws);
    });
    return out;
}

}  // namespace margincall
