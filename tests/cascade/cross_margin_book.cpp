// Tests of include/margincall/cascade/cross_margin_book.hpp: the distance key by hand, the
// bound it rests on (no account with key ≥ max |μ| over its assets is ever liquidatable, on
// random accounts and random moves, checked by direct re-evaluation of equity − MM), the
// grouping and order independence, and every validation message.
#include <margincall/cascade/cross_margin_book.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

struct legs_soa {
    std::vector<std::uint32_t> account, asset;
    std::vector<double> q, e, m;
    void add(std::uint32_t a, std::uint32_t k, double quantity, double entry, double rate) {
        account.push_back(a);
        asset.push_back(k);
        q.push_back(quantity);
        e.push_back(entry);
        m.push_back(rate);
    }
    [[nodiscard]] cross_legs<double> view() const { return {account, asset, q, e, m}; }
};

// equity − MM written out independently of the class; `legs_of[a]` lists account a's legs.
double surplus_by_hand(double wallet, const legs_soa& l, const std::vector<std::size_t>& legs_of_a,
                       const std::vector<double>& p) {
    double s = wallet;
    for (const auto j : legs_of_a) s += l.q[j] * (p[l.asset[j]] - l.e[j]) - l.m[j] * std::abs(l.q[j]) * p[l.asset[j]];
    return s;
}

}  // namespace

TEST_CASE("cross book: the distance key by hand", "[cascade][cross]") {
    // Reference marks P⁰ = (100, 50). Account 0: wallet 100, long 10 A at 100 (m 1 %), short 4 B
    // at 60 (m 2 %). S = 100 + 10·0 − 4·(50 − 60) − 0.01·10·100 − 0.02·4·50 = 100 + 40 − 10 − 4 = 126;
    // Σw = 10·100·1.01 + 4·50·1.02 = 1,010 + 204 = 1,214; key = 126/1,214 − 10⁻⁹.
    // Account 1: wallet 5, long 1 B at 50 (m 0): S = 5, Σw = 50, key = 0.1 − 10⁻⁹.
    const std::vector<double> p0{100.0, 50.0}, wallet{100.0, 5.0};
    legs_soa l;
    l.add(0, 1, -4.0, 60.0, 0.02);
    l.add(1, 1, 1.0, 50.0, 0.0);
    l.add(0, 0, 10.0, 100.0, 0.01);
    const cross_margin_book<double> b(p0, wallet, l.view());
    REQUIRE(b.size() == 2);
    REQUIRE(b.assets() == 2);
    // Groups by mask: {B} = 0b10 before {A, B} = 0b11.
    const auto g = b.groups();
    REQUIRE(g.size() == 2);
    CHECK(g[0].mask == 2U);
    CHECK(g[1].mask == 3U);
    CHECK(b.original_index(0) == 1);
    CHECK(b.original_index(1) == 0);
    CHECK_THAT(b.key(0), WithinAbs(0.1 - 1e-9, 1e-15));
    CHECK_THAT(b.key(1), WithinAbs(126.0 / 1214.0 - 1e-9, 1e-15));
    CHECK(b.wallet_cents(1) == 10000);
    CHECK(b.total_wallet_cents() == 10500);
    // Legs stored by asset.
    CHECK(b.leg_asset(b.leg_begin(1)) == 0);
    CHECK(b.leg_quantity(b.leg_begin(1) + 1) == -4.0);
    CHECK(b.long_quantity(0) == 10.0);
    CHECK(b.long_quantity(1) == 1.0);
    CHECK(b.short_quantity(1) == 4.0);
    // surplus at P⁰ is S.
    CHECK_THAT(b.surplus(1, p0), WithinAbs(126.0, 1e-12));
    // Account 1 at B = 45: equity 5 − 5 = 0, MM 0: surplus 0 (not < 0), |μ_B| = 0.1 = key + 10⁻⁹.
    const std::vector<double> p{100.0, 45.0};
    CHECK_THAT(b.surplus(0, p), WithinAbs(0.0, 1e-12));
}

TEST_CASE("cross book: no account is liquidatable before max |mu| over its assets passes its key", "[cascade][cross]") {
    // The bound of docs/cascades.md §11, checked against a direct re-evaluation on random books
    // and random price vectors (moves up to ±60 % per asset, some assets unmoved).
    std::mt19937_64 gen(31);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t k_assets = 4;
    const std::vector<double> p0{30'000.0, 2'000.0, 100.0, 1.0};
    legs_soa l;
    std::vector<double> wallet;
    const std::uint32_t n = 3000;
    for (std::uint32_t a = 0; a < n; ++a) {
        double notional = 0;
        const int legs = 1 + static_cast<int>(u(gen) * 3.0);
        for (int r = 0; r < legs; ++r) {
            const auto k = static_cast<std::uint32_t>(u(gen) * static_cast<double>(k_assets));
            const double side = u(gen) < 0.7 ? 1.0 : -1.0;
            const double size = side * (0.1 + u(gen)) * 10'000.0 / p0[k];
            const double entry = p0[k] * (0.8 + 0.4 * u(gen));  // draws in sequence: same book under every compiler
            const double rate = 0.004 + 0.02 * u(gen);
            l.add(a, k, size, entry, rate);
            notional += std::abs(size) * p0[k];
        }
        wallet.push_back(std::round(notional / (1.0 + 50.0 * u(gen)) * 100.0) / 100.0);
    }
    const cross_margin_book<double> b(p0, wallet, l.view());
    std::vector<std::vector<std::size_t>> legs_of(n);
    for (std::size_t j = 0; j < l.account.size(); ++j) legs_of[l.account[j]].push_back(j);
    std::size_t liquidatable = 0, inside = 0, surplus_mismatch = 0, missed = 0;
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<double> p(k_assets), mu(k_assets);
        for (std::size_t k = 0; k < k_assets; ++k) {
            const double move = u(gen) < 0.3 ? 0.0 : (u(gen) - 0.5) * 1.2;
            p[k] = p0[k] * (1.0 + move);
            mu[k] = std::abs(move);
        }
        for (const auto& g : b.groups()) {
            double reach = 0;
            for (std::size_t k = 0; k < k_assets; ++k)
                if ((g.mask >> k) & 1U) reach = std::max(reach, mu[k]);
            for (std::size_t s = g.begin; s < g.end; ++s) {
                const auto a = static_cast<std::uint32_t>(b.original_index(s));
                const double direct = surplus_by_hand(wallet[a], l, legs_of[a], p);
                if (!(std::abs(b.surplus(s, p) - direct) <= 1e-9 * (1.0 + std::abs(direct)))) ++surplus_mismatch;
                if (direct < 0) {
                    ++liquidatable;
                    if (!(b.key(s) <= reach)) ++missed;  // the index would not have it as a candidate
                }
                if (b.key(s) <= reach) ++inside;
            }
        }
        (void)trial;
    }
    CHECK(surplus_mismatch == 0);
    CHECK(missed == 0);
    CHECK(liquidatable > 1000);          // the property is exercised
    CHECK(inside < 300U * n);            // and the index excludes something
}

TEST_CASE("cross book: keys sorted within groups, a shuffled input is stored identically", "[cascade][cross]") {
    std::mt19937_64 gen(37);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::vector<double> p0{100.0, 10.0, 1.0};
    legs_soa l;
    std::vector<double> wallet;
    for (std::uint32_t a = 0; a < 500; ++a) {
        const int legs = 1 + static_cast<int>(u(gen) * 3.0);
        for (int r = 0; r < legs; ++r) {
            const auto k = static_cast<std::uint32_t>(u(gen) * 3.0);
            l.add(a, k, std::round(1 + 3 * u(gen)), p0[k], 0.01);  // many ties
        }
        wallet.push_back(std::round(10.0 * u(gen)) + 1.0);
    }
    const cross_margin_book<double> b(p0, wallet, l.view());
    for (const auto& g : b.groups())
        for (std::size_t s = g.begin + 1; s < g.end; ++s) CHECK(b.key(s - 1) <= b.key(s));
    // Shuffle accounts and legs.
    std::vector<std::uint32_t> perm(wallet.size());
    std::iota(perm.begin(), perm.end(), 0U);
    std::shuffle(perm.begin(), perm.end(), gen);  // new id of old account a: perm[a]
    std::vector<double> wallet2(wallet.size());
    for (std::size_t a = 0; a < wallet.size(); ++a) wallet2[perm[a]] = wallet[a];
    std::vector<std::size_t> leg_order(l.account.size());
    std::iota(leg_order.begin(), leg_order.end(), std::size_t{0});
    std::shuffle(leg_order.begin(), leg_order.end(), gen);
    legs_soa l2;
    for (const auto j : leg_order) l2.add(perm[l.account[j]], l.asset[j], l.q[j], l.e[j], l.m[j]);
    const cross_margin_book<double> b2(p0, wallet2, l2.view());
    REQUIRE(b2.size() == b.size());
    for (std::size_t s = 0; s < b.size(); ++s) {
        CHECK(b2.key(s) == b.key(s));
        CHECK(b2.wallet_cents(s) == b.wallet_cents(s));
        REQUIRE(b2.leg_end(s) - b2.leg_begin(s) == b.leg_end(s) - b.leg_begin(s));
        for (std::size_t r = 0; r < b.leg_end(s) - b.leg_begin(s); ++r) {
            CHECK(b2.leg_asset(b2.leg_begin(s) + r) == b.leg_asset(b.leg_begin(s) + r));
            CHECK(b2.leg_quantity(b2.leg_begin(s) + r) == b.leg_quantity(b.leg_begin(s) + r));
        }
    }
}

TEST_CASE("cross book: bad input", "[cascade][cross][errors]") {
    const std::vector<double> p0{100.0, 50.0}, wallet{10.0, 20.0};
    legs_soa ok;
    ok.add(0, 0, 1.0, 100.0, 0.01);
    ok.add(1, 1, -1.0, 50.0, 0.01);
    using book = cross_margin_book<double>;
    {
        legs_soa l = ok;
        l.q[1] = std::nan("");
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.quantity[1] is nan, but must be finite and != 0"));
    }
    {
        legs_soa l = ok;
        l.q[0] = 0.0;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.quantity[0] is 0, but must be finite and != 0"));
    }
    {
        legs_soa l = ok;
        l.asset[1] = 2;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.asset[1] is 2, but must be < 2 (the number of assets)"));
    }
    {
        legs_soa l = ok;
        l.account[0] = 5;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.account[0] is 5, but must be < 2 (the number of accounts)"));
    }
    {
        legs_soa l = ok;
        l.e[0] = 0.0;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.entry_price[0] is 0, but must be finite and > 0"));
    }
    {
        legs_soa l = ok;
        l.m[1] = 1.0;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: legs.maintenance_rate[1] is 1, but must be in [0, 1)"));
    }
    {
        legs_soa l = ok;
        l.account[1] = 0;
        REQUIRE_THROWS_MATCHES(book(p0, wallet, l.view()), invalid_argument,
                               Message("cross_margin_book: the number of legs of account 1 is 0, but must be >= 1"));
    }
    {
        legs_soa l = ok;
        l.m.pop_back();
        REQUIRE_THROWS_MATCHES(
            book(p0, wallet, l.view()), invalid_argument,
            Message("cross_margin_book: the size of legs.maintenance_rate is 1, but must be the size of legs.account (2)"));
    }
    const std::vector<double> neg_wallet{10.0, -1.0};
    REQUIRE_THROWS_MATCHES(book(p0, neg_wallet, ok.view()), invalid_argument,
                           Message("cross_margin_book: wallet[1] is -1, but must be finite and >= 0"));
    const std::vector<double> bad_p0{100.0, -50.0};
    REQUIRE_THROWS_MATCHES(book(bad_p0, wallet, ok.view()), invalid_argument,
                           Message("cross_margin_book: reference_price[1] is -50, but must be finite and > 0"));
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(book(empty, wallet, ok.view()), invalid_argument,
                           Message("cross_margin_book: the size of reference_price is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(book(p0, empty, ok.view()), invalid_argument,
                           Message("cross_margin_book: the size of wallet is 0, but must be > 0"));
    const std::vector<double> many(65, 1.0);
    REQUIRE_THROWS_MATCHES(book(many, wallet, ok.view()), invalid_argument,
                           Message("cross_margin_book: the size of reference_price is 65, but must be <= 64"));
    const std::vector<double> huge{1e17, 1.0};
    REQUIRE_THROWS_MATCHES(book(p0, huge, ok.view()), invalid_argument,
                           Message("cross_margin_book: the total wallet plus notional at entry is 1e+17, but must be "
                                   "finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
}

TEST_CASE("cross book with tiers: surplus and key derived by hand, the bound on random moves", "[cascade][tiers]") {
    // Binance BTCUSDT brackets 1–3 (tests/reference/binance_btcusdt_brackets.csv) for asset 0,
    // ETHUSDT 2021 brackets 1–3 for asset 1.
    const tier_schedule<double> btc({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0},
                                     {250000, 3000000, 50, 0.01, 1300.0}});
    const tier_schedule<double> eth({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0},
                                     {100000, 500000, 50, 0.01, 365.0}});
    // Account 0: wallet 10,000; long 3 BTC @ 20,000, short 40 ETH @ 1,500.
    const std::vector<std::uint32_t> account{0, 0};
    const std::vector<std::uint32_t> asset{0, 1};
    const std::vector<double> q{3.0, -40.0}, e{20000.0, 1500.0}, wallet{10000.0}, reference{20000.0, 1500.0};
    const cross_margin_book<double> b(reference, wallet, cross_legs<double>{account, asset, q, e, {}}, {btc, eth});
    // At the reference: PnL 0; MM: BTC 60,000 → tier 2: 300 − 50 = 250; ETH 60,000 → tier 2:
    // 390 − 15 = 375. S = 10,000 − 625 = 9,375. Weights with the top rates (1 %, 1 %):
    // 60,000·1.01 + 60,000·1.01 = 121,200. key = 9,375 / 121,200 − 10⁻⁹.
    CHECK_THAT(b.surplus(0, reference), WithinAbs(9375.0, 1e-9));
    CHECK_THAT(b.key(0), WithinRel(9375.0 / 121200.0 - 1e-9, 1e-12));
    // At BTC 18,000, ETH 1,700: PnL −6,000 − 8,000 = −14,000; MM: BTC 54,000 → 270 − 50 = 220,
    // ETH 68,000 → 442 − 15 = 427. S = 10,000 − 14,000 − 647 = −4,647.
    const std::vector<double> moved{18000.0, 1700.0};
    CHECK_THAT(b.surplus(0, moved), WithinAbs(-4647.0, 1e-9));
    CHECK(b.schedules().size() == 2);
    // The bound: an account is never liquidatable while max |μ| ≤ key, on random moves.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int t = 0; t < 2000; ++t) {
        const double scale = b.key(0) * (1.0 + 1e-6);
        const double mu0 = u(rng) * scale, mu1 = u(rng) * scale;
        const std::vector<double> p{20000.0 * (1 + mu0), 1500.0 * (1 + mu1)};
        if (std::max(std::abs(mu0), std::abs(mu1)) <= b.key(0)) CHECK(b.surplus(0, p) >= 0);
    }
    // Errors: a schedule per asset, and no flat rates beside them.
    const std::vector<double> rates{0.01, 0.01};
    CHECK_THROWS_MATCHES((cross_margin_book<double>(reference, wallet, cross_legs<double>{account, asset, q, e, {}}, {btc})),
                         invalid_argument,
                         Message("cross_margin_book: the number of schedules is 1, but must be 2, the number of assets"));
    CHECK_THROWS_MATCHES(
        (cross_margin_book<double>(reference, wallet, cross_legs<double>{account, asset, q, e, rates}, {btc, eth})),
        invalid_argument,
        Message("cross_margin_book: the size of legs.maintenance_rate is 2, but must be 0 when the book is tiered (the "
                "schedules give every leg's MM)"));
}
