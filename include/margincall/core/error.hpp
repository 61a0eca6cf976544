#pragma once
/// \file
/// The library's exception type and its one message shape:
/// "where: argument is value, but must be condition".

#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <ios>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace margincall {

/// Thrown for invalid input (NaN, a negative price, non-monotone tiers, α outside (0, 1),
/// an empty sample, ...) at the boundary where an object is built or a call is made.
class invalid_argument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Thrown where every input is valid on its own but the computation cannot be carried out in
/// the working precision: a revaluation that overflows, a root that the budget did not reach.
/// Same message shape as invalid_argument. convergence_error (core/bracketed_solve.hpp) is one.
class numeric_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {

/// Writes one value the way messages show it: reals with their shortest round-tripping
/// precision up to digits10 (so 0.1 prints as 0.1, 250000 as 250000), everything else as is.
template <class T>
void write_value(std::ostringstream& out, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        out << (value ? "true" : "false");
    } else if constexpr (std::is_floating_point_v<T>) {
        out.precision(std::numeric_limits<T>::digits10);
        out << value;
    } else if constexpr (std::is_class_v<T>) {
        if constexpr (std::numeric_limits<T>::is_specialized) {  // Boost.Multiprecision reals
            out.precision(std::numeric_limits<T>::digits10);
        }
        out << value;
    } else {
        out << value;  // string literals, integers
    }
}

/// Concatenates the pieces of a message (g++ 12 has no std::format).
template <class... Pieces>
[[nodiscard]] std::string message(const Pieces&... pieces) {
    std::ostringstream out;
    (write_value(out, pieces), ...);
    return std::move(out).str();
}

}  // namespace detail

/// Throws margincall::invalid_argument with "where: argument is value, but must be condition".
template <class Value>
[[noreturn]] void throw_invalid_argument(const char* where, std::string_view argument, const Value& value,
                                         const char* condition) {
    throw invalid_argument(detail::message(where, ": ", argument, " is ", value, ", but must be ", condition));
}

/// Throws margincall::numeric_error with "where: argument is value, but must be condition".
template <class Value>
[[noreturn]] void throw_numeric_error(const char* where, std::string_view argument, const Value& value,
                                      const char* condition) {
    throw numeric_error(detail::message(where, ": ", argument, " is ", value, ", but must be ", condition));
}

}  // namespace margincall
