// Tests of include/margincall/risk/backtest_christoffersen.hpp. Reference values from base R 4.2.2
// (tests/reference/backtest_reference.R → backtest_reference.out), where LR_ind is computed from
// binomial log-likelihoods of the two rows of the transition matrix (dbinom(log = TRUE)).
#include <margincall/risk/backtest_christoffersen.hpp>

#include <array>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "catch.hpp"

using margincall::christoffersen_test;
using margincall::invalid_argument;

namespace {
// A hit sequence of length T with exceptions at the given 1-based days (as in the R script).
std::vector<char> hits_of(std::size_t t, std::initializer_list<std::size_t> days) {
    std::vector<char> h(t, 0);
    for (const auto d : days) h[d - 1] = 1;
    return h;
}
struct bool_buffer {  // std::vector<bool> has no contiguous storage; keep a plain bool array
    std::vector<char> chars;
    std::unique_ptr<bool[]> data;
    explicit bool_buffer(const std::vector<char>& c) : chars(c), data(new bool[c.size()]) {
        for (std::size_t i = 0; i < c.size(); ++i) data[i] = c[i] != 0;
    }
    [[nodiscard]] std::span<const bool> span() const { return {data.get(), chars.size()}; }
};
void check_against_r(const std::vector<char>& h, double alpha, std::array<std::size_t, 4> n, double lr_uc,
                     double lr_ind, double p_ind, double lr_cc, double p_cc) {
    const bool_buffer b(h);
    const auto c = christoffersen_test(b.span(), alpha);
    CHECK(c.transitions[0][0] == n[0]);
    CHECK(c.transitions[0][1] == n[1]);
    CHECK(c.transitions[1][0] == n[2]);
    CHECK(c.transitions[1][1] == n[3]);
    CHECK_THAT(c.unconditional_coverage.statistic, WithinRel(lr_uc, 1e-10));
    CHECK_THAT(c.independence.statistic, WithinAbs(lr_ind, 1e-10 * (1 + lr_ind)));
    CHECK_THAT(c.independence.p_value, WithinRel(p_ind, 1e-8));
    CHECK(c.independence.degrees_of_freedom == 1);
    CHECK_THAT(c.conditional_coverage.statistic, WithinRel(lr_cc, 1e-10));
    CHECK_THAT(c.conditional_coverage.p_value, WithinRel(p_cc, 1e-8));
    CHECK(c.conditional_coverage.degrees_of_freedom == 2);
    CHECK(c.observations == h.size());
}
}  // namespace

TEST_CASE("Christoffersen: clustered exceptions are rejected as dependent (R case A)",
          "[risk][backtest][christoffersen]") {
    check_against_r(hits_of(250, {10, 11, 12, 50, 51, 100, 200}), 0.99, {238, 4, 4, 3}, 5.4969904477926921,
                    13.487563523752051, 0.00024014982189789929, 18.984553971544742, 7.5432149659388322e-05);
    const bool_buffer b(hits_of(250, {10, 11, 12, 50, 51, 100, 200}));
    CHECK(christoffersen_test(b.span(), 0.99).independence.rejects(0.01));
}

TEST_CASE("Christoffersen: n11 = 0 (isolated exceptions) is defined (R case B)", "[risk][backtest][christoffersen]") {
    check_against_r(hits_of(250, {20, 60, 120, 180, 240}), 0.99, {239, 5, 5, 0}, 1.956809788230625,
                    0.20493237652146856, 0.65076868789245368, 2.1617421647520936, 0.33929983877007514);
}

TEST_CASE("Christoffersen: n10 + n11 = 0 (only the last day is an exception) gives LR_ind = 0 (R case C)",
          "[risk][backtest][christoffersen]") {
    check_against_r(hits_of(100, {100}), 0.95, {98, 1, 0, 0}, 4.9472299648735261, 0.0, 1.0, 4.9472299648735261,
                    0.084279638238095436);
}

TEST_CASE("Christoffersen: mostly exceptions, tiny sample (R case D)", "[risk][backtest][christoffersen]") {
    std::vector<char> h(20, 1);
    h[4] = h[5] = 0;
    check_against_r(h, 0.95, {1, 1, 1, 16}, 95.048216089835933, 2.407835479695482, 0.12072919485058867,
                    97.456051569531411, 6.8815661292332825e-22);
}

TEST_CASE("Christoffersen: no exceptions and all exceptions give LR_ind = 0 and LR_cc = LR_uc",
          "[risk][backtest][christoffersen]") {
    // With one state only, the Markov and Bernoulli likelihoods coincide (both 1): LR_ind = 0.
    for (const char value : {char{0}, char{1}}) {
        const bool_buffer b(std::vector<char>(50, value));
        const auto c = christoffersen_test(b.span(), 0.99);
        CHECK(c.independence.statistic == 0.0);
        CHECK(c.independence.p_value == 1.0);
        CHECK(c.conditional_coverage.statistic == c.unconditional_coverage.statistic);
    }
    // Two observations, one transition: defined.
    const bool_buffer two(std::vector<char>{0, 1});
    CHECK(christoffersen_test(two.span(), 0.99).transitions[0][1] == 1);
}

TEST_CASE("Christoffersen rejects bad input with the library's message", "[risk][backtest][christoffersen][errors]") {
    const bool one[1] = {true};
    REQUIRE_THROWS_MATCHES(christoffersen_test(std::span<const bool>(one), 0.99), invalid_argument,
                           Message("christoffersen_test: the size of hits is 1, but must be >= 2 (one transition)"));
    REQUIRE_THROWS_MATCHES(christoffersen_test(std::span<const bool>(), 0.99), invalid_argument,
                           Message("christoffersen_test: the size of hits is 0, but must be >= 2 (one transition)"));
    const bool two[2] = {true, false};
    REQUIRE_THROWS_MATCHES(christoffersen_test(std::span<const bool>(two), 0.0), invalid_argument,
                           Message("christoffersen_test: confidence is 0, but must be in (0, 1)"));
}
