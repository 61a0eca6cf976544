#pragma once
/// \file
/// The loss waterfall of a venue and its ledger in integer cents.
///
/// Liquidation fees flow into the insurance fund (a keeper's reward share is paid out of the
/// fee). A close beyond the bankruptcy price leaves a deficit; the fund pays it while it can.
/// What the fund cannot pay is, by the venue's rule,
///  - auto-deleveraged: profitable opposite positions, ranked (auto_deleveraging.hpp), take over
///    the uncovered quantity at the bankruptcy price (BitMEX, Binance, Bybit);
///  - socialised: charged to the opposite side's unrealised profits pro rata (BitMEX before
///    2016, OKX "clawback");
///  - left as bad debt of the venue.
/// Sources: Binance liquidation / insurance fund / ADL rules (the ADL FAQ,
/// https://www.binance.com/en/support/faq/360033525471); BitMEX liquidation and ADL pages
/// (https://www.bitmex.com/app/liquidation, https://www.bitmex.com/app/autoDeleveraging);
/// Bybit help center, "Liquidation Price (USDT Contract)": a close worse than bankruptcy is
/// covered by the insurance fund, and by ADL once it is exhausted. docs/cascades.md §5.
///
/// Ledger: every transfer is one std::int64_t number of cents booked to two buckets, so
///   Σ collateral + fund + keeper rewards + market − bad debt = initial collateral + initial fund
/// holds exactly; `market` is the outside world, the counterparty at entry of every position,
/// that pays and receives realised PnL.
/// \test tests/cascade/loss_waterfall.cpp

#include <margincall/cascade/auto_deleveraging.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/money.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstdint>
#include <limits>

namespace margincall {

/// What covers a deficit the insurance fund cannot pay.
enum class residual_loss : unsigned char {
    auto_deleveraging,  ///< ranked opposite positions take over the rest at the bankruptcy price
    socialised,         ///< charged pro rata to the opposite side's unrealised profit
    bad_debt            ///< left uncovered: the venue's bad debt
};

/// What caps the liquidation fee of a close (rules C1 and C5 of docs/cascades.md §12): the
/// account's cash after the closed part's PnL, or its equity (that cash plus the unrealised PnL,
/// at the mark after the batch, of the part left open). They differ only for a partial close.
enum class fee_cap : unsigned char {
    cash,   ///< the isolated collateral the venue can debit (Bybit: the margin remaining); default
    equity  ///< never more than the equity left, so the fee alone cannot make it negative
};

/// A venue's fee and waterfall rules.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct loss_waterfall {
    Real insurance_fund{0};                                 ///< at the start, finite and ≥ 0
    Real liquidation_fee_rate{0};                           ///< of the liquidated notional, in [0, 1)
    residual_loss residual{residual_loss::auto_deleveraging};
    adl_ranking ranking{adl_ranking::bitmex};
    fee_cap fee_limit{fee_cap::cash};                       ///< rule C5: what a partial close's fee is capped by

    /// \throws margincall::invalid_argument for a fund that is negative, NaN or beyond
    ///         max_book_amount (4.6e16, core/money.hpp: the ledger's sums stay in int64 cents),
    ///         or a fee rate outside [0, 1)
    void validate(const char* where) const {
        check_book_amount(where, "insurance_fund", insurance_fund);
        if (!(liquidation_fee_rate >= 0 && liquidation_fee_rate < 1))
            throw_invalid_argument(where, "liquidation_fee_rate", liquidation_fee_rate, "in [0, 1)");
    }
};

/// Where every cent of a venue went during a run.
struct cascade_ledger {
    std::int64_t initial_collateral{0};  ///< Σ collateral at the start
    std::int64_t initial_fund{0};
    std::int64_t collateral{0};          ///< Σ collateral now (cash; open positions' PnL unrealised)
    std::int64_t fund{0};                ///< the insurance fund now
    std::int64_t keeper_rewards{0};      ///< paid to executors out of fees
    std::int64_t market{0};              ///< net cash paid to the outside world (− realised PnL of the book)
    std::int64_t bad_debt{0};            ///< deficits nobody covered (owed by the venue)
    std::int64_t fees{0};                ///< all liquidation fees charged
    std::int64_t fund_payouts{0};        ///< deficits the fund paid
    std::int64_t adl_covered{0};         ///< deficits covered by auto-deleveraging
    std::int64_t socialised{0};          ///< deficits charged to the opposite side's profits

    /// Σ collateral + fund + keeper rewards + market − bad debt − (initial collateral + fund): 0 in cents.
    /// Summed exactly in 128 bits (seven int64 terms need 66): an int64 sum could wrap and
    /// still come out 0 for a ledger that is off by 2^64 cents. Saturated to the int64 range.
    [[nodiscard]] constexpr std::int64_t imbalance() const noexcept {
        const wide w = wide_imbalance();
        constexpr wide lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
        return static_cast<std::int64_t>(w < lo ? lo : (w > hi ? hi : w));
    }
    [[nodiscard]] constexpr bool balanced() const noexcept { return wide_imbalance() == 0; }

private:
    __extension__ typedef __int128 wide;  // GCC and Clang (core/money.hpp relies on their builtins already)
    [[nodiscard]] constexpr wide wide_imbalance() const noexcept {
        return wide{collateral} + fund + keeper_rewards + market - bad_debt - initial_collateral - initial_fund;
    }
};

}  // namespace margincall
