// Tests of include/margincall/risk/streaming_tail.hpp: the "heavy" sample of
// tests/reference/risk_historical.R streamed in uneven batches must reproduce R's values, and
// random streams must equal historical_simulation on the whole sample.
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/streaming_tail.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
std::vector<double> heavy_sample() {  // m_i = (7919 i) mod 100003, x_i = (m_i − 40001)³ / 10⁹
    std::vector<double> x;
    for (long i = 0; i < 100003; ++i) {
        const double m = static_cast<double>((i * 7919) % 100003) - 40001.0;
        x.push_back(m * m * m / 1e9);
    }
    return x;
}
template <class Tail>
void stream(Tail& tail, const std::vector<double>& x, std::mt19937_64& gen) {
    std::uniform_int_distribution<std::size_t> len(0, 700);
    for (std::size_t at = 0; at < x.size();) {
        const std::size_t n = std::min(len(gen), x.size() - at);
        tail.push(std::span<const double>(x.data() + at, n));
        at += n;
    }
}
}  // namespace

TEST_CASE("streamed heavy sample reproduces R's VaR (types 1, 7) and ES", "[risk][streaming]") {
    const auto x = heavy_sample();
    std::mt19937_64 gen(3);
    // tests/reference/risk_historical.out, "heavy", sign 1, α = 0.99 and 0.999.
    auto t1 = streaming_tail<double>::for_sample_size(x.size(), 0.99);
    stream(t1, x, gen);
    CHECK(t1.size() == x.size());
    const auto r99 = t1.result(0.99);
    CHECK_THAT(r99.value_at_risk, WithinRel(205389.443177001, 1e-15));
    CHECK_THAT(r99.expected_shortfall, WithinRel(210675.52330434916, 1e-13));
    const auto r999 = t1.result(0.999);  // needs fewer order statistics: also exact
    CHECK_THAT(r999.value_at_risk, WithinRel(214932.56320970101, 1e-15));
    CHECK_THAT(r999.expected_shortfall, WithinRel(215476.75682886943, 1e-13));
    auto t7 = streaming_tail<double>::for_sample_size(x.size(), 0.99, quantile_type::type7, sample_sign::profit_and_loss);
    stream(t7, x, gen);
    CHECK_THAT(t7.result(0.99).value_at_risk, WithinRel(59323.471854660966, 1e-15));  // sign −1 row
}

TEST_CASE("streaming equals historical simulation on random streams", "[risk][streaming][property]") {
    std::mt19937_64 gen(17);
    std::student_t_distribution<double> t3(3.0);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<double> x(5000 + static_cast<std::size_t>(trial) * 977);
        for (auto& v : x) v = t3(gen);
        if (trial % 3 == 1) std::sort(x.begin(), x.end());  // ascending: the floor rises all the time
        streaming_tail<double> tail(400);
        stream(tail, x, gen);
        for (const double a : {0.95, 0.99, 0.995}) {
            const auto h = historical_simulation<double>{}.estimate(x, a);
            if (detail::tail_ranks_for(x.size(), a, quantile_type::type1).needed > 400) continue;
            const auto s = tail.result(a);
            CHECK(s.value_at_risk == h.value_at_risk);
            CHECK_THAT(s.expected_shortfall, WithinRel(h.expected_shortfall, 1e-13));
        }
    }
}

TEST_CASE("a small stream keeps every value", "[risk][streaming]") {
    streaming_tail<double> tail(10);
    for (int i = 1; i <= 5; ++i) tail.push(static_cast<double>(i));
    // 5 values, α = 0.5: type 1 VaR = x_(⌈2.5⌉) = 3; w = 2.5: ES = (5 + 4 + 0.5·3)/2.5 = 4.2.
    const auto r = tail.result(0.5);
    CHECK(r.value_at_risk == 3.0);
    CHECK_THAT(r.expected_shortfall, WithinRel(4.2, 1e-15));
}

TEST_CASE("streaming errors name the argument and the value", "[risk][streaming][errors]") {
    REQUIRE_THROWS_MATCHES(streaming_tail<double>(0), invalid_argument,
                           Message("streaming_tail: capacity is 0, but must be > 0"));
    streaming_tail<double> tail(5);
    REQUIRE_THROWS_MATCHES(tail.result(0.99), invalid_argument,
                           Message("streaming_tail: the number of values pushed is 0, but must be > 0"));
    const std::vector<double> bad{1.0, 2.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(tail.push(bad), invalid_argument,
                           Message("streaming_tail::push: batch[2] is nan, but must be finite"));
    CHECK(tail.size() == 0);
    std::vector<double> many(1000);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i);
    tail.push(many);
    REQUIRE_THROWS_MATCHES(tail.result(0.9), invalid_argument,
                           Message("streaming_tail: alpha is 0.9, but must be such that at most the 5 kept largest "
                                   "losses are needed (it needs 101)"));
    REQUIRE_THROWS_MATCHES(tail.result(1.0), invalid_argument, Message("streaming_tail: alpha is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(streaming_tail<double>::for_sample_size(0, 0.99), invalid_argument,
                           Message("streaming_tail::for_sample_size: n is 0, but must be > 0"));
}
