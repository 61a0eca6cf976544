// Tests of include/margincall/risk/historical_simulation.hpp: VaR (Hyndman–Fan types 1, 6, 7)
// and Acerbi–Tasche ES against R 4.2.2 (tests/reference/risk_historical.R and .out).
#include <margincall/risk/historical_simulation.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<historical_simulation<double>, double>);
static_assert(tail_estimator<historical_simulation<float>, float>);
static_assert(!tail_estimator<historical_simulation<float>, int>);
struct not_an_estimator { double estimate(double) const { return 0; } };
static_assert(!tail_estimator<not_an_estimator, double>);

namespace {
// The three samples of tests/reference/risk_historical.R, built with the same integer arithmetic.
std::vector<double> sample(const std::string& name) {
    std::vector<double> x;
    if (name == "small") {
        for (long i = 0; i < 250; ++i) {
            const double m = static_cast<double>((i * 37) % 251) - 100.0;
            x.push_back(m * m * m / 1e4);
        }
    } else if (name == "ties") {
        for (long i = 0; i < 1000; ++i) x.push_back(static_cast<double>(((i * 7919) % 1009) % 50) / 4.0);
    } else {
        for (long i = 0; i < 100003; ++i) {
            const double m = static_cast<double>((i * 7919) % 100003) - 40001.0;
            x.push_back(m * m * m / 1e9);
        }
    }
    return x;
}
struct r_row {
    const char* name;
    int sign;  // −1: the sample is read as P&L
    double alpha;
    double var_type1;
    double var_type6;
    double var_type7;
    double es;
};
// Printed by tests/reference/risk_historical.R (R 4.2.2), pasted from tests/reference/risk_historical.out.
const std::vector<r_row> r_rows{
    {"small", 1, 0.90000000000000002, 195.3125, 199.56509000000003, 195.78500999999997, 264.96000000000004},
    {"small", 1, 0.94999999999999996, 262.80720000000002, 265.39681499999995, 260.25484499999993, 300.65903999999995},
    {"small", 1, 0.97499999999999998, 298.59840000000003, 303.13987249999997, 297.20841750000005, 320.13633599999997},
    {"small", 1, 0.98999999999999999, 324.17919999999998, 327.42089300000004, 320.98101899999995, 332.15379999999999},
    {"small", 1, 0.995, 330.79489999999998, 335.79019950000003, 329.17405349999996, 336.15897999999999},
    {"small", 1, 0.999, 337.5, 337.5, 335.83043010000006, 337.5},
    {"small", -1, 0.90000000000000002, 42.1875, 43.726590000000009, 42.358509999999995, 69.52000000000001},
    {"small", -1, 0.94999999999999996, 68.147199999999998, 69.204564999999974, 67.113594999999961, 84.065439999999981},
    {"small", -1, 0.97499999999999998, 83.058400000000006, 85.000747499999989, 82.468292500000018, 92.382735999999994},
    {"small", -1, 0.98999999999999999, 94.119200000000006, 95.545443000000034, 92.721768999999981, 97.635800000000003},
    {"small", -1, 0.995, 97.029899999999998, 99.242624500000005, 96.316778499999998, 99.40598},
    {"small", -1, 0.999, 100, 100, 99.260445100000013, 100},
    {"ties", 1, 0.90000000000000002, 11, 11.224999999999994, 11.025000000000006, 11.750000000000002},
    {"ties", 1, 0.94999999999999996, 11.75, 11.75, 11.75, 12.049999999999999},
    {"ties", 1, 0.97499999999999998, 12, 12, 12, 12.199999999999999},
    {"ties", 1, 0.98999999999999999, 12.25, 12.25, 12.25, 12.25},
    {"ties", 1, 0.995, 12.25, 12.25, 12.25, 12.25},
    {"ties", 1, 0.999, 12.25, 12.25, 12.25, 12.25},
    {"ties", -1, 0.90000000000000002, -1, -1, -1, -0.47749999999999987},
    {"ties", -1, 0.94999999999999996, -0.5, -0.5, -0.5, -0.18500000000000028},
    {"ties", -1, 0.97499999999999998, -0.25, -0.25, -0.25, -0.040000000000000181},
    {"ties", -1, 0.98999999999999999, -0, -0, -0, 0},
    {"ties", -1, 0.995, -0, -0, -0, 0},
    {"ties", -1, 0.999, -0, -0, -0, 0},
    {"heavy", 1, 0.90000000000000002, 125007.500150001, 125012.00042000525, 125006.00012000083, 167762.36771147617},
    {"heavy", 1, 0.94999999999999996, 166384.07516500101, 166391.3355610065, 166383.16764850085, 190482.91490856066},
    {"heavy", 1, 0.97499999999999998, 190119.293922501, 190128.22126325726, 190118.79797637594, 202886.24549833071},
    {"heavy", 1, 0.98999999999999999, 205389.443177001, 205399.46896676763, 205389.23431346094, 210675.52330434916},
    {"heavy", 1, 0.995, 210655.49592850101, 210665.9047882978, 210655.38971921607, 213330.95424962835},
    {"heavy", 1, 0.999, 214932.56320970101, 214943.28472053155, 214932.54168128167, 215476.75682886943},
    {"heavy", -1, 0.90000000000000002, 27002.700090000999, 27004.320252005215, 27002.160072000806, 43755.047657075993},
    {"heavy", -1, 0.94999999999999996, 42878.675105000999, 42881.615357006551, 42878.307594500875, 52974.784860460328},
    {"heavy", -1, 0.97499999999999998, 52738.593862501002, 52742.39104125728, 52738.382919375945, 58252.687954055247},
    {"heavy", -1, 0.98999999999999999, 59323.563117001002, 59327.943933967683, 59323.471854660966, 61646.702062584627},
    {"heavy", -1, 0.995, 61634.555868500996, 61639.143351897845, 61634.50905981601, 62817.043908736792},
    {"heavy", -1, 0.999, 63525.975149701, 63530.732433251571, 63525.965597401628, 63767.574776689195},
};
}  // namespace

TEST_CASE("historical VaR (types 1, 6, 7) and Acerbi-Tasche ES agree with R", "[risk][historical]") {
    // "heavy" has n = 100003 ≥ 2^15: the single-pass candidate path; the others use copy + selection.
    historical_workspace<double> ws;
    for (const auto& r : r_rows) {
        const auto x = sample(r.name);
        const auto sign = r.sign > 0 ? sample_sign::losses : sample_sign::profit_and_loss;
        INFO(r.name << " sign " << r.sign << " alpha " << r.alpha);
        const std::array<std::pair<quantile_type, double>, 3> cases{
            {{quantile_type::type1, r.var_type1}, {quantile_type::type6, r.var_type6}, {quantile_type::type7, r.var_type7}}};
        for (const auto& [type, expected_var] : cases) {
            const historical_simulation<double> hs{type, sign};
            const auto t = hs.estimate(x, r.alpha, ws);
            CHECK_THAT(t.value_at_risk, WithinRel(expected_var, 4 * std::numeric_limits<double>::epsilon()) ||
                                            WithinAbs(expected_var, 1e-300));
            CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-13) || WithinAbs(r.es, 1e-13));
        }
    }
}

TEST_CASE("Acerbi-Tasche ES with a fractional tail: n = 250, alpha = 0.99 gives (L1 + L2 + L3/2)/2.5",
          "[risk][historical]") {
    // Hand derivation (Acerbi & Tasche 2002, eq. 4.1): w = 250 · 0.01 = 2.5, ⌊w⌋ = 2, so
    // ES = (L_(1) + L_(2) + 0.5 L_(3)) / 2.5. With losses 1..250: (250 + 249 + 124)/2.5 = 249.2.
    // VaR type 1 = x_(⌈247.5⌉) = 248.
    std::vector<double> losses(250);
    std::iota(losses.begin(), losses.end(), 1.0);
    std::reverse(losses.begin(), losses.end());
    const auto t = historical_simulation<double>{}.estimate(losses, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(248.0, 1e-15));
    CHECK_THAT(t.expected_shortfall, WithinRel(249.2, 1e-14));
}

TEMPLATE_TEST_CASE("historical estimator works for float and long double", "[risk][historical]", float, long double) {
    std::vector<TestType> losses(250);
    std::iota(losses.begin(), losses.end(), TestType(1));
    const auto t = historical_simulation<TestType>{}.estimate(losses, TestType(0.99));
    CHECK_THAT(static_cast<double>(t.value_at_risk), WithinRel(248.0, 1e-6));
    CHECK_THAT(static_cast<double>(t.expected_shortfall), WithinRel(249.2, 1e-5));
}

TEST_CASE("historical estimator in 50-digit precision: the hand example is exact", "[risk][historical]") {
    using mp = boost::multiprecision::cpp_bin_float_50;
    std::vector<mp> losses;
    for (int i = 250; i >= 1; --i) losses.emplace_back(i);
    const mp alpha = mp(99) / 100;
    const auto t = historical_simulation<mp>{}.estimate(losses, alpha);
    CHECK(t.value_at_risk == mp(248));
    CHECK(abs(t.expected_shortfall - mp("249.2")) < mp("1e-45"));
}

TEST_CASE("fast path equals a full sort on random and adversarial orders", "[risk][historical][property]") {
    // Independent check: order statistics from std::sort and the Acerbi–Tasche sum written out.
    std::mt19937_64 gen(20260101);
    std::student_t_distribution<double> t3(3.0);
    historical_workspace<double> ws;
    for (int trial = 0; trial < 12; ++trial) {
        const std::size_t n = (std::size_t{1} << 15) + static_cast<std::size_t>(trial) * 7919;
        std::vector<double> x(n);
        for (auto& v : x) v = t3(gen);
        if (trial % 4 == 1) std::sort(x.begin(), x.end());                         // ascending
        if (trial % 4 == 2) std::sort(x.begin(), x.end(), std::greater<>{});       // descending
        if (trial % 4 == 3) std::fill(x.begin(), x.begin() + static_cast<long>(n / 2), 0.0);  // mass of ties
        std::vector<double> sorted = x;
        std::sort(sorted.begin(), sorted.end(), std::greater<>{});
        for (const double alpha : {0.9, 0.95, 0.99, 0.999, 0.9999}) {
            const double w = static_cast<double>(n) * (1 - alpha);
            const auto k = static_cast<std::size_t>(w);
            double s = 0;
            for (std::size_t i = 0; i < k; ++i) s += sorted[i];
            const double es = (s + (w - static_cast<double>(k)) * sorted[k]) / w;
            const double var1 = sorted[n - static_cast<std::size_t>(std::ceil(static_cast<double>(n) * alpha))];
            const auto t = historical_simulation<double>{}.estimate(x, alpha, ws);
            INFO("trial " << trial << " alpha " << alpha);
            CHECK(t.value_at_risk == var1);
            CHECK_THAT(t.expected_shortfall, WithinRel(es, 1e-12));
        }
    }
}

TEST_CASE("ES >= VaR and both are monotone in alpha", "[risk][historical][property]") {
    std::mt19937_64 gen(7);
    std::normal_distribution<double> normal;
    for (int trial = 0; trial < 60; ++trial) {
        std::vector<double> x(50 + static_cast<std::size_t>(trial) * 3);
        for (auto& v : x) v = normal(gen);
        for (const auto type : {quantile_type::type1, quantile_type::type6, quantile_type::type7}) {
            const historical_simulation<double> hs{type};
            double prev_var = -1e300;
            double prev_es = -1e300;
            for (double alpha = 0.5; alpha < 0.999; alpha += 0.0137) {
                const auto t = hs.estimate(x, alpha);
                CHECK(t.expected_shortfall >= t.value_at_risk - 1e-12);
                CHECK(t.value_at_risk >= prev_var);
                CHECK(t.expected_shortfall >= prev_es - 1e-12);
                prev_var = t.value_at_risk;
                prev_es = t.expected_shortfall;
            }
        }
    }
}

TEST_CASE("a sample of gains has a negative VaR, not floored at zero", "[risk][historical]") {
    const std::vector<double> losses{-5, -4, -3, -2, -1};
    const auto t = historical_simulation<double>{}.estimate(losses, 0.5);
    // type 1: x_(⌈2.5⌉) = x_(3) = −3; w = 2.5: ES = (−1 − 2 + 0.5·(−3))/2.5 = −1.8.
    CHECK(t.value_at_risk == -3.0);
    CHECK_THAT(t.expected_shortfall, WithinRel(-1.8, 1e-15));
}

TEST_CASE("historical errors name the argument and the value", "[risk][historical][errors]") {
    const historical_simulation<double> hs;
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(hs.estimate(empty, 0.99), invalid_argument,
                           Message("historical_simulation: the size of sample is 0, but must be > 0"));
    const std::vector<double> x{1, 2, 3};
    REQUIRE_THROWS_MATCHES(hs.estimate(x, 1.0), invalid_argument,
                           Message("historical_simulation: alpha is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(hs.estimate(x, 0.0), invalid_argument,
                           Message("historical_simulation: alpha is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(hs.estimate(x, std::numeric_limits<double>::quiet_NaN()), invalid_argument,
                           Message("historical_simulation: alpha is nan, but must be in (0, 1)"));
    const std::vector<double> bad{1, 2, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(hs.estimate(bad, 0.9), invalid_argument,
                           Message("historical_simulation: sample[2] is nan, but must be finite"));
    // NaN deep inside a large sample (single-pass path), in and out of the subsample.
    std::vector<double> big(100000, 1.0);
    for (const std::size_t at : {std::size_t{0}, std::size_t{12}, std::size_t{77777}, std::size_t{99999}}) {
        auto y = big;
        y[at] = std::numeric_limits<double>::infinity();
        REQUIRE_THROWS_MATCHES(hs.estimate(y, 0.99), invalid_argument,
                               Message("historical_simulation: sample[" + std::to_string(at) + "] is inf, but must be finite"));
    }
}
