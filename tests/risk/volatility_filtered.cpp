// Tests of include/margincall/risk/volatility_filtered.hpp against R 4.2.2 (tests/reference/risk_weighted.R/.out).
#include <margincall/risk/volatility_filtered.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<volatility_filtered<double>, double>);

namespace {
std::vector<double> small_sample() {  // sample "small" of tests/reference/risk_historical.R
    std::vector<double> x;
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    return x;
}
std::vector<double> sigma_series() {  // σ_t = 1 + (t mod 7)/10, as in risk_weighted.R
    std::vector<double> s;
    for (long t = 0; t < 250; ++t) s.push_back(1.0 + static_cast<double>(t % 7) / 10.0);
    return s;
}
}  // namespace

TEST_CASE("Hull-White filtered VaR and ES agree with R", "[risk][volatility_filtered]") {
    struct row { double alpha, var1, var7, es; };
    const std::array<row, 2> rows{{  // tests/reference/risk_weighted.out, "volatility filtered"
        {0.95, 263.4572863636364, 263.06542124999999, 328.55483178701297},
        {0.99, 374.14943181818182, 372.33181022727268, 401.76165436363635},
    }};
    const auto x = small_sample();
    const auto sig = sigma_series();
    for (const auto& r : rows) {
        const volatility_filtered<double> t1{sig, 1.35};
        const auto a = t1.estimate(x, r.alpha);
        CHECK_THAT(a.value_at_risk, WithinRel(r.var1, 1e-15));
        CHECK_THAT(a.expected_shortfall, WithinRel(r.es, 1e-13));
        const volatility_filtered<double> t7{sig, 1.35, historical_simulation<double>{quantile_type::type7}};
        CHECK_THAT(t7.estimate(x, r.alpha).value_at_risk, WithinRel(r.var7, 1e-15));
        // The same sample read as P&L: loss = −x, so the scaled P&L must give the mirrored tail.
        std::vector<double> pnl(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) pnl[i] = -x[i];
        const volatility_filtered<double> p1{sig, 1.35, historical_simulation<double>{quantile_type::type1,
                                                                                      sample_sign::profit_and_loss}};
        CHECK_THAT(p1.estimate(pnl, r.alpha).value_at_risk, WithinRel(r.var1, 1e-15));
    }
}

TEST_CASE("constant volatility equal to today's leaves the sample unchanged", "[risk][volatility_filtered]") {
    const auto x = small_sample();
    const std::vector<double> flat(x.size(), 0.02);
    const auto f = volatility_filtered<double>{flat, 0.02}.estimate(x, 0.99);
    const auto h = historical_simulation<double>{}.estimate(x, 0.99);
    CHECK(f.value_at_risk == h.value_at_risk);
    CHECK(f.expected_shortfall == h.expected_shortfall);
    // Doubling today's volatility doubles VaR and ES (positive homogeneity).
    const auto g = volatility_filtered<double>{flat, 0.04}.estimate(x, 0.99);
    CHECK_THAT(g.value_at_risk, WithinRel(2 * h.value_at_risk, 1e-15));
    CHECK_THAT(g.expected_shortfall, WithinRel(2 * h.expected_shortfall, 1e-14));
}

TEST_CASE("volatility-filtered errors name the argument and the value", "[risk][volatility_filtered][errors]") {
    const std::vector<double> x{1.0, 2.0, 3.0};
    const std::vector<double> short_sig{1.0, 1.0};
    REQUIRE_THROWS_MATCHES(volatility_filtered<double>(short_sig, 1.0).estimate(x, 0.9), invalid_argument,
                           Message("rescale_losses: the size of sigmas is 2, but must be equal to the size of losses (3)"));
    const std::vector<double> zero_sig{1.0, 0.0, 1.0};
    REQUIRE_THROWS_MATCHES(volatility_filtered<double>(zero_sig, 1.0).estimate(x, 0.9), invalid_argument,
                           Message("rescale_losses: sigmas[1] is 0, but must be finite and > 0"));
    const std::vector<double> sig{1.0, 1.0, 1.0};
    REQUIRE_THROWS_MATCHES(volatility_filtered<double>(sig, -1.0), invalid_argument,
                           Message("volatility_filtered: sigma_now is -1, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(volatility_filtered<double>(sig, 1.0).estimate(x, 2.0), invalid_argument,
                           Message("volatility_filtered: alpha is 2, but must be in (0, 1)"));
    const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN(), 3.0};
    REQUIRE_THROWS_MATCHES(volatility_filtered<double>(sig, 1.0).estimate(bad, 0.9), invalid_argument,
                           Message("rescale_losses: losses[1] is nan, but must be finite"));
    std::vector<double> out(2);
    REQUIRE_THROWS_MATCHES(rescale_losses<double>(x, sig, 1.0, out), invalid_argument,
                           Message("rescale_losses: the size of out is 2, but must be equal to the size of losses (3)"));
}
