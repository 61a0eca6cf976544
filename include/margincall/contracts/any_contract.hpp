#pragma once
/// \file
/// A contract chosen at run time: linear, inverse or quanto, so that one book (one column of
/// contracts, one per symbol) can hold USDⓈ-margined, coin-margined and quanto symbols side
/// by side. It satisfies the `contract` concept by forwarding to the contract it holds: the
/// PnL, notional and value formulas stay written once, in linear_contract, inverse_contract
/// and quanto_contract (docs/contracts.md).

#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/real_scalar.hpp>

#include <variant>

namespace margincall {

/// Which contract an any_contract holds.
enum class contract_kind : unsigned char { linear, inverse, quanto };

/// Name of a contract kind ("linear", "inverse", "quanto").
[[nodiscard]] constexpr const char* to_string(contract_kind k) noexcept {
    switch (k) {
        case contract_kind::linear: return "linear";
        case contract_kind::inverse: return "inverse";
        case contract_kind::quanto: return "quanto";
    }
    return "unknown";
}

/// One of linear_contract, inverse_contract, quanto_contract, chosen at run time.
///
///   any_contract<> btc{linear_contract<>{}};          // BTCUSDT, quantity in BTC
///   any_contract<> btcusd{inverse_contract<>{100}};   // BTCUSD, 100 USD a contract
///
/// Every member forwards to the held contract (one branch on the kind, no virtual call, no
/// allocation).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class any_contract {
public:
    using variant_type = std::variant<linear_contract<Real>, inverse_contract<Real>, quanto_contract<Real>>;

    // Implicit on purpose: a linear_contract (or inverse, quanto) is an any_contract.
    any_contract(linear_contract<Real> c) noexcept : c_(c) {}       // NOLINT(google-explicit-constructor)
    any_contract(inverse_contract<Real> c) noexcept : c_(c) {}      // NOLINT(google-explicit-constructor)
    any_contract(quanto_contract<Real> c) noexcept : c_(c) {}       // NOLINT(google-explicit-constructor)

    [[nodiscard]] contract_kind kind() const noexcept { return static_cast<contract_kind>(c_.index()); }
    /// The held contract.
    [[nodiscard]] const variant_type& get() const noexcept { return c_; }
    /// The held contract as `C`, or null when it holds another kind.
    template <class C>
    [[nodiscard]] const C* get_if() const noexcept {
        return std::get_if<C>(&c_);
    }

    [[nodiscard]] Real pnl(Real quantity, Real entry, Real price) const noexcept {
        return visit([&](const auto& c) { return c.pnl(quantity, entry, price); });
    }
    [[nodiscard]] Real notional(Real quantity, Real price) const noexcept {
        return visit([&](const auto& c) { return c.notional(quantity, price); });
    }
    [[nodiscard]] Real value(Real quantity, Real price) const noexcept {
        return visit([&](const auto& c) { return c.value(quantity, price); });
    }
    [[nodiscard]] margin_currency currency() const noexcept {
        return visit([](const auto& c) { return c.currency(); });
    }

    /// Calls `f` with the held contract (its concrete type).
    template <class F>
    decltype(auto) visit(F&& f) const noexcept {
        // Not std::visit: it may throw bad_variant_access (for a valueless variant, which these
        // trivially copyable alternatives never become), and this is a noexcept hot path.
        if (const auto* l = std::get_if<0>(&c_)) return f(*l);
        if (const auto* i = std::get_if<1>(&c_)) return f(*i);
        return f(std::get<2>(c_));
    }

private:
    variant_type c_;
};

static_assert(contract<any_contract<double>, double>);

}  // namespace margincall
