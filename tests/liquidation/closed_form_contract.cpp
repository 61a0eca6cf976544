// Tests of include/margincall/liquidation/closed_form_contract.hpp: the public concept's truth
// table, and a host contract admitted by specialising price_variable.
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>

#include "catch.hpp"

using namespace margincall;

namespace {
// A host's linear contract of its own (0.01 BTC per contract), not one of the library's.
struct host_linear {
    double lot{0.01};
};
struct not_a_contract {};
}  // namespace

template <>
struct margincall::price_variable<host_linear> {
    static constexpr bool inverted = false;
    static double size(const host_linear& c) noexcept { return c.lot; }
};

static_assert(closed_form_contract<linear_contract<double>>);
static_assert(closed_form_contract<quanto_contract<double>>);
static_assert(closed_form_contract<inverse_contract<double>>);
static_assert(closed_form_contract<linear_contract<float>>);
static_assert(closed_form_contract<host_linear>);
static_assert(!closed_form_contract<not_a_contract>);
static_assert(!closed_form_contract<double>);

TEST_CASE("a host contract with a price_variable specialisation takes the closed forms", "[liquidation]") {
    // 100 contracts of 0.01 = 1 unit, long @ 20,000, isolated 400, MMR 0.5 %, cum 0:
    // 400 + (P − 20,000) = 0.005 P ⇔ P = 19,600 / 0.995 (hand-derived).
    const double lp = bracket_liquidation_price(host_linear{}, position_leg<double>{100.0, 20000.0},
                                                account_balance<double>{400.0, 0.0, 0.0},
                                                bracket_margin<double>{0.005, 0.0});
    CHECK_THAT(lp, WithinRel(19600.0 / 0.995, 1e-14));
}
