// Truth table of the real_scalar concept (include/margincall/core/real_scalar.hpp).
#include <margincall/core/real_scalar.hpp>
#include <margincall/core/side.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>

#include <complex>

#include "catch.hpp"

static_assert(margincall::real_scalar<float>);
static_assert(margincall::real_scalar<double>);
static_assert(margincall::real_scalar<long double>);
static_assert(margincall::real_scalar<boost::multiprecision::cpp_bin_float_50>);
static_assert(margincall::real_scalar<boost::multiprecision::cpp_dec_float_50>);
static_assert(!margincall::real_scalar<int>);
static_assert(!margincall::real_scalar<long long>);
static_assert(!margincall::real_scalar<bool>);
static_assert(!margincall::real_scalar<std::complex<double>>);
static_assert(!margincall::real_scalar<const char*>);

TEST_CASE("side signs", "[core]") {
    CHECK(margincall::sign(margincall::side::long_side) == 1);
    CHECK(margincall::sign(margincall::side::short_side) == -1);
    CHECK(margincall::side_of(-3.0) == margincall::side::short_side);
    CHECK(margincall::side_of(0.0) == margincall::side::long_side);
    CHECK(margincall::opposite(margincall::side::long_side) == margincall::side::short_side);
}
