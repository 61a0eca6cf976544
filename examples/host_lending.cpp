// A lending protocol on margincall, Aave v3 rules, built by plugging host-written policies into
// the calculator:
//   health factor HF = Σ collateral_i × price_i × LT_i / Σ debt_j × price_j, liquidatable if HF < 1;
//   close factor 50 %, or 100 % when HF < 0.95; collateral seized = debt repaid × bonus / price.
// Source: Aave v3 LiquidationLogic.sol / GenericLogic.sol (aave-v3-core; DEFAULT_LIQUIDATION_CLOSE_FACTOR
// 0.5e4, MAX 1e4 below CLOSE_FACTOR_HF_THRESHOLD 0.95e18). docs/example-lending.md.
//
// Mapping to margin terms: collateral is a long spot position (linear contract), debt is a
// stable amount. With wallet = collateral value at entry − debt, equity = Σ q·P − debt, and a
// host margin model charging MM = notional × (1 − LT) gives
//   equity − MM = Σ q·P·LT − debt,  so  equity ≤ MM ⇔ HF ≤ 1:
// the calculator's "liquidation" status is HF ≤ 1 (Aave liquidates at HF < 1: the two differ only
// at HF = 1 exactly) and its liquidation price is the price at HF = 1.
#include <margincall/calculator.hpp>

#include <cstdio>
#include <vector>

namespace mc = margincall;
using linear = mc::linear_contract<double>;

// One Aave reserve as a margin model: LT for maintenance, LTV for borrowing power.
struct aave_reserve {
    double ltv;                    // loan-to-value: borrowing power per unit of collateral
    double liquidation_threshold;  // LT
    double maintenance_margin(double notional, double) const noexcept { return notional * (1 - liquidation_threshold); }
    double initial_margin(double notional, double, double) const noexcept { return notional * (1 - ltv); }
    double max_leverage(double, double) const noexcept { return 1 / (1 - ltv); }
};

struct lending_policies : mc::default_policies<double> {
    using margin_model = aave_reserve;                           // host-written
    using liquidation_solver = mc::generic_liquidation<double>;  // any model
};

int main() {
    // WETH on Aave v3 Ethereum: LTV 80.5 %, LT 83 %, bonus 5 % (reserve parameters as configured
    // in 2024; illustrative). WBTC: LTV 73 %, LT 78 %, bonus 5 %.
    const aave_reserve weth{0.805, 0.83};
    const aave_reserve wbtc{0.73, 0.78};
    const double bonus = 1.05;
    mc::margin_call_calculator<lending_policies> calc;
    using pos = mc::position<linear, aave_reserve>;

    // A borrower: 10 WETH @ 3,000 and 0.5 WBTC @ 60,000 as collateral, 40,000 USDC borrowed.
    const double debt = 40000.0;
    const double collateral_value = 10 * 3000.0 + 0.5 * 60000.0;
    auto a = calc.make_account(collateral_value - debt);
    a.add_position(pos(weth, {.symbol = 0, .leverage = 1, .quantity = 10.0, .entry_price = 3000.0}));
    a.add_position(pos(wbtc, {.symbol = 1, .leverage = 1, .quantity = 0.5, .entry_price = 60000.0}));

    const auto health = [&](const std::vector<double>& p) {
        return (10 * p[0] * weth.liquidation_threshold + 0.5 * p[1] * wbtc.liquidation_threshold) / debt;
    };
    for (const double eth : {3000.0, 2400.0, 2100.0, 1800.0}) {
        const std::vector<double> marks{eth, 60000.0};
        const auto r = calc.evaluate(a, marks);
        const auto& at_one = r.positions[0].prices.liquidation.downside;
        std::printf("ETH %7.2f: HF %.4f, equity %9.2f, MM %8.2f, status %-11s, ETH price at HF = 1: ", eth,
                    health(marks), r.equity, r.maintenance_margin, mc::to_string(r.status));
        if (at_one.found())
            std::printf("%.2f\n", at_one.price);
        else
            std::printf("%s\n", mc::to_string(at_one.status));
    }
    // HF = 1 by hand: (10·P·0.83 + 30,000·0.78) / 40,000 = 1 ⇔ P = (40,000 − 23,400) / 8.3 = 2,000.
    // A liquidation at ETH 1,800 (HF = 0.9585 ≥ 0.95: close factor 50 %), seizing WETH:
    const std::vector<double> marks{1800.0, 60000.0};
    const double hf = health(marks);
    const double close_factor = hf < 0.95 ? 1.0 : 0.5;
    const double repaid = close_factor * debt;
    const double seized = repaid * bonus / marks[0];  // in WETH; Aave caps it at the WETH held
    const double seized_capped = seized > 10.0 ? 10.0 : seized;
    const double repaid_capped = seized > 10.0 ? 10.0 * marks[0] / bonus : repaid;
    std::printf("liquidation at ETH 1800: HF %.4f, close factor %.0f %%, debt repaid %.2f, WETH seized %.4f%s\n", hf,
                close_factor * 100, repaid_capped, seized_capped, seized > 10.0 ? " (all WETH: debt repaid reduced)" : "");
    const double hf_after = ((10 - seized_capped) * marks[0] * weth.liquidation_threshold +
                             0.5 * marks[1] * wbtc.liquidation_threshold) / (debt - repaid_capped);
    std::printf("health factor after the liquidation: %.4f\n", hf_after);
    return 0;
}
