#pragma once
/// \file
/// The scalar concept every margincall component is templated on.

#include <concepts>
#include <limits>

namespace margincall {

/// A real number type: `float`, `double`, `long double`, or a Boost.Multiprecision float
/// (`cpp_bin_float_50`, ...). Integers and complex numbers are not real scalars.
/// Arithmetic may return expression templates (Boost.Multiprecision), so results are only
/// required to convert back to `T`.
template <class T>
concept real_scalar = std::numeric_limits<T>::is_specialized       //
                      && !std::numeric_limits<T>::is_integer       //
                      && std::numeric_limits<T>::has_quiet_NaN     //
                      && std::regular<T>                           //
                      && std::totally_ordered<T>                   //
                      && requires(T a, T b) {
                             { a + b } -> std::convertible_to<T>;
                             { a - b } -> std::convertible_to<T>;
                             { a * b } -> std::convertible_to<T>;
                             { a / b } -> std::convertible_to<T>;
                             { -a } -> std::convertible_to<T>;
                         };

}  // namespace margincall
