// Tests of include/margincall/options/option_type.hpp.
#include <margincall/options/option_type.hpp>

#include "catch.hpp"

TEST_CASE("option_type signs: +1 call, -1 put", "[options]") {
    STATIC_REQUIRE(margincall::sign(margincall::option_type::call) == 1);
    STATIC_REQUIRE(margincall::sign(margincall::option_type::put) == -1);
}
