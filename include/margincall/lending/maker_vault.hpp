#pragma once
/// \file
/// A Maker-style vault with liquidation by Dutch auction (Liquidations 2.0). Sources:
/// makerdao/dss (commit fa4f663), src/dog.sol (bark), src/clip.sol (kick, take, status) and
/// src/abaci.sol (LinearDecrease, StairstepExponentialDecrease, ExponentialDecrease). On the
/// lending_market a vault type's liquidation ratio `mat` is LT = 1/mat and its penalty `chop`
/// is 1 + `liquidation_bonus`; a vault is a lending_account with one collateral and one debt
/// (the debt in Dai, already multiplied by the rate: art·rate):
///
///   unsafe iff ink·spot < art·rate, spot = price/mat               (Dog.bark: HF < 1)
///   bark: dart = min(art, room/(rate·chop)) (Dog.hole/Hole room), the whole vault when the rest
///     would be dusty (< dust); dink = ink·dart/art; due = dart·rate; tab = due·chop
///   kick: top = price·buf
///   auction price at age t: linear top·(1 − t/τ) (0 from τ on); stairstep exponential
///     top·cut^⌊t/step⌋; exponential top·cut^t
///   done (needs a reset) when t > tail or price/top < cusp
///   take(amt, max): slice = min(lot, amt), owe = slice·price; if owe > tab: owe = tab,
///     slice = owe/price; else if a partial take would leave 0 < tab − owe < chost: owe = tab − chost
///     (refused when tab ≤ chost); the lot left goes back to the vault once tab is paid
///
/// dss works in WAD/RAY/RAD fixed point with rounding down; this restates it in Real.
/// \test tests/lending/protocols.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

namespace margincall {

/// LinearDecrease: top·(τ − t)/τ, 0 from τ on.
template <real_scalar Real = double>
class linear_decrease {
public:
    /// \throws margincall::invalid_argument for τ not finite and > 0
    explicit linear_decrease(Real tau) : tau_{tau} { check_positive("linear_decrease", "tau", tau); }
    [[nodiscard]] Real price(Real top, Real age) const noexcept { return age >= tau_ ? Real(0) : top * (tau_ - age) / tau_; }

private:
    Real tau_;
};

/// StairstepExponentialDecrease: top·cut^⌊t/step⌋.
template <real_scalar Real = double>
class stairstep_exponential_decrease {
public:
    /// \throws margincall::invalid_argument for step not > 0 or cut outside (0, 1]
    stairstep_exponential_decrease(Real step, Real cut) : step_{step}, cut_{cut} {
        check_positive("stairstep_exponential_decrease", "step", step);
        if (!(cut > 0 && cut <= 1)) throw_invalid_argument("stairstep_exponential_decrease", "cut", cut, "in (0, 1]");
    }
    [[nodiscard]] Real price(Real top, Real age) const {
        using std::floor;
        using std::pow;
        return top * pow(cut_, floor(age / step_));
    }

private:
    Real step_;
    Real cut_;
};

/// ExponentialDecrease: top·cut^t.
template <real_scalar Real = double>
class exponential_decrease {
public:
    /// \throws margincall::invalid_argument for cut outside (0, 1]
    explicit exponential_decrease(Real cut) : cut_{cut} {
        if (!(cut > 0 && cut <= 1)) throw_invalid_argument("exponential_decrease", "cut", cut, "in (0, 1]");
    }
    [[nodiscard]] Real price(Real top, Real age) const {
        using std::pow;
        return top * pow(cut_, age);
    }

private:
    Real cut_;
};

/// A vault type's liquidation settings beyond the market's LT (= 1/mat) and bonus (= chop − 1).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct maker_ilk {
    Real dust{0};                                        ///< minimum vault debt (Dai)
    Real room{std::numeric_limits<Real>::infinity()};    ///< min(Hole − Dirt, hole − dirt): Dai the auctions may still raise
};

/// What bark does to a vault: the collateral sent to auction, the debt taken off, the auction's target.
template <real_scalar Real = double>
struct maker_bark {
    Real lot{};        ///< dink: collateral units sent to the auction
    Real debt{};       ///< due = dart·rate: Dai of debt taken off the vault (to the vow)
    Real tab{};        ///< due·chop: Dai the auction must raise
};

/// Dog.bark on a vault: the market's asset `collateral` backs Dai debt in asset `dai`.
/// Returns an empty bark (all zeros) for a safe vault.
/// \throws margincall::invalid_argument as lending_market::totals, and when the room is used up
///   ("Dog/liquidation-limit-hit") or a partial liquidation would leave a dusty auction
template <real_scalar Real>
[[nodiscard]] maker_bark<Real> maker_bark_vault(const lending_market<Real>& market, const lending_account<Real>& vault,
                                                std::span<const Real> prices, std::size_t collateral, std::size_t dai,
                                                const maker_ilk<Real>& ilk = {}) {
    const char* where = "maker_bark_vault";
    if (collateral >= market.size() || dai >= market.size() || collateral == dai)
        throw_invalid_argument(where, "the collateral and dai asset ids", collateral, "two distinct assets of the market");
    check_non_negative(where, "ilk.dust", ilk.dust);
    if (!(ilk.room >= 0)) throw_invalid_argument(where, "ilk.room", ilk.room, ">= 0");
    const auto t = market.totals(vault, prices);
    if (!(t.health_factor() < Real(1))) return {};
    if (!(ilk.room > 0)) throw_invalid_argument(where, "ilk.room", ilk.room, "> 0 (Dog/liquidation-limit-hit)");
    const Real chop = Real(1) + market.liquidation_bonus(vault.emode, collateral);
    const Real art = vault.debt[dai];
    if (!(art > 0)) return {};  // no Dai debt to auction (dink = ink·dart/art would be 0/0)
    Real dart = std::min(art, ilk.room / chop);
    if (art > dart) {
        if (art - dart < ilk.dust) dart = art;
        else if (dart < ilk.dust)
            throw_invalid_argument(where, "the partial auction's debt", dart,
                                   detail::message(">= ilk.dust ", ilk.dust, " (Dog/dusty-auction-from-partial-liquidation)").c_str());
    }
    const Real dink = vault.collateral[collateral] * dart / art;
    return {.lot = dink, .debt = dart, .tab = dart * chop};
}

/// One Clipper auction: a lot of collateral sold for a tab of Dai along a decreasing price.
/// \tparam Decay a price curve with `Real price(Real top, Real age) const`
/// \tparam Real a real_scalar
template <class Decay, real_scalar Real = double>
class clipper_auction {
public:
    struct take_result {
        Real slice{};  ///< collateral bought
        Real owe{};    ///< Dai paid
    };

    /// kick: top = feed_price·buf.
    /// \param chost dust·chop: the smallest tab a partial take may leave
    /// \param tail the age after which the auction needs a reset; \param cusp the price/top ratio below which it does
    /// \throws margincall::invalid_argument for a tab or lot ≤ 0, a feed price ≤ 0, buf ≤ 0 ... (named)
    clipper_auction(Decay decay, Real tab, Real lot, Real feed_price, Real buf, Real chost, Real tail, Real cusp)
        : decay_{decay}, tab_{tab}, lot_{lot}, top_{feed_price * buf}, chost_{chost}, tail_{tail}, cusp_{cusp} {
        const char* where = "clipper_auction";
        check_positive(where, "tab", tab);
        check_positive(where, "lot", lot);
        check_positive(where, "feed_price", feed_price);
        check_positive(where, "buf", buf);
        check_non_negative(where, "chost", chost);
        check_positive(where, "tail", tail);
        check_in_closed(where, "cusp", cusp, Real(0), Real(1));
    }

    [[nodiscard]] Real tab() const noexcept { return tab_; }
    [[nodiscard]] Real lot() const noexcept { return lot_; }
    [[nodiscard]] Real top() const noexcept { return top_; }
    [[nodiscard]] bool finished() const noexcept { return !(tab_ > 0) || !(lot_ > 0); }
    /// The auction price at age t (seconds since kick).
    [[nodiscard]] Real price(Real age) const { return decay_.price(top_, age); }
    /// status(): needs a reset when age > tail or price/top < cusp.
    [[nodiscard]] bool needs_reset(Real age) const { return age > tail_ || price(age) / top_ < cusp_; }

    /// take(amt, max) at age `age`.
    /// \throws margincall::invalid_argument when the auction is finished or needs a reset, the
    ///   price is above `max`, or a partial take is refused because tab ≤ chost
    take_result take(Real age, Real amt, Real max) {
        const char* where = "clipper_auction::take";
        if (finished()) throw_invalid_argument(where, "the auction's lot", lot_, "> 0 with tab > 0 (Clipper/not-running-auction)");
        check_non_negative(where, "age", age);
        check_positive(where, "amt", amt);
        if (needs_reset(age)) throw_invalid_argument(where, "age", age, "within tail and cusp (Clipper/needs-reset)");
        const Real p = price(age);
        if (!(max >= p)) throw_invalid_argument(where, "max", max, detail::message(">= the price ", p, " (Clipper/too-expensive)").c_str());
        Real slice = std::min(lot_, amt);
        Real owe = slice * p;
        if (owe > tab_) {
            owe = tab_;
            slice = owe / p;
        } else if (owe < tab_ && slice < lot_ && tab_ - owe < chost_) {
            if (!(tab_ > chost_))
                throw_invalid_argument(where, "amt", amt, "the whole lot when tab <= chost (Clipper/no-partial-purchase)");
            owe = tab_ - chost_;
            slice = owe / p;
        }
        tab_ -= owe;
        lot_ -= slice;
        return {slice, owe};
    }

private:
    Decay decay_;
    Real tab_;
    Real lot_;
    Real top_;
    Real chost_;
    Real tail_;
    Real cusp_;
};

}  // namespace margincall
