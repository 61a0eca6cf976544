// Tests of include/margincall/core/nelder_mead.hpp. Expected minima are closed forms:
// Rosenbrock's f = (1 − x)² + 100 (y − x²)² is 0 at (1, 1) only (a sum of squares that vanishes
// iff x = 1 and y = x²); the quadratic (x − a)ᵀ A (x − a) + c with A positive definite has its
// minimum c at a.
#include <margincall/core/nelder_mead.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include "catch.hpp"

using Catch::Matchers::WithinAbs;
using margincall::invalid_argument;
using margincall::nelder_mead;
using margincall::nelder_mead_budget;
using margincall::nelder_mead_options;
using margincall::nelder_mead_status;
using margincall::restarted_nelder_mead;

namespace {
double rosenbrock(const std::array<double, 2>& p) {
    const double a = 1 - p[0];
    const double b = p[1] - p[0] * p[0];
    return a * a + 100 * b * b;
}

// (x − a)ᵀ A (x − a) + 7, a = (1, −2, 0.5), A = [[1, ½, 0], [½, 2, 0], [0, 0, 3]] (leading minors
// 1, 7/4, 21/4 > 0: positive definite), so the minimum is 7 at a.
double quadratic(const std::array<double, 3>& x) {
    const double d0 = x[0] - 1;
    const double d1 = x[1] + 2;
    const double d2 = x[2] - 0.5;
    return d0 * d0 + d0 * d1 + 2 * d1 * d1 + 3 * d2 * d2 + 7;
}

nelder_mead_budget evaluations(std::size_t n) {
    nelder_mead_budget b;
    b.max_evaluations = n;
    return b;
}
}  // namespace

TEST_CASE("Rosenbrock's valley: the minimum (1, 1) from the classical start (-1.2, 1)", "[core][nelder_mead]") {
    const auto r = nelder_mead<2>(rosenbrock, std::array{-1.2, 1.0}, evaluations(5000));
    REQUIRE(r.converged());
    CHECK(r.status == nelder_mead_status::converged);
    CHECK_THAT(r.minimum[0], WithinAbs(1.0, 1e-6));
    CHECK_THAT(r.minimum[1], WithinAbs(1.0, 1e-6));
    CHECK_THAT(r.value, WithinAbs(0.0, 1e-12));
    CHECK(r.value == rosenbrock(r.minimum));
    CHECK(r.evaluations <= 5000);
    CHECK(r.iterations > 0);
}

TEST_CASE("a positive-definite quadratic: the minimum c at a", "[core][nelder_mead]") {
    const auto r = nelder_mead<3>(quadratic, std::array{0.0, 0.0, 0.0}, evaluations(5000));
    REQUIRE(r.converged());
    CHECK_THAT(r.minimum[0], WithinAbs(1.0, 1e-6));
    CHECK_THAT(r.minimum[1], WithinAbs(-2.0, 1e-6));
    CHECK_THAT(r.minimum[2], WithinAbs(0.5, 1e-6));
    CHECK_THAT(r.value, WithinAbs(7.0, 1e-11));
}

TEST_CASE("a one-dimensional quadratic in float", "[core][nelder_mead]") {
    // (x − 3)² + 1: minimum 1 at 3. float's default tolerances scale with its epsilon.
    const auto f = [](const std::array<float, 1>& x) { return (x[0] - 3.0f) * (x[0] - 3.0f) + 1.0f; };
    const auto r = nelder_mead<1>(f, std::array{0.0f}, evaluations(1000));
    REQUIRE(r.converged());
    CHECK_THAT(static_cast<double>(r.minimum[0]), WithinAbs(3.0, 1e-3));
    CHECK_THAT(static_cast<double>(r.value), WithinAbs(1.0, 1e-6));
}

TEST_CASE("a budget too small ends the run as not converged, with the best point so far", "[core][nelder_mead]") {
    const std::array start{-1.2, 1.0};
    SECTION("evaluations") {
        const auto r = nelder_mead<2>(rosenbrock, start, evaluations(20));
        CHECK_FALSE(r.converged());
        CHECK(r.status == nelder_mead_status::out_of_evaluations);
        // The check comes before each iteration, which uses at most N + 2 = 4 evaluations.
        CHECK(r.evaluations >= 20);
        CHECK(r.evaluations <= 19 + 4);
        CHECK(r.value <= rosenbrock(start));  // the start is a vertex; the best never gets worse
        CHECK(r.value == rosenbrock(r.minimum));
    }
    SECTION("iterations") {
        nelder_mead_budget budget;
        budget.max_iterations = 5;
        const auto r = nelder_mead<2>(rosenbrock, start, budget);
        CHECK(r.status == nelder_mead_status::out_of_iterations);
        CHECK(r.iterations == 5);
        CHECK(r.value <= rosenbrock(start));
    }
    SECTION("fewer evaluations than the simplex needs: it is built, then the run stops") {
        const auto r = nelder_mead<3>(quadratic, std::array{0.0, 0.0, 0.0}, evaluations(1));
        CHECK(r.status == nelder_mead_status::out_of_evaluations);
        CHECK(r.evaluations == 4);
        CHECK(r.iterations == 0);
    }
}

TEST_CASE("restarted Nelder–Mead: runs share one budget and report the last run", "[core][nelder_mead]") {
    const std::array start{-1.2, 1.0};
    // No restart: exactly one run with the default step and the given tolerance.
    nelder_mead_options<double> o;
    o.value_tolerance = 1e-10;
    const auto once = nelder_mead<2>(rosenbrock, start, evaluations(5000), o);
    const auto r0 = restarted_nelder_mead<2>(rosenbrock, start, 0, 5000, 1e-10);
    CHECK(r0.minimum == once.minimum);
    CHECK(r0.evaluations == once.evaluations);
    // Three restarts from the minimum: still (1, 1) (Rosenbrock's only zero), more evaluations.
    const auto r3 = restarted_nelder_mead<2>(rosenbrock, start, 3, 5000, 1e-10);
    CHECK(r3.converged());
    CHECK_THAT(r3.minimum[0], Catch::Matchers::WithinAbs(1.0, 1e-6));
    CHECK_THAT(r3.minimum[1], Catch::Matchers::WithinAbs(1.0, 1e-6));
    CHECK(r3.evaluations > once.evaluations);
    CHECK(r3.iterations > once.iterations);
    // A budget the first run exhausts: no restart runs, the status says so.
    const auto tight = restarted_nelder_mead<2>(rosenbrock, start, 3, 20, 1e-10);
    CHECK(tight.status == nelder_mead_status::out_of_evaluations);
    CHECK(tight.evaluations <= 19 + 4);
    CHECK_THROWS_AS(restarted_nelder_mead<2>(rosenbrock, start, 3, 0, 1e-10), margincall::invalid_argument);
}

TEST_CASE("NaN counts as +inf: the search stays where f is defined", "[core][nelder_mead]") {
    // f = (x − 2)² for x ≥ 0, NaN below; minimum 0 at 2.
    const auto f = [](const std::array<double, 1>& x) {
        return x[0] < 0 ? std::numeric_limits<double>::quiet_NaN() : (x[0] - 2) * (x[0] - 2);
    };
    nelder_mead_options<double> options;
    options.initial_step = -1.0;  // the first trial vertex lies where f is NaN
    const auto r = nelder_mead<1>(f, std::array{0.5}, evaluations(1000), options);
    REQUIRE(r.converged());
    CHECK_THAT(r.minimum[0], WithinAbs(2.0, 1e-6));
}

TEST_CASE("nelder_mead refuses bad input with the argument named", "[core][nelder_mead][errors]") {
    const auto b = evaluations(100);
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, std::numeric_limits<double>::quiet_NaN()}, b),
                           invalid_argument, Message("nelder_mead: start[1] is nan, but must be finite"));
    nelder_mead_options<double> o;
    o.initial_step = 0;
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, 0.0}, b, o), invalid_argument,
                           Message("nelder_mead: options.initial_step is 0, but must be finite and != 0"));
    o = {};
    o.value_tolerance = -1;
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, 0.0}, b, o), invalid_argument,
                           Message("nelder_mead: options.value_tolerance is -1, but must be finite and >= 0"));
    o = {};
    o.point_tolerance = 0;
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, 0.0}, b, o), invalid_argument,
                           Message("nelder_mead: options.point_tolerance is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, 0.0}, evaluations(0)), invalid_argument,
                           Message("nelder_mead: budget.max_evaluations is 0, but must be > 0"));
    nelder_mead_budget no_iterations;
    no_iterations.max_iterations = 0;
    REQUIRE_THROWS_MATCHES(nelder_mead<2>(rosenbrock, std::array{0.0, 0.0}, no_iterations), invalid_argument,
                           Message("nelder_mead: budget.max_iterations is 0, but must be > 0"));
}

TEST_CASE("docs/core.md: the Nelder–Mead snippet compiles and converges", "[core][nelder_mead][docs]") {
    // --- docs/core.md snippet (keep in step with the page) ---
    // Rosenbrock's valley, minimum 0 at (1, 1).
    const auto banana = [](const std::array<double, 2>& p) {
        return (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);
    };
    margincall::nelder_mead_budget budget;  // the caller's: evaluations and iterations
    budget.max_evaluations = 2000;
    const auto result = margincall::nelder_mead<2>(banana, std::array{-1.2, 1.0}, budget);
    if (!result.converged()) {
        // result.status says which limit stopped it; result.minimum is the best vertex so far.
    }
    // --- end of snippet ---
    CHECK(result.converged());
    CHECK_THAT(result.minimum[0], WithinAbs(1.0, 1e-6));
}
