// Tests of include/margincall/cascade/price_impact.hpp: the concept's truth table.
#include <margincall/cascade/depth_profile_impact.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/cascade/square_root_impact.hpp>

#include "catch.hpp"

using namespace margincall;

static_assert(price_impact<linear_impact<double>, double>);
static_assert(price_impact<square_root_impact<double>, double>);
static_assert(price_impact<depth_profile_impact<double>, double>);
static_assert(price_impact<linear_impact<long double>, long double>);
static_assert(!price_impact<linear_impact<double>, int>);

namespace {
// A host's own model: a constant spread, no permanent impact.
struct host_impact {
    double price(double s, double) const { return s; }
    double average_price(double s, double, double) const { return s * 0.999; }
    double recover(double) const { return 0.0; }
};
struct no_recovery {
    double price(double s, double) const { return s; }
    double average_price(double s, double, double) const { return s; }
};
struct no_average {
    double price(double s, double) const { return s; }
    double recover(double q) const { return q; }
};
}  // namespace
static_assert(price_impact<host_impact, double>);
static_assert(!price_impact<no_recovery, double>);
static_assert(!has_recovery<no_recovery, double>);
static_assert(!price_impact<no_average, double>);
static_assert(!has_average_price<no_average, double>);
static_assert(has_impact_price<no_average, double>);

TEST_CASE("a host's own impact model satisfies the concept", "[cascade][impact]") {
    const host_impact h;
    CHECK(h.average_price(100.0, 0.0, -5.0) == 99.9);
}
