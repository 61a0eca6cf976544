#pragma once
// The oracle shared by the bad-input sweep (tests/reliability/bad_input_sweep.cpp) and the
// numerical fuzzers (fuzz/fuzz_numeric.cpp): one call of a public entry point must end either in
// the library's own error (margincall::invalid_argument, or margincall::numeric_error where the
// input is valid but the computation cannot be done) whose message has the standard shape
// "where: argument is value, but must be condition", or in a finite result that satisfies the
// entry point's invariants (ES >= VaR, margins >= 0, MM <= IM, status consistent ...). Anything
// else (a foreign exception, a malformed message, a NaN or infinite figure, a broken invariant)
// is a violation. Test code only: not part of the library.
#include <margincall/core/error.hpp>

#include <cmath>
#include <exception>
#include <string>
#include <string_view>

namespace test_oracle {

enum class outcome { refused, finite, violation };

/// "where: argument is value, but must be condition" with non-empty pieces; `where` has no space.
[[nodiscard]] inline bool standard_shape(std::string_view m) {
    const std::size_t colon = m.find(": ");
    if (colon == std::string_view::npos || colon == 0) return false;
    if (m.substr(0, colon).find(' ') != std::string_view::npos) return false;
    const std::size_t is = m.find(" is ", colon + 2);
    if (is == std::string_view::npos || is == colon + 2) return false;
    const std::size_t must = m.find(", but must be ", is + 4);
    return must != std::string_view::npos && must > is + 4 && m.size() > must + 14;
}

/// What a check of a result says: empty when the invariants hold, else what broke.
struct verdict {
    std::string broken;
    [[nodiscard]] bool ok() const noexcept { return broken.empty(); }
};

/// Accumulates invariant checks on one result.
class checker {
public:
    void finite(const char* name, double x) {
        if (!std::isfinite(x)) fail(name, " is not finite");
    }
    void non_negative(const char* name, double x) {
        finite(name, x);
        if (!(x >= 0)) fail(name, " is negative");
    }
    void at_least(const char* name, double x, const char* other, double y) {
        if (!(x >= y)) fail(name, std::string(" < ") + other);
    }
    void holds(const char* what, bool ok) {
        if (!ok) fail(what, " does not hold");
    }
    [[nodiscard]] verdict result() const { return {broken_}; }

private:
    void fail(const char* name, const std::string& why) {
        if (broken_.empty()) broken_ = std::string(name) + why;
    }
    std::string broken_;
};

/// The result of one call: its outcome and what to print when it is a violation.
struct report {
    outcome kind;
    std::string detail;
};

/// Calls `f` (returning a verdict on its own result) and classifies the call.
template <class F>
[[nodiscard]] report judge(F&& f) {
    try {
        const verdict v = f();
        if (v.ok()) return {outcome::finite, {}};
        return {outcome::violation, "result: " + v.broken};
    } catch (const margincall::invalid_argument& e) {
        if (standard_shape(e.what())) return {outcome::refused, e.what()};
        return {outcome::violation, std::string("malformed message: ") + e.what()};
    } catch (const margincall::numeric_error& e) {
        if (standard_shape(e.what())) return {outcome::refused, e.what()};
        return {outcome::violation, std::string("malformed message: ") + e.what()};
    } catch (const std::exception& e) {
        return {outcome::violation, std::string("foreign exception: ") + e.what()};
    }
}

}  // namespace test_oracle
