// McMillan's published SPAN P/L rows (gains positive), scenarios 1..16, shared by the SPAN tests:
// L. G. McMillan, "Options as a Strategic Investment", ch. 34 "Futures and Futures Options",
// pp. 668-671: one S&P 500 future, a long Dec 410 call, and the covered write (long the future,
// short the call).
#pragma once

#include <array>

namespace margincall::test {
inline constexpr std::array<double, 16> mcmillan_futures{0, 0, 3330, 3330, -3330, -3330, 6670, 6670, -6670, -6670,
                                                         10000, 10000, -10000, -10000, 7000, -7000};
inline constexpr std::array<double, 16> mcmillan_long_call{460, -610, 2640, 1730, -1270, -2340, 5210, 4540, -2540, -3430,
                                                           8060, 7640, -3380, -3990, 3130, -1500};
inline constexpr std::array<double, 16> mcmillan_covered_write{-460, 610, 690, 1600, -2060, -990, 1460, 2130, -4130, -3240,
                                                               1940, 2360, -6620, -6010, 3870, -5500};
}  // namespace margincall::test
