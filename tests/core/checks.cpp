// Tests of include/margincall/core/checks.hpp and error.hpp: the one message shape.
#include <margincall/core/checks.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <limits>
#include <vector>

#include "catch.hpp"

using margincall::invalid_argument;

TEST_CASE("checks throw margincall::invalid_argument naming the argument and value", "[core][errors]") {
    REQUIRE_THROWS_MATCHES(margincall::check_positive("f", "price", -2.5), invalid_argument,
                           Message("f: price is -2.5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(margincall::check_positive("f", "price", 0.0), invalid_argument,
                           Message("f: price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(margincall::check_non_negative("g", "balance", -1.0), invalid_argument,
                           Message("g: balance is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(margincall::check_probability("var", "alpha", 1.0), invalid_argument,
                           Message("var: alpha is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(margincall::check_in_closed("h", "x", 3.0, 0.0, 2.0), invalid_argument,
                           Message("h: x is 3, but must be in [0, 2]"));
    REQUIRE_THROWS_MATCHES(margincall::check_finite("h", "x", std::numeric_limits<double>::infinity()),
                           invalid_argument, Message("h: x is inf, but must be finite"));
    const std::vector<double> xs{1.0, 2.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(margincall::check_all_finite<double>("es", "losses", xs), invalid_argument,
                           Message("es: losses[2] is nan, but must be finite"));
    const std::vector<double> none;
    REQUIRE_THROWS_MATCHES(margincall::check_not_empty<double>("es", "losses", none), invalid_argument,
                           Message("es: the size of losses is 0, but must be > 0"));
}

TEST_CASE("invalid_argument is a std::invalid_argument", "[core][errors]") {
    REQUIRE_THROWS_AS(margincall::check_positive("f", "x", -1.0), std::invalid_argument);
}

TEMPLATE_TEST_CASE("NaN fails every check", "[core][errors]", float, double, long double) {
    const auto nan = std::numeric_limits<TestType>::quiet_NaN();
    CHECK_THROWS_AS(margincall::check_positive("f", "x", nan), invalid_argument);
    CHECK_THROWS_AS(margincall::check_non_negative("f", "x", nan), invalid_argument);
    CHECK_THROWS_AS(margincall::check_probability("f", "x", nan), invalid_argument);
    CHECK_THROWS_AS(margincall::check_finite("f", "x", nan), invalid_argument);
    CHECK_THROWS_AS(margincall::check_in_closed("f", "x", nan, TestType(0), TestType(1)), invalid_argument);
    CHECK_NOTHROW(margincall::check_positive("f", "x", TestType(1)));
}

TEST_CASE("messages print reals at digits10 so 0.1 reads 0.1", "[core][errors]") {
    REQUIRE_THROWS_WITH(margincall::check_positive("f", "rate", -0.1), "f: rate is -0.1, but must be finite and > 0");
    REQUIRE_THROWS_WITH(margincall::check_positive("f", "floor", -250000.0),
                        "f: floor is -250000, but must be finite and > 0");
}

TEST_CASE("checks accept Boost.Multiprecision reals", "[core]") {
    using mp = boost::multiprecision::cpp_bin_float_50;
    CHECK_NOTHROW(margincall::check_positive("f", "x", mp(1)));
    CHECK_THROWS_WITH(margincall::check_positive("f", "x", mp(-1)), "f: x is -1, but must be finite and > 0");
}
