#pragma once
/// \file
/// Batch pricing of European options held as a structure of arrays: price and delta of the
/// generalized Black–Scholes–Merton model with carry b (black_scholes.hpp) for every option,
/// in one vectorised pass over spans.
///
/// The whole batch is validated first (one branch-free pass; on failure a second pass names
/// the first bad element), then priced with no per-element checks, calls or branches: the
/// normal CDF is normal_cdf_fast and exp/log/sqrt are the vectorisable ones of fast_math.hpp,
/// so GCC/Clang emit SIMD code under -O3 -march=native. Results agree with the scalar
/// black_scholes_price/black_scholes_greeks (Boost.Math's CDF) to about 1e-13 relative where the
/// price is not itself the small difference of two large terms (see docs/options.md for the
/// measured figures). Double precision only; use the scalar functions for other types.
/// Performance: see benchmarks/options.cpp (BM_option_batch_*).

#include <margincall/core/error.hpp>
#include <margincall/options/fast_math.hpp>
#include <margincall/options/normal_cdf.hpp>
#include <margincall/options/option_type.hpp>

#include <cmath>
#include <cstddef>
#include <span>

namespace margincall {

/// Read-only view of a book of European options as structure of arrays (all spans of one size).
struct option_batch {
    std::span<const option_type> type;
    std::span<const double> spot;        ///< S > 0
    std::span<const double> strike;      ///< K > 0
    std::span<const double> expiry;      ///< T ≥ 0, years (T = 0: intrinsic value)
    std::span<const double> rate;        ///< r, with |r·T| ≤ 700
    std::span<const double> carry;       ///< b, with |b·T| ≤ 700
    std::span<const double> volatility;  ///< σ ≥ 0
    [[nodiscard]] std::size_t size() const noexcept { return spot.size(); }
};

namespace detail {

/// True when every element is valid; a reduction without branches so that it vectorises.
inline bool batch_is_valid(std::size_t n, const option_type* __restrict type, const double* __restrict spot,
                           const double* __restrict strike, const double* __restrict expiry,
                           const double* __restrict rate, const double* __restrict carry,
                           const double* __restrict vol) noexcept {
    constexpr double max = 1.7976931348623157e308;
    constexpr double min_normal = 2.2250738585072014e-308;
    int ok = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = expiry[i];
        const double rt = rate[i] * t;
        const double bt = carry[i] * t;
        const double ratio = spot[i] / strike[i];
        const int w = static_cast<int>(static_cast<signed char>(type[i]));
        ok &= static_cast<int>((w == 1) | (w == -1)) & static_cast<int>(spot[i] > 0.0) &
              static_cast<int>(spot[i] <= max) & static_cast<int>(strike[i] > 0.0) & static_cast<int>(strike[i] <= max) &
              static_cast<int>(ratio >= min_normal) & static_cast<int>(ratio <= max) & static_cast<int>(t >= 0.0) &
              static_cast<int>(t <= max) & static_cast<int>(rt >= -700.0) & static_cast<int>(rt <= 700.0) &
              static_cast<int>(bt >= -700.0) & static_cast<int>(bt <= 700.0) & static_cast<int>(vol[i] >= 0.0) &
              static_cast<int>(vol[i] <= max) & static_cast<int>(vol[i] * vol[i] * t <= max);
    }
    return ok != 0;
}

inline void check_option_batch(const char* where, const option_batch& b, std::size_t price_size,
                               std::size_t delta_size) {
    const std::size_t n = b.size();
    const auto check_size = [&](const char* name, std::size_t size) {
        if (size != n)
            throw_invalid_argument(where, detail::message("the size of ", name), size,
                                   detail::message(n, " (the size of spot)").c_str());
    };
    check_size("type", b.type.size());
    check_size("strike", b.strike.size());
    check_size("expiry", b.expiry.size());
    check_size("rate", b.rate.size());
    check_size("carry", b.carry.size());
    check_size("volatility", b.volatility.size());
    check_size("price", price_size);
    check_size("delta", delta_size);
    // One branch-free, vectorised pass (NaN fails every comparison); the naming pass below runs
    // only on failure.
    if (batch_is_valid(n, b.type.data(), b.spot.data(), b.strike.data(), b.expiry.data(), b.rate.data(),
                       b.carry.data(), b.volatility.data()))
        return;
    for (std::size_t i = 0; i < n; ++i) {
        const auto name = [i](const char* field) { return detail::message(field, "[", i, "]"); };
        if (b.type[i] != option_type::call && b.type[i] != option_type::put)
            throw_invalid_argument(where, name("type"), static_cast<int>(b.type[i]), "call (1) or put (-1)");
        if (!(b.spot[i] > 0.0) || !std::isfinite(b.spot[i]))
            throw_invalid_argument(where, name("spot"), b.spot[i], "finite and > 0");
        if (!(b.strike[i] > 0.0) || !std::isfinite(b.strike[i]))
            throw_invalid_argument(where, name("strike"), b.strike[i], "finite and > 0");
        if (!(b.expiry[i] >= 0.0) || !std::isfinite(b.expiry[i]))
            throw_invalid_argument(where, name("expiry"), b.expiry[i], "finite and >= 0");
        if (!(b.volatility[i] >= 0.0) || !std::isfinite(b.volatility[i]))
            throw_invalid_argument(where, name("volatility"), b.volatility[i], "finite and >= 0");
        const double variance = b.volatility[i] * b.volatility[i] * b.expiry[i];
        if (!(variance <= 1.7976931348623157e308))
            throw_invalid_argument(where, detail::message(name("volatility"), "^2 * ", name("expiry")), variance,
                                   "finite");
        const double ratio = b.spot[i] / b.strike[i];
        if (!(ratio >= 2.2250738585072014e-308 && ratio <= 1.7976931348623157e308))
            throw_invalid_argument(where, detail::message(name("spot"), " / ", name("strike")), ratio,
                                   "a normal double (fast_log's domain)");
        const double rt = b.rate[i] * b.expiry[i];
        if (!(rt >= -700.0 && rt <= 700.0))
            throw_invalid_argument(where, detail::message(name("rate"), " * ", name("expiry")), rt, "in [-700, 700]");
        const double bt = b.carry[i] * b.expiry[i];
        if (!(bt >= -700.0 && bt <= 700.0))
            throw_invalid_argument(where, detail::message(name("carry"), " * ", name("expiry")), bt, "in [-700, 700]");
    }
}

/// The vectorised loop over validated arrays. __restrict (GCC/Clang; on parameters, where both
/// honour it) promises that the outputs do not overlap the inputs, so the loop vectorises
/// without run-time overlap checks on nine arrays.
inline void black_scholes_price_delta_kernel(std::size_t n, const option_type* __restrict type,
                                             const double* __restrict spot, const double* __restrict strike,
                                             const double* __restrict expiry, const double* __restrict rate,
                                             const double* __restrict carry, const double* __restrict vol,
                                             double* __restrict out_price, double* __restrict out_delta) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        const double w = static_cast<double>(static_cast<signed char>(type[i]));
        const double t = expiry[i];
        const double sd = vol[i] * detail::fast_sqrt(t);
        const double carry_factor = detail::fast_exp((carry[i] - rate[i]) * t);
        const double discount = detail::fast_exp(-rate[i] * t);
        const double log_moneyness = detail::fast_log(spot[i] / strike[i]) + carry[i] * t;  // ln(F/K)
        const bool diffuse = sd > 0.0;
        const double sd_safe = diffuse ? sd : 1.0;
        const double at_expiry = log_moneyness > 0.0 ? 1e300 : (log_moneyness < 0.0 ? -1e300 : 0.0);
        const double d1 = diffuse ? log_moneyness / sd_safe + 0.5 * sd : at_expiry;
        const double d2 = diffuse ? d1 - sd : at_expiry;
        const double n1 = normal_cdf_fast(w * d1);
        const double n2 = normal_cdf_fast(w * d2);
        const double carried = spot[i] * carry_factor;
        out_price[i] = w * (carried * n1 - strike[i] * discount * n2);
        out_delta[i] = w * carry_factor * n1;
    }
}

}  // namespace detail

/// Price and delta (∂V/∂S) of every option in the batch; the i-th results go to price[i], delta[i].
/// price and delta must not overlap each other or the inputs.
///   V = ω·(S·e^((b−r)T)·N(ω·d1) − K·e^(−rT)·N(ω·d2)),  Δ = ω·e^((b−r)T)·N(ω·d1),  ω = ±1.
/// At σ√T = 0 (T = 0 or σ = 0) d1 = d2 = ±∞ by the sign of ln(F/K), which gives the
/// (discounted) intrinsic value; exactly at the money the delta is then e^((b−r)T)·ω/2.
/// Throws margincall::invalid_argument, naming the first bad element, for mismatched sizes or
/// invalid values (S, K ≤ 0, T < 0, σ < 0, |rT| or |bT| > 700, σ²T overflowing, S/K not a normal double,
/// non-finite input); after that no
/// element can fail: every output is finite.
// Source: Haug (2007) §1.1.6 (generalized BSM) and §2.1.1 (delta).
inline void black_scholes_price_delta(const option_batch& book, std::span<double> price, std::span<double> delta) {
    detail::check_option_batch("black_scholes_price_delta", book, price.size(), delta.size());
    const std::size_t n = book.size();
    detail::black_scholes_price_delta_kernel(n, book.type.data(), book.spot.data(), book.strike.data(),
                                             book.expiry.data(), book.rate.data(), book.carry.data(),
                                             book.volatility.data(), price.data(), delta.data());
}

}  // namespace margincall
