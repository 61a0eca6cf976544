#pragma once
/// \file
/// Money in integer cents (hundredths of the quote currency) with checked arithmetic.
///
/// A ledger kept in std::int64_t cents adds up exactly, so a simulation can prove that money is
/// conserved to the cent (docs/cascades.md §5). Two things can still go wrong: a real amount that
/// has no cents value (NaN, ±∞, beyond ±2^63 cents ≈ ±9.2e16 currency units), and a sum or product
/// that leaves the int64 range. Both are reported, never wrapped silently:
///  - setup paths (building a book, opening a ledger) call the throwing functions `to_cents`,
///    `add_cents`, `subtract_cents`, `multiply_cents`: margincall::invalid_argument naming the value;
///  - hot paths (a step over a batch of accounts) use a `cents_guard`: its operations are noexcept
///    and branch-free, return the wrapped result and raise a sticky flag on overflow (as IEEE 754's
///    exception flags do), and the caller tests the flag once per step and reports it there.
///
/// Rounding rule: amount × 100 is formed in Real, then rounded half away from zero (std::round,
/// as std::llround does), the one rule of the cascade layer. The binary values decide: in double
/// 1.005 is 1.00499999…893, its product 100.49999999999998579, so 100 cents; 2.675 is
/// 2.67499999…822, but its product rounds to exactly 267.5, so 268 cents. docs/core.md, "Money",
/// works these examples.
///
/// Overflow detection: GCC/Clang's __builtin_add_overflow, __builtin_sub_overflow and
/// __builtin_mul_overflow (exact, one flag test after the instruction). Hand-written on purpose:
/// the standard has no checked integer arithmetic before C++26's <stdckdint.h>;
/// Boost.SafeNumerics wraps the type (safe<std::int64_t>) and reports each overflow at the
/// operation through its exception policy, which fits neither plain int64 ledgers nor a loop
/// that must not throw per element; Boost.Multiprecision's checked integers are wide or
/// arbitrary-precision types, not int64.
/// \test tests/core/money.cpp: rounding with hand-derived values, int64 limits, NaN and ∞ refused,
///       messages, the guard's sticky flag.

#include <margincall/core/error.hpp>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace margincall {

namespace detail {

/// 2^63 as Real: the first value beyond the int64 range (exact in every binary floating type).
template <std::floating_point Real>
inline constexpr Real two_to_63 = Real(9223372036854775808.0L);

/// `cents` (a real number of cents) rounded half away from zero, if it fits in an int64.
template <std::floating_point Real>
[[nodiscard]] inline bool round_cents(Real cents_amount, std::int64_t& cents) noexcept {
    const Real rounded = std::round(cents_amount);  // NaN and ±∞ fail both comparisons below
    if (!(rounded >= -two_to_63<Real> && rounded < two_to_63<Real>)) return false;
    cents = static_cast<std::int64_t>(rounded);
    return true;
}

/// amount × 100 rounded half away from zero, if it is a representable number of cents.
template <std::floating_point Real>
[[nodiscard]] inline bool cents_of(Real amount, std::int64_t& cents) noexcept {
    return round_cents(amount * Real(100), cents);
}

}  // namespace detail

/// Largest amount, in currency units, that to_cents accepts: (2^63 − 1) cents.
inline constexpr long double max_cents_amount = 92233720368547758.07L;

/// A real amount in integer cents, half away from zero.
/// \throws margincall::invalid_argument for NaN, ±∞ or an amount beyond the int64 range of cents
template <std::floating_point Real>
[[nodiscard]] std::int64_t to_cents(Real amount) {
    std::int64_t cents = 0;
    if (!detail::cents_of(amount, cents))
        throw_invalid_argument("to_cents", "amount", amount,
                               "finite and within +-92233720368547758.07 (int64 cents)");
    return cents;
}

/// The door bound of the cascade layer, in currency units: a book's collateral plus its
/// positions' notional at entry, Σ C + Σ |q|·E, and a venue's insurance fund must each be at
/// most 4.6e16 (4.6e18 cents, just below 2^62 cents ≈ 4.61e18).
///
/// Why this bounds the sums formed at the door: to_cents moves each C·100 by at most ½, so a
/// book's Σ of collateral cents is ≤ 4.6e18 + n/2 with n < 2^32 accounts, < 4.61e18 < 2^62;
/// a ledger's opening total, that plus the fund's ≤ 4.6e18 + ½ cents, is < 9.21e18 < 2^63 − 1
/// ≈ 9.2234e18, so no sum formed at the door can overflow. Amounts formed later from run-time
/// prices (PnL at a fill, fees, ledger totals) depend on how far the prices move, which no door
/// bound limits (a short's loss grows without bound in the price), so the settlement forms
/// every one of them through a cents_guard and reports the flag once per step.
inline constexpr long double max_book_amount = 4.6e16L;

/// Door check of an amount a book or a fund brings into cents: finite, ≥ 0 and at most
/// max_book_amount. \throws margincall::invalid_argument naming `argument` otherwise
template <std::floating_point Real>
void check_book_amount(const char* where, std::string_view argument, Real amount) {
    const auto wide = static_cast<long double>(amount);
    if (!(wide >= 0 && wide <= max_book_amount))
        throw_invalid_argument(where, argument, amount, "finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)");
}

/// Cents back to currency units (exact for |cents| ≤ 2^53 in double; rounded beyond).
template <std::floating_point Real>
[[nodiscard]] constexpr Real from_cents(std::int64_t cents) noexcept {
    return static_cast<Real>(cents) / Real(100);
}

/// a + b in cents. \throws margincall::invalid_argument if the sum leaves the int64 range
[[nodiscard]] inline std::int64_t add_cents(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        throw_invalid_argument("add_cents", detail::message(a, " + ", b), "beyond the int64 range",
                               "within [-9223372036854775808, 9223372036854775807] cents");
    return sum;
}

/// a − b in cents. \throws margincall::invalid_argument if the difference leaves the int64 range
[[nodiscard]] inline std::int64_t subtract_cents(std::int64_t a, std::int64_t b) {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(a, b, &difference))
        throw_invalid_argument("subtract_cents", detail::message(a, " - ", b), "beyond the int64 range",
                               "within [-9223372036854775808, 9223372036854775807] cents");
    return difference;
}

/// a × n in cents (n a count or an integer factor).
/// \throws margincall::invalid_argument if the product leaves the int64 range
[[nodiscard]] inline std::int64_t multiply_cents(std::int64_t a, std::int64_t n) {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(a, n, &product))
        throw_invalid_argument("multiply_cents", detail::message(a, " * ", n), "beyond the int64 range",
                               "within [-9223372036854775808, 9223372036854775807] cents");
    return product;
}

/// Cents arithmetic for hot paths: no throw, no branch; an operation that overflows (or a
/// conversion of NaN, ±∞ or an out-of-range amount) returns the wrapped result (0 for a
/// conversion) and raises a sticky flag. Test `overflowed()` once at the end of the work and
/// report there; the results after a raised flag are not to be used.
/// Thread safety: a guard is scratch state (its flag); one per thread or per ledger, never
/// shared between concurrent writers.
class cents_guard {
public:
    [[nodiscard]] std::int64_t add(std::int64_t a, std::int64_t b) noexcept {
        std::int64_t r = 0;
        overflow_ |= __builtin_add_overflow(a, b, &r);
        return r;
    }
    [[nodiscard]] std::int64_t subtract(std::int64_t a, std::int64_t b) noexcept {
        std::int64_t r = 0;
        overflow_ |= __builtin_sub_overflow(a, b, &r);
        return r;
    }
    [[nodiscard]] std::int64_t multiply(std::int64_t a, std::int64_t n) noexcept {
        std::int64_t r = 0;
        overflow_ |= __builtin_mul_overflow(a, n, &r);
        return r;
    }
    /// total += x, total −= x: the ledger updates of a hot loop.
    void add_to(std::int64_t& total, std::int64_t x) noexcept { total = add(total, x); }
    void subtract_from(std::int64_t& total, std::int64_t x) noexcept { total = subtract(total, x); }
    /// `amount` in cents as to_cents rounds it; 0 and the flag for NaN, ±∞ or out of range.
    template <std::floating_point Real>
    [[nodiscard]] std::int64_t to_cents(Real amount) noexcept {
        std::int64_t cents = 0;
        overflow_ |= !detail::cents_of(amount, cents);
        return cents;
    }
    /// A real number of cents (e.g. a share of a fee in cents) rounded half away from zero;
    /// 0 and the flag for NaN, ±∞ or out of range.
    template <std::floating_point Real>
    [[nodiscard]] std::int64_t round(Real cents_amount) noexcept {
        std::int64_t cents = 0;
        overflow_ |= !detail::round_cents(cents_amount, cents);
        return cents;
    }
    /// True once any operation since construction or the last clear() overflowed.
    [[nodiscard]] bool overflowed() const noexcept { return overflow_; }
    void clear() noexcept { overflow_ = false; }

private:
    bool overflow_{false};
};

}  // namespace margincall
