// Bit identity of results, as the parallel and MPI tests assert it (not merely ==: -0.0 and 0.0
// differ, and a NaN would never compare equal).
#pragma once
#include <margincall/risk/tail_estimator.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace test_support {

inline bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }
inline bool same_bits(const margincall::tail_risk<double>& a, const margincall::tail_risk<double>& b) {
    return same_bits(a.value_at_risk, b.value_at_risk) && same_bits(a.expected_shortfall, b.expected_shortfall);
}
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_bits(a[i], b[i])) return false;
    return true;
}

}  // namespace test_support
