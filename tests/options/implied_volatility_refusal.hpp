// Shared by the implied-volatility tests that invert the library's own prices: the one refusal
// such a price may meet is a time value below the price's own resolution (one ulp), and its
// message must say so (issue #15), never "outside the no-arbitrage bounds".
#pragma once

#include <margincall/core/error.hpp>

#include <string>

#include "catch.hpp"

/// True (and INFO-logged) when `e` is the refusal of a time value below the price's resolution.
inline bool is_resolution_refusal(const margincall::invalid_argument& e) {
    const std::string what = e.what();
    INFO(what);
    const bool resolution = what.find("below the price's own resolution") != std::string::npos;
    CHECK(resolution);
    return resolution;
}
