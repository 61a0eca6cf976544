#pragma once
/// \file
/// Position side and its sign. Quantities are signed (+ long, − short) unless a side is explicit.

namespace margincall {

/// Long or short. The underlying value is the sign of the position's quantity.
enum class side : signed char { long_side = 1, short_side = -1 };

/// +1 for long, −1 for short.
[[nodiscard]] constexpr int sign(side s) noexcept { return static_cast<int>(s); }

/// The side of a signed quantity; zero counts as long (a flat position has no side).
template <class Real>
[[nodiscard]] constexpr side side_of(const Real& quantity) noexcept {
    return quantity < 0 ? side::short_side : side::long_side;
}

/// The other side.
[[nodiscard]] constexpr side opposite(side s) noexcept {
    return s == side::long_side ? side::short_side : side::long_side;
}

}  // namespace margincall
