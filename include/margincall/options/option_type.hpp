#pragma once
/// \file
/// Call or put: the one switch every option formula takes.

namespace margincall {

/// The right an option gives: to buy (call) or to sell (put) at the strike.
enum class option_type : signed char { call = 1, put = -1 };

/// +1 for a call, −1 for a put: the ω of the unified formula V = ω·(F·N(ω·d1) − K·N(ω·d2))·D.
[[nodiscard]] constexpr int sign(option_type type) noexcept { return static_cast<int>(type); }

}  // namespace margincall
