// Tests of include/margincall/core/bracketed_solve.hpp: closed-form roots, the status of every
// way a solve can end, and the bracket sides a caller relies on.
#include <margincall/core/bracketed_solve.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "catch.hpp"

using margincall::solve_budget;
using margincall::solve_bracketed;
using margincall::solve_status;

TEMPLATE_TEST_CASE("solve_bracketed finds closed-form roots to its tolerance", "[core][solve]", float, double,
                   long double) {
    using Real = TestType;
    // x² − 2 = 0 on [0, 2]: √2; eˣ − 3 = 0 on [−1, 4]: ln 3; x³ + x − 10 = 0 on [0, 5]: 2.
    const auto r1 = solve_bracketed([](const Real& x) { return x * x - 2; }, Real(0), Real(2));
    REQUIRE(r1.status == solve_status::found);
    CHECK_THAT(double(r1.root), Catch::Matchers::WithinRel(std::sqrt(2.0), 4 * double(std::numeric_limits<Real>::epsilon())));
    CHECK(r1.lower <= r1.root);
    CHECK(r1.root <= r1.upper);
    CHECK(r1.evaluations > 2);
    CHECK(r1.evaluations <= 100);

    const auto r2 = solve_bracketed([](const Real& x) { return Real(std::exp(x) - 3); }, Real(-1), Real(4));
    REQUIRE(r2.found());
    CHECK_THAT(double(r2.root), Catch::Matchers::WithinRel(std::log(3.0), 4 * double(std::numeric_limits<Real>::epsilon())));

    const auto r3 = solve_bracketed([](const Real& x) { return x * x * x + x - 10; }, Real(0), Real(5));
    REQUIRE(r3.found());
    CHECK_THAT(double(r3.root), Catch::Matchers::WithinRel(2.0, 4 * double(std::numeric_limits<Real>::epsilon())));
}

TEST_CASE("solve_bracketed in 50 digits: √2 to 48 digits", "[core][solve][multiprecision]") {
    using mp = boost::multiprecision::cpp_bin_float_50;
    const auto r = solve_bracketed([](const mp& x) { return mp(x * x - 2); }, mp(1), mp(2), solve_budget<mp>{200});
    REQUIRE(r.found());
    CHECK(boost::multiprecision::abs(r.root - boost::multiprecision::sqrt(mp(2))) < mp("1e-48"));
}

TEST_CASE("a budget too small to converge is no_convergence, never found", "[core][solve]") {
    // eˣ − 3 on [−10, 10]: two evaluations cannot shrink a width of 20 to 2⁻⁵⁰ relative.
    int calls = 0;
    const auto f = [&calls](const double& x) {
        ++calls;
        return std::exp(x) - 3;
    };
    const auto r = solve_bracketed(f, -10.0, 10.0, f(-10.0), f(10.0), solve_budget<double>{2});
    CHECK(r.status == solve_status::no_convergence);
    CHECK_FALSE(r.found());
    CHECK(r.evaluations == 2);
    CHECK(calls == 4);  // the two ends above, two inside the solve
    // The bracket still holds the root, each end on its side.
    CHECK(r.lower < std::log(3.0));
    CHECK(std::log(3.0) < r.upper);
    CHECK(f(r.lower) < 0);
    CHECK(f(r.upper) > 0);
    CHECK(r.root == r.lower + (r.upper - r.lower) / 2);

    // A budget of 0 leaves the bracket as given.
    const auto none = solve_bracketed(f, -10.0, 10.0, f(-10.0), f(10.0), solve_budget<double>{0});
    CHECK(none.status == solve_status::no_convergence);
    CHECK(none.lower == -10.0);
    CHECK(none.upper == 10.0);
    CHECK(none.evaluations == 0);

    // The overload that evaluates the ends counts them in the budget.
    const auto ends_only = solve_bracketed(f, -10.0, 10.0, solve_budget<double>{2});
    CHECK(ends_only.status == solve_status::no_convergence);
    CHECK(ends_only.evaluations == 2);
}

TEST_CASE("a bracket without a sign change is reported, not thrown", "[core][solve]") {
    const auto f = [](const double& x) { return x * x + 1; };
    const auto r = solve_bracketed(f, -1.0, 2.0);
    CHECK(r.status == solve_status::no_sign_change);
    CHECK(r.evaluations == 2);
    CHECK(r.lower == -1.0);
    CHECK(r.upper == 2.0);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(solve_bracketed(f, 0.0, 1.0, nan, -1.0).status == solve_status::no_sign_change);
    CHECK(std::string(margincall::to_string(solve_status::no_sign_change)) == "no sign change");
    CHECK(std::string(margincall::to_string(solve_status::no_convergence)) == "no convergence");
    CHECK(std::string(margincall::to_string(solve_status::found)) == "found");
}

TEST_CASE("an exact zero at an end is found with no evaluation; reversed ends are accepted", "[core][solve]") {
    const auto f = [](const double& x) { return x - 1; };
    const auto at_lo = solve_bracketed(f, 1.0, 3.0, 0.0, 2.0);
    CHECK(at_lo.found());
    CHECK(at_lo.root == 1.0);
    CHECK(at_lo.evaluations == 0);
    const auto at_hi = solve_bracketed(f, -1.0, 1.0, -2.0, 0.0);
    CHECK(at_hi.root == 1.0);
    // hi < lo: swapped, and the sides follow the swapped ends.
    const auto reversed = solve_bracketed(f, 4.0, -2.0);
    REQUIRE(reversed.found());
    CHECK_THAT(reversed.root, Catch::Matchers::WithinAbs(1.0, 1e-15));
    CHECK(reversed.lower <= 1.0);
    CHECK(reversed.upper >= 1.0);
}

TEST_CASE("a step function is located to the caller's width, its sides kept", "[core][solve]") {
    // +1 up to 1/3, −1 beyond: the accepted side is the lower end of the bracket.
    const double step = 1.0 / 3.0;
    const auto indicator = [step](const double& x) { return x <= step ? 1.0 : -1.0; };
    const double width = 1e-12;
    const auto r = solve_bracketed(indicator, 0.0, 1.0, 1.0, -1.0, 400,
                                   [width](const double& a, const double& b) { return b - a <= width; });
    REQUIRE(r.found());
    CHECK(r.lower <= step);
    CHECK(r.upper > step);
    CHECK(r.upper - r.lower <= width);
    CHECK(r.evaluations < 400);
}

TEST_CASE("the snippet of docs/core.md compiles and finds ln 3", "[core][solve]") {
    using margincall::solve_status;
    // --- docs/core.md, verbatim ---
    const auto r = margincall::solve_bracketed([](const double& x) { return std::exp(x) - 3; }, -1.0, 4.0,
                                               margincall::solve_budget<double>{50});
    // r.status == solve_status::found, r.root == ln 3 to 2⁻⁵⁰ relative
    // --- end of snippet ---
    CHECK(r.status == solve_status::found);
    CHECK_THAT(r.root, Catch::Matchers::WithinRel(std::log(3.0), 4e-16));
}
