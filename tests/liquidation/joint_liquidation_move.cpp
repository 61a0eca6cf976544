// Tests of include/margincall/liquidation/joint_liquidation_move.hpp.
#include <margincall/liquidation/joint_liquidation_move.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "catch.hpp"

using namespace margincall;

namespace {
// A cross account of three linear perpetuals: equity = cash + Σ q_i (P_i − E_i);
// MM = Σ mmr_i |q_i| P_i (one tier each).
struct basket {
    std::array<double, 3> q{2.0, -10.0, 100.0}, entry{30'000.0, 2'000.0, 100.0}, mmr{0.005, 0.01, 0.02};
    double cash{5'000.0};
    double operator()(std::span<const double> p) const {
        double s = cash;
        for (std::size_t i = 0; i < 3; ++i) s += q[i] * (p[i] - entry[i]) - mmr[i] * std::abs(q[i]) * p[i];
        return s;
    }
};
}  // namespace

TEST_CASE("uniform percentage move of a linear basket: hand-derived root", "[liquidation][joint]") {
    // With P_i = E_i (1 + t): s(t) = cash + t Σ q_i E_i − (1 + t) Σ mmr_i |q_i| E_i.
    // Σ q_i E_i = 60,000 − 20,000 + 10,000 = 50,000; Σ mmr_i |q_i| E_i = 300 + 200 + 200 = 700.
    // s(t) = 5,000 − 700 + t (50,000 − 700) = 0 ⇒ t = −4,300 / 49,300 = −0.087221095...
    const basket b;
    const std::array<double, 3> marks{30'000.0, 2'000.0, 100.0}, ones{1.0, 1.0, 1.0};
    const auto r = find_joint_liquidation_move<double>(b, marks, ones, -0.9, 2.0);
    REQUIRE(r.prices.downside.found());
    CHECK_THAT(r.prices.downside.price, WithinRel(-4'300.0 / 49'300.0, 1e-10));
    CHECK(r.prices.upside.status == liquidation_status::out_of_range);
    REQUIRE(r.crossings.size() == 1);
}

TEST_CASE("move along a direction: only the short leg moves", "[liquidation][joint]") {
    // d = (0, 1, 0): s(t) = 4,300 + t (−10 × 2,000 − 0.01 × 10 × 2,000) = 4,300 − 20,200 t ⇒ t = 0.212871...
    const basket b;
    const std::array<double, 3> marks{30'000.0, 2'000.0, 100.0}, d{0.0, 1.0, 0.0};
    const auto r = find_joint_liquidation_move<double>(b, marks, d, -0.5, 1.0);
    REQUIRE(r.prices.upside.found());
    CHECK_THAT(r.prices.upside.price, WithinRel(4'300.0 / 20'200.0, 1e-10));
    CHECK(r.prices.downside.status == liquidation_status::out_of_range);
}

TEST_CASE("joint move input errors", "[liquidation][joint][errors]") {
    const basket b;
    const std::array<double, 3> marks{30'000.0, 2'000.0, 100.0}, ones{1.0, 1.0, 1.0};
    const std::array<double, 2> two{1.0, 1.0};
    REQUIRE_THROWS_MATCHES(find_joint_liquidation_move<double>(b, marks, two, -0.5, 1.0), invalid_argument,
                           Message("find_joint_liquidation_move: the size of direction is 2, but must be 3 (the size of marks)"));
    REQUIRE_THROWS_MATCHES(find_joint_liquidation_move<double>(b, marks, ones, -1.0, 1.0), invalid_argument,
                           Message("find_joint_liquidation_move: lower_move is -1, but must be such that every price "
                                   "stays > 0 (1 + t × direction[0] = 1 + t × 1 is not)"));
    REQUIRE_THROWS_MATCHES(find_joint_liquidation_move<double>(b, marks, ones, 0.1, 1.0), invalid_argument,
                           Message("find_joint_liquidation_move: lower_move is 0.1, but must be <= 0"));
    const std::array<double, 3> bad_marks{30'000.0, 0.0, 100.0};
    REQUIRE_THROWS_MATCHES(find_joint_liquidation_move<double>(b, bad_marks, ones, -0.5, 1.0), invalid_argument,
                           Message("find_joint_liquidation_move: marks[1] is 0, but must be finite and > 0"));
    const std::array<double, 3> nan_d{1.0, std::numeric_limits<double>::quiet_NaN(), 1.0};
    REQUIRE_THROWS_MATCHES(find_joint_liquidation_move<double>(b, marks, nan_d, -0.5, 1.0), invalid_argument,
                           Message("find_joint_liquidation_move: direction[1] is nan, but must be finite"));
}

TEST_CASE("joint move: a TOMS 748 budget that runs out is no_convergence, never found", "[liquidation][joint]") {
    // s = 1,000 − (P_0 − 30,000)² / 1,000 along P_0 = 30,000 (1 + t): roots t = ±1/30 (hand-derived).
    const auto s = [](std::span<const double> p) { return 1000.0 - (p[0] - 30000.0) * (p[0] - 30000.0) / 1000.0; };
    const std::array<double, 1> marks{30'000.0}, one{1.0};
    liquidation_scan_options<double> starved;
    starved.max_iterations = 1;
    const auto r = find_joint_liquidation_move<double>(s, marks, one, -0.5, 0.5, starved);
    CHECK(r.prices.downside.status == liquidation_status::no_convergence);
    CHECK(r.prices.upside.status == liquidation_status::no_convergence);
    const auto full = find_joint_liquidation_move<double>(s, marks, one, -0.5, 0.5);
    REQUIRE(full.prices.downside.found());
    REQUIRE(full.prices.upside.found());
    CHECK_THAT(full.prices.downside.price, WithinRel(-1.0 / 30.0, 1e-10));
    CHECK_THAT(full.prices.upside.price, WithinRel(1.0 / 30.0, 1e-10));
}
