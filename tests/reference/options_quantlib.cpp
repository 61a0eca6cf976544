// Independent reference values from QuantLib 1.29 (Debian 12 libquantlib0-dev) for
// tests/options/greeks.cpp and tests/options/implied_volatility.cpp.
// Build and run (output stored in tests/reference/options_quantlib.out):
//   g++ -std=c++17 -O2 tests/reference/options_quantlib.cpp -lQuantLib -o options_quantlib
//   ./options_quantlib > tests/reference/options_quantlib.out
// BlackCalculator(type, K, F = S·e^((r−q)T), σ√T, D = e^(−rT)); its rho(T) is ∂V/∂r with the
// forward moving with r (margincall's rho + carry_rho) and dividendRho(T) is ∂V/∂q (= −carry_rho).
#include <ql/pricingengines/blackcalculator.hpp>
#include <ql/pricingengines/blackformula.hpp>
#include <ql/version.hpp>

#include <cmath>
#include <cstdio>

int main() {
    using namespace QuantLib;
    std::printf("# QuantLib %s\n", QL_VERSION);
    struct row { const char* name; Option::Type type; double s, k, t, r, q, v; };
    const row rows[] = {
        {"haug_theta_put", Option::Put, 430.0, 405.0, 0.0833, 0.07, 0.05, 0.20},
        {"hull_49_50_call", Option::Call, 49.0, 50.0, 20.0 / 52.0, 0.05, 0.0, 0.20},
        {"btc_otm_call", Option::Call, 60000.0, 80000.0, 30.0 / 365.0, 0.0, 0.0, 0.65},
    };
    std::printf("# name price delta gamma vega theta rho dividend_rho\n");
    for (const auto& x : rows) {
        const double forward = x.s * std::exp((x.r - x.q) * x.t);
        const double discount = std::exp(-x.r * x.t);
        const BlackCalculator c(x.type, x.k, forward, x.v * std::sqrt(x.t), discount);
        std::printf("%s %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", x.name, c.value(), c.delta(x.s), c.gamma(x.s),
                    c.vega(x.t), c.theta(x.s, x.t), c.rho(x.t), c.dividendRho(x.t));
    }
    // Implied volatility with blackFormulaImpliedStdDev (accuracy 1e-15 on the std dev).
    std::printf("# implied: name sigma\n");
    struct iv { const char* name; Option::Type type; double f, k, t, r, price; };
    const iv ivs[] = {
        {"iv_btc_otm_call", Option::Call, 60000.0, 80000.0, 30.0 / 365.0, 0.0, 350.0},
        {"iv_fut_put", Option::Put, 19.0, 17.0, 0.75, 0.10, 0.72},
        {"iv_deep_otm_put", Option::Put, 100.0, 50.0, 0.5, 0.02, 1e-6},
    };
    for (const auto& x : ivs) {
        const double discount = std::exp(-x.r * x.t);
        const double sd = blackFormulaImpliedStdDev(x.type, x.k, x.f, x.price, discount, 0.0, Null<Real>(), 1e-15, 1000);
        std::printf("%s %.17g\n", x.name, sd / std::sqrt(x.t));
    }
}
