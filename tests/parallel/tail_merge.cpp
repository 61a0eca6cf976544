// Tests of include/margincall/parallel/tail_merge.hpp: a worked example by hand, merged
// candidates equal to the unsplit historical estimator, bit-identical for any split, order and
// executor, and clear errors.
#include <margincall/core/error.hpp>
#include <margincall/parallel/tail_merge.hpp>
#include <margincall/risk/historical_simulation.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "catch.hpp"
#include "parallel/executor_support.hpp"
#include "parallel/same_bits.hpp"

using margincall::tail_candidates;
using test_support::same_bits;

namespace {
std::vector<double> student_losses(std::size_t n, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::student_t_distribution<double> t(3.0);
    std::vector<double> x(n);
    for (auto& v : x) v = t(gen);
    return x;
}
}  // namespace

TEST_CASE("merged candidates give the worked example's VaR and ES", "[parallel][tail]") {
    // Losses 1..10 at α = 0.8: w = n(1−α) = 2, type-1 VaR = inf{l : F_n(l) ≥ 0.8} = 8 (the 3rd
    // largest), ES = (10 + 9)/2 = 9.5 (Acerbi–Tasche with integer w). Ranks read: 3.
    CHECK(margincall::tail_candidate_count(10, 0.8) == 3);
    tail_candidates<double> left(3), right(3);
    for (const double x : {7.0, 2.0, 10.0, 4.0, 1.0}) left.add(x);
    right.add(std::vector<double>{3.0, 9.0, 5.0, 8.0, 6.0});
    left.merge(right);
    CHECK(left.seen() == 10);
    CHECK(left.largest() == std::vector<double>{10.0, 9.0, 8.0});
    const auto r = left.estimate(0.8);
    CHECK(r.value_at_risk == 8.0);
    CHECK(r.expected_shortfall == 9.5);
}

TEST_CASE("merged candidates equal the unsplit historical estimator", "[parallel][tail]") {
    const auto losses = student_losses(100000, 7);
    const std::span<const double> all(losses);
    for (const double alpha : {0.9, 0.99, 0.975, 0.999}) {
        INFO("alpha " << alpha);
        const auto reference = margincall::historical_simulation<double>{}.estimate(all, alpha);
        const std::size_t k = margincall::tail_candidate_count(losses.size(), alpha);
        // Split into parts of different sizes and merge them in two different orders.
        const std::vector<std::size_t> cuts{0, 1, 17000, 17001, 60000, 99999, 100000};
        std::vector<tail_candidates<double>> parts;
        for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
            parts.emplace_back(k);
            parts.back().add(all.subspan(cuts[p], cuts[p + 1] - cuts[p]));
        }
        tail_candidates<double> forward(k), backward(k);
        for (const auto& p : parts) forward.merge(p);
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) backward.merge(*it);
        const auto f = forward.estimate(alpha), b = backward.estimate(alpha);
        CHECK(same_bits(f, b));
        // Both sum the same largest losses in descending order: bit-identical VaR and ES.
        CHECK(same_bits(f, reference));
    }
}

TEST_CASE("historical_tail_risk is bit-identical on every executor", "[parallel][tail]") {
    const auto losses = student_losses(1000003, 11);
    const std::span<const double> all(losses);
    // 0.95: ES sums 50 000 excesses, in 4 chunks of the workers' fixed-point sums.
    for (const double alpha : {0.95, 0.99, 0.9999}) {
        const auto reference = margincall::historical_simulation<double>{}.estimate(all, alpha);
        const auto sequential = margincall::historical_tail_risk(margincall::sequential_executor{}, all, alpha);
        CHECK(same_bits(sequential, reference));
        test_support::for_each_executor([&](const auto& exec, const char* label) {
            INFO(label << ", alpha " << alpha);
            CHECK(same_bits(margincall::historical_tail_risk(exec, all, alpha), sequential));
        });
    }
    // P&L sign: the loss tail of −x.
    std::vector<double> pnl(losses.size());
    for (std::size_t i = 0; i < pnl.size(); ++i) pnl[i] = -losses[i];
    const margincall::historical_simulation<double> on_pnl{margincall::quantile_type::type1,
                                                           margincall::sample_sign::profit_and_loss};
    CHECK(same_bits(margincall::historical_tail_risk(test_support::thread_executor{2}, std::span<const double>(pnl),
                                                     0.99, on_pnl),
                    margincall::historical_tail_risk(margincall::sequential_executor{}, all, 0.99)));
}

TEST_CASE("historical_tail_risk takes its exact fallbacks on clustered input and low alpha", "[parallel][tail]") {
    // Sorted losses put the whole tail in the last chunks, so the chunks' room for candidates
    // overflows; α = 0.9 needs more candidates than the one-threshold pass keeps. Either way the
    // per-chunk exact merge answers, bit-identical to the unsplit estimator.
    auto sorted = student_losses(600000, 5);
    std::sort(sorted.begin(), sorted.end());
    auto clustered = student_losses(600000, 6);  // every loss above 3 moved to the first 10^4
    std::stable_partition(clustered.begin(), clustered.end(), [](double x) { return x > 3.0; });
    for (const auto* sample : {&sorted, &clustered}) {
        const std::span<const double> all(*sample);
        for (const double alpha : {0.9, 0.99, 0.999}) {
            INFO("alpha " << alpha);
            const auto reference = margincall::historical_simulation<double>{}.estimate(all, alpha);
            test_support::for_each_executor([&](const auto& exec, const char* label) {
                INFO(label);
                CHECK(same_bits(margincall::historical_tail_risk(exec, all, alpha), reference));
            });
        }
    }
}

TEST_CASE("historical_tail_risk names the first non-finite loss", "[parallel][tail]") {
    auto losses = student_losses(400000, 9);
    losses[300001] = std::numeric_limits<double>::infinity();
    losses[350000] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(margincall::historical_tail_risk(test_support::thread_executor{2}, std::span<const double>(losses), 0.99),
                      Catch::Matchers::Contains("sample[300001] is inf"));
}

TEST_CASE("tail candidates refuse bad input with clear errors", "[parallel][tail]") {
    CHECK_THROWS_WITH(tail_candidates<double>(0), "tail_candidates: capacity is 0, but must be >= 1");
    tail_candidates<double> t(2);
    CHECK_THROWS_WITH(t.estimate(0.9), Catch::Matchers::Contains("the number of losses seen is 0"));
    CHECK_THROWS_WITH(t.add(std::numeric_limits<double>::quiet_NaN()), Catch::Matchers::Contains("loss is nan"));
    for (int i = 0; i < 100; ++i) t.add(double(i));
    // 100 losses at α = 0.95 read the 6 largest: a capacity of 2 cannot answer.
    CHECK_THROWS_WITH(t.estimate(0.95), Catch::Matchers::Contains("the capacity is 2, but must be >= 6"));
    CHECK_THROWS_WITH(t.estimate(1.0), Catch::Matchers::Contains("alpha"));
    const std::vector<double> three{1.0, 2.0, 3.0};
    CHECK_THROWS_WITH(t.merge(std::span<const double>(three), 2), Catch::Matchers::Contains("seen is 2"));
    CHECK_THROWS_WITH(margincall::tail_candidate_count(0, 0.99), "tail_candidate_count: n is 0, but must be >= 1");
    CHECK_THROWS_AS(margincall::historical_tail_risk(margincall::sequential_executor{}, std::span<const double>{}, 0.99),
                    margincall::invalid_argument);
}
