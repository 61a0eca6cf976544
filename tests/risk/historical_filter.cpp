// Tests of the historical estimator's threshold filter (risk/historical_simulation.hpp,
// detail::filter_at_threshold): its candidates are exactly std::copy_if's, in order, on adversarial
// input (values equal to the threshold, signed zeros, infinities and NaN at block edges, lengths
// that are not multiples of the block, both signs), and it reports a full buffer. CMake builds
// this file twice: as the other tests (the portable loop) and with -march=native where the
// compiler accepts it (the AVX2/AVX-512 blocks), so the two paths are pinned to one reference.
#include <margincall/risk/historical_simulation.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

namespace {
using margincall::detail::filter_at_threshold;
using margincall::detail::filter_outcome;

std::vector<double> reference(const std::vector<double>& x, double sign, double threshold) {
    std::vector<double> out;
    for (const double v : x)
        if (sign * v >= threshold) out.push_back(sign * v);
    return out;
}

const char* instruction_set() {
#if defined(__AVX512F__)
    return "AVX-512";
#elif defined(__AVX2__)
    return "AVX2";
#else
    return "portable";
#endif
}
}  // namespace

TEST_CASE("the filter keeps exactly the values at or above the threshold", "[risk][historical][filter]") {
    INFO("blocks: " << instruction_set());
    std::mt19937_64 gen(17);
    std::normal_distribution<double> z(0.0, 1.0);
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65},
                                std::size_t{1000}, std::size_t{4099}}) {
        std::vector<double> x(n);
        for (auto& v : x) v = std::round(z(gen) * 8.0) / 4.0;  // many ties with the thresholds below
        if (n > 10) {
            x[3] = 0.0;
            x[4] = -0.0;
            x[n - 1] = 1.5;
        }
        for (const double sign : {1.0, -1.0})
            for (const double threshold : {1.5, 0.0, -0.0, -2.25, 40.0, -std::numeric_limits<double>::max()}) {
                INFO("n " << n << ", sign " << sign << ", threshold " << threshold);
                const auto expected = reference(x, sign, threshold);
                std::vector<double> out(n + 1);
                std::size_t count = 0;
                CHECK(filter_at_threshold(x.data(), n, sign, threshold, out.data(), out.size(), count) == filter_outcome::kept);
                out.resize(count);
                CHECK(out == expected);
            }
    }
}

TEST_CASE("the filter flags a non-finite value wherever it is", "[risk][historical][filter]") {
    INFO("blocks: " << instruction_set());
    for (const double bad : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()})
        for (const std::size_t at : {std::size_t{0}, std::size_t{7}, std::size_t{63}, std::size_t{64}, std::size_t{200}}) {
            INFO("value " << bad << " at " << at);
            std::vector<double> x(201, 1.0);
            x[at] = bad;
            std::vector<double> out(x.size());
            std::size_t count = 0;
            // A threshold above every value: no candidate, only the check can fail.
            CHECK(filter_at_threshold(x.data(), x.size(), 1.0, 5.0, out.data(), out.size(), count) == filter_outcome::non_finite);
        }
}

TEST_CASE("the filter stops when its buffer is full", "[risk][historical][filter]") {
    const std::vector<double> x(300, 2.0);  // every value is a candidate
    std::vector<double> out(300);
    std::size_t count = 0;
    CHECK(filter_at_threshold(x.data(), x.size(), 1.0, 1.0, out.data(), 299, count) == filter_outcome::over_capacity);
    count = 0;
    CHECK(filter_at_threshold(x.data(), x.size(), 1.0, 1.0, out.data(), 300, count) == filter_outcome::kept);
    CHECK(count == 300);
}

TEST_CASE("a known-larger prefix leaves the selection's VaR and ES unchanged", "[risk][historical][filter]") {
    // tail_from_candidates(c, ranks, adder, sure): c[0, sure) holds values no smaller than the
    // rest (the parallel path's split at its second threshold). Whatever `sure` is (none, inside
    // the ranks read, beyond them, all of c), VaR must be the order statistic a full sort gives
    // and ES the same bits as with no split. Values rounded to 0.01 so that ties straddle the split.
    std::mt19937_64 gen(5);
    std::student_t_distribution<double> t3(3.0);
    std::vector<double> losses(5000);
    for (auto& x : losses) x = std::round(100.0 * t3(gen)) / 100.0;
    std::vector<double> sorted(losses);
    std::sort(sorted.begin(), sorted.end(), std::greater<>{});
    for (const double alpha : {0.95, 0.99, 0.999}) {
        const auto ranks = margincall::detail::tail_ranks_for(losses.size(), alpha, margincall::quantile_type::type1);
        std::vector<double> plain(losses);
        const auto unsplit = margincall::detail::tail_from_candidates(std::span<double>(plain), ranks);
        CHECK(unsplit.value_at_risk == sorted[ranks.rank_lo - 1]);
        for (const std::size_t sure : {std::size_t{0}, std::size_t{1}, ranks.k, ranks.k + 1, ranks.needed + 5,
                                       losses.size() / 2, losses.size()}) {
            INFO("alpha " << alpha << ", sure " << sure);
            // The `sure` largest first, then the rest, each group shuffled.
            std::vector<double> c(sorted);
            std::shuffle(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(sure), gen);
            std::shuffle(c.begin() + static_cast<std::ptrdiff_t>(sure), c.end(), gen);
            const auto split = margincall::detail::tail_from_candidates(std::span<double>(c), ranks,
                                                                        margincall::detail::add_excesses{}, sure);
            CHECK(split.value_at_risk == unsplit.value_at_risk);
            CHECK(split.expected_shortfall == unsplit.expected_shortfall);
        }
    }
}

TEST_CASE("select_descending puts the same value at nth as std::nth_element, and the same multisets either side",
          "[risk][historical][select]") {
    // The oracle is a full descending sort (std::sort), not the function under test.
    std::mt19937_64 rng(20261201);
    std::normal_distribution<double> normal;
    std::uniform_int_distribution<int> small(0, 5);
    const auto check = [](std::vector<double> v, std::size_t rank) {
        std::vector<double> sorted = v;
        std::sort(sorted.begin(), sorted.end(), std::greater<double>{});
        margincall::detail::select_descending(v.data(), v.data() + rank, v.data() + v.size());
        INFO("size " << v.size() << ", rank " << rank);
        REQUIRE(v[rank] == sorted[rank]);
        std::vector<double> front(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank));
        std::sort(front.begin(), front.end(), std::greater<double>{});
        REQUIRE(std::equal(front.begin(), front.end(), sorted.begin()));  // the rank largest, as a multiset
        for (std::size_t i = rank + 1; i < v.size(); ++i) REQUIRE(v[i] <= v[rank]);
    };
    for (const std::size_t n : {1u, 2u, 17u, 33u, 100u, 2'048u, 5'000u}) {
        std::vector<double> random(n), ties(n), ascending(n), descending(n), equal(n, 0.25);
        for (std::size_t i = 0; i < n; ++i) {
            random[i] = normal(rng);
            ties[i] = small(rng);  // six distinct values: many equal ones
            ascending[i] = static_cast<double>(i);
            descending[i] = -static_cast<double>(i);
        }
        for (const std::size_t rank : {std::size_t{0}, n / 3, n / 2, n - 1}) {
            check(random, rank);
            check(ties, rank);
            check(ascending, rank);
            check(descending, rank);
            check(equal, rank);  // all equal: the budget hands the rest to std::nth_element
        }
    }
    // An organ-pipe order (up, then down) against the median-of-three pivot.
    std::vector<double> pipe(4'096);
    for (std::size_t i = 0; i < pipe.size(); ++i) pipe[i] = static_cast<double>(std::min(i, pipe.size() - i));
    check(pipe, 1'000);
    check(pipe, 2'047);
}
