#pragma once
/// \file
/// An order-independent sum of non-negative floating-point values: the result depends only on the
/// multiset of terms, never on their order or on how they were split and merged, so a sum computed
/// over a sample split across threads or processes is bit-identical to the sum of the whole.
///
/// Method: fixed point. Every term x ∈ [0, bound] is scaled by the power of two 2^s that puts the
/// bound just below 2^63, and its scaled value t = x·2^s is split exactly into an integer part
/// ⌊t⌋ < 2^63 and 64 bits of fraction ⌊(t − ⌊t⌋)·2^64⌋. Both go into a 192-bit integer accumulator,
/// and integer addition is associative. Bits of a term below 2^-64 in scaled units, i.e. below
/// 2^-126 of the bound, are dropped (a double term is exact when it is at least 2^-73 of the
/// bound), so the total is the exact sum to within count·2^-126·bound before its one final
/// rounding: more accurate than any ordering of a floating-point sum.
/// This is the "long accumulator" idea of U. Kulisch (Computer Arithmetic and Validity, de Gruyter,
/// 2nd ed. 2013, ch. 7), restricted to the range one bound spans; see also J. Demmel & H. D. Nguyen,
/// "Parallel reproducible summation", IEEE Trans. Computers 64(7) (2015) 2060–2070, for why order
/// independence matters. Hand-written: Boost, Eigen and the standard library offer only ordered
/// (or compensated, still order-dependent) sums, and ReproBLAS/ExBLAS are not Debian packages.
/// \test tests/core/reproducible_sum.cpp

#include <margincall/core/error.hpp>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>

namespace margincall {

/// Order-independent sum of terms in [0, bound] (see the file comment); `Real` a built-in
/// floating-point type.
template <std::floating_point Real>
class nonnegative_fixed_sum {
public:
    /// \param bound an upper bound of every term to be added, finite and ≥ 0
    /// \throws margincall::invalid_argument when bound is negative or not finite
    explicit nonnegative_fixed_sum(Real bound) {
        if (!(bound >= Real(0)) || !std::isfinite(bound))
            throw_invalid_argument("nonnegative_fixed_sum", "bound", bound, "finite and >= 0");
        if (bound > Real(0)) shift_ = 62 - std::ilogb(bound);  // bound < 2^(ilogb + 1), so t < 2^63
        scale_ = std::ldexp(Real(1), shift_);
        scale_exact_ = std::isfinite(scale_) && scale_ > Real(0) &&
                       std::ldexp(scale_, -shift_) == Real(1);  // 2^shift_ representable
    }

    /// Adds a term x with 0 ≤ x ≤ bound.
    /// \throws margincall::invalid_argument for a term outside [0, bound] (or NaN)
    void add(Real x) {
        const Real t = scale_exact_ ? x * scale_ : std::ldexp(x, shift_);  // exact but for underflow
        if (!(t >= Real(0) && t < two63)) [[unlikely]]
            throw_invalid_argument("nonnegative_fixed_sum::add", "term", x, "in [0, bound], the bound given at construction");
        const auto whole = static_cast<std::uint64_t>(t);  // ⌊t⌋ < 2^63
        const Real fraction = t - static_cast<Real>(whole);  // exact: the bits of t below 1
        const auto low = static_cast<std::uint64_t>(fraction * two64);  // < 2^64; bits below 2^-64 dropped
        low_ += low;
        const std::uint64_t carry = low_ < low ? 1 : 0;
        high_ += carry;
        top_ += high_ < carry ? 1 : 0;
        high_ += whole;
        top_ += high_ < whole ? 1 : 0;
    }

    /// Merges another sum made with the same bound (its terms as if added here).
    /// \throws margincall::invalid_argument when the bounds' scales differ
    void merge(const nonnegative_fixed_sum& other) {
        if (other.shift_ != shift_)
            throw_invalid_argument("nonnegative_fixed_sum::merge", "the other sum's scale exponent", other.shift_,
                                   "equal to this one's (both made with the same bound)");
        low_ += other.low_;
        const std::uint64_t carry = low_ < other.low_ ? 1 : 0;
        high_ += carry;
        top_ += high_ < carry ? 1 : 0;
        high_ += other.high_;
        top_ += high_ < other.high_ ? 1 : 0;
        top_ += other.top_;
    }

    /// (Σ terms) / divisor, rounded from the exact fixed-point total (a few roundings, each a
    /// function of the total alone). \param divisor finite and > 0 (not checked)
    [[nodiscard]] Real total_over(Real divisor) const noexcept {
        const Real scaled = (static_cast<Real>(top_) * two64 + static_cast<Real>(high_)) + static_cast<Real>(low_) / two64;
        return std::ldexp(scaled / divisor, -shift_);
    }

    /// Σ terms, rounded (may overflow to +inf when the true sum exceeds the largest Real).
    [[nodiscard]] Real total() const noexcept { return total_over(Real(1)); }

private:
    static constexpr Real two63 = Real(9223372036854775808.0L);
    static constexpr Real two64 = Real(18446744073709551616.0L);
    int shift_{0};
    Real scale_{1};
    bool scale_exact_{true};
    std::uint64_t low_{0};   // fraction bits, units of 2^-64
    std::uint64_t high_{0};  // integer bits, units of 1
    std::uint64_t top_{0};   // carries out of high_, units of 2^64
};

}  // namespace margincall
