#pragma once
/// \file
/// Counter-based random streams for reproducible parallel Monte Carlo: Philox4x32-10, keyed by
/// (seed, path index), so a path draws the same numbers on any thread, worker count or machine.
///
/// Philox4x32-10 (J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers:
/// as easy as 1, 2, 3", SC'11, 2011, §3.3 and Table 2): a 128-bit counter and a 64-bit key go
/// through 10 rounds of two 32×32→64-bit multiplications (multipliers 0xD2511F53, 0xCD9E8D57)
/// with the key bumped by the Weyl constants (0x9E3779B9, 0xBB67AE85) between rounds. Checked
/// against the published known-answer vectors, Random123's tests/kat_vectors (the three
/// "philox4x32 10" lines), and against Random123's own <Random123/philox.h> where installed
/// (tests/parallel/philox.cpp).
/// Hand-written (about 20 lines) rather than taken from Random123 (Debian librandom123-dev):
/// Random123 ships no CMake package, so using it here would make every user of this
/// header-only library install it and carry a find module for one function; the test still
/// compares with it.
///
/// Stream layout: key = the 64-bit seed; counter = (block low, block high, path low, path high),
/// the block being the index of the 128-bit output within the path. Each block gives four
/// 32-bit words, read as two 64-bit draws. A stream exists only as
/// `philox_streams{seed}.stream_for(path)` and cannot be copied, so two paths can never share a
/// stream and a stream can never be replayed by accident; paths of one seed are disjoint
/// counter ranges by construction (2^64 blocks each).
///
/// Draws: `uniform()` is (k + 1/2)·2^-52 for the top 52 bits k of a 64-bit draw, exact in a
/// double (k + 1/2 needs 53 bits), in [2^-53, 1 − 2^-53], never 0 or 1; `normal()` is the inverse normal CDF of one uniform,
/// Φ^{-1}(u) = −√2 · erfc^{-1}(2u) (DLMF 7.17 and 7.2.2), with Boost.Math's erfc_inv evaluated
/// in double precision (no promotion to long double, whose width differs between platforms), so
/// the value depends only on the counter and on the platform's std::log/std::sqrt (correctly
/// rounded sqrt; log as the C library provides it: identical wherever the same libm runs).
/// `chi_squared(ν)` is 2·P^{-1}(ν/2, u) with Boost's gamma_p_inv, the same way.
/// \test tests/parallel/philox.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace margincall {

/// One Philox4x32-10 evaluation: the 128-bit output for `counter` under `key`.
[[nodiscard]] constexpr std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                                                   std::array<std::uint32_t, 2> key) noexcept {
    constexpr std::uint64_t m0 = 0xD2511F53u;
    constexpr std::uint64_t m1 = 0xCD9E8D57u;
    constexpr std::uint32_t w0 = 0x9E3779B9u;
    constexpr std::uint32_t w1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key[0] += w0;
            key[1] += w1;
        }
        const std::uint64_t p0 = m0 * counter[0];
        const std::uint64_t p1 = m1 * counter[2];
        counter = {static_cast<std::uint32_t>(p1 >> 32) ^ counter[1] ^ key[0], static_cast<std::uint32_t>(p1),
                   static_cast<std::uint32_t>(p0 >> 32) ^ counter[3] ^ key[1], static_cast<std::uint32_t>(p0)};
    }
    return counter;
}

namespace detail {
/// Boost.Math evaluated in double, not promoted to long double (same bits on every platform's
/// double; long double is 64, 80 or 128 bits depending on the platform).
using philox_math_policy =
    boost::math::policies::policy<boost::math::policies::promote_float<false>, boost::math::policies::promote_double<false>>;
}  // namespace detail

class philox_streams;

/// The random stream of one path: a uniform_random_bit_generator of 64-bit draws, plus exact
/// uniform, normal and chi-squared transforms. Move-only; obtained from philox_streams::stream_for.
class philox_stream {
public:
    using result_type = std::uint64_t;
    [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
    [[nodiscard]] static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

    philox_stream(const philox_stream&) = delete;
    philox_stream& operator=(const philox_stream&) = delete;
    philox_stream(philox_stream&&) noexcept = default;
    philox_stream& operator=(philox_stream&&) noexcept = default;
    ~philox_stream() = default;

    /// The next 64-bit draw: words (0,1) then (2,3) of each block, low word first.
    result_type operator()() noexcept {
        if (next_word_ == 4) refill();
        const auto lo = static_cast<std::uint64_t>(words_[next_word_]);
        const auto hi = static_cast<std::uint64_t>(words_[next_word_ + 1]);
        next_word_ += 2;
        return lo | (hi << 32);
    }

    /// A uniform in (0, 1): (k + 1/2)·2^-52 for the top 52 bits k of the next draw, exactly.
    [[nodiscard]] double uniform() noexcept {
        return (static_cast<double>((*this)() >> 12) + 0.5) * 0x1p-52;
    }

    /// A standard normal: Φ^{-1}(uniform()) = −√2 · erfc^{-1}(2u), one draw per normal.
    template <real_scalar Real = double>
    [[nodiscard]] Real normal() {
        const double u = uniform();
        const double z = -0x1.6a09e667f3bcdp+0 * boost::math::erfc_inv(2.0 * u, detail::philox_math_policy{});
        return static_cast<Real>(z);
    }

    /// A chi-squared draw with ν > 0 degrees of freedom: 2·P^{-1}(ν/2, u), one draw.
    /// \throws margincall::invalid_argument unless ν > 0 (finite)
    template <real_scalar Real = double>
    [[nodiscard]] Real chi_squared(double nu) {
        check_positive("philox_stream::chi_squared", "nu", nu);
        const double u = uniform();
        return static_cast<Real>(2.0 * boost::math::gamma_p_inv(nu / 2.0, u, detail::philox_math_policy{}));
    }

    /// The path index this stream belongs to.
    [[nodiscard]] std::uint64_t path() const noexcept { return path_; }
    /// How many 128-bit blocks the stream has consumed so far.
    [[nodiscard]] std::uint64_t blocks_used() const noexcept { return block_; }

private:
    friend class philox_streams;
    philox_stream(std::uint64_t seed, std::uint64_t path) noexcept
        : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}, path_{path} {}

    void refill() noexcept {
        words_ = philox4x32_10({static_cast<std::uint32_t>(block_), static_cast<std::uint32_t>(block_ >> 32),
                                static_cast<std::uint32_t>(path_), static_cast<std::uint32_t>(path_ >> 32)},
                               key_);
        ++block_;
        next_word_ = 0;
    }

    std::array<std::uint32_t, 2> key_;
    std::uint64_t path_;
    std::uint64_t block_{0};
    std::array<std::uint32_t, 4> words_{};
    std::size_t next_word_{4};
};

/// A seeded family of streams, one per path index: the only way to obtain a philox_stream.
class philox_streams {
public:
    explicit constexpr philox_streams(std::uint64_t seed) noexcept : seed_{seed} {}

    /// The stream of path `path`: the same numbers for the same (seed, path) wherever it runs.
    [[nodiscard]] philox_stream stream_for(std::uint64_t path) const noexcept { return philox_stream{seed_, path}; }

    [[nodiscard]] constexpr std::uint64_t seed() const noexcept { return seed_; }

private:
    std::uint64_t seed_;
};

}  // namespace margincall
