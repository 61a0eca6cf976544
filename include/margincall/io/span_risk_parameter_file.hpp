#pragma once
/// \file
/// The risk arrays of a SPAN risk parameter file in CME's expanded unpacked positional format
/// (file format code "U2", files named *.pa2): the type "81" and "82" records (the 16 array
/// values of one contract and its composite delta) and, for the values' decimal locator, the
/// type "2" records (combined commodity definition). Other record types are skipped. Needs no
/// third-party library. The arrays feed stress/span_risk_arrays.hpp.
///
/// Source: CME Group, "SPAN Risk Parameter File Layouts for the Positional Formats"
/// (https://cmegroupclientsite.atlassian.net/wiki/spaces/pubspan/pages/46301203), pages
/// "Type 8 - Expanded" (pages/46235915: records "81" and "82"), "Type 2 - Expanded"
/// (pages/46104629) and the exchange complex header "Type 0" (format code U2 / UP). Positions
/// below are the layout's (1-based, inclusive):
///
///   "81": 1-2 "81", 3-5 exchange, 6-15 commodity (product) code, 16-25 underlying code,
///         26-28 product type code (FUT, PHY, CMB, OOF, OOP, OOC), 29 option right (P, C or blank),
///         30-35 futures month CCYYMM, 36-37 futures day/week code, 39-44 option month CCYYMM,
///         45-46 option day/week code, 48-54 option strike 9(7); array values 1-9 at 55-108,
///         each 9(5) followed by its sign ("+" or "-").
///   "82": 1-54 as "81" (the same contract); array values 10-16 at 55-96, each 9(5) and sign;
///         97-101 SPAN composite delta 9V9(4) (4 implied decimals), 102 its sign.
///   "2 ": 3-5 exchange, 13 risk exponent; six product slots at 23, 39, 55, 71, 87, 103, each:
///         product code X(10), contract type X(3), risk array value decimal locator 9 (blank: 0),
///         risk array value decimal sign ("-", or anything else meaning "+").
///
/// Values are losses of one long contract (gains negative: in a CBOT soybean-meal file a long
/// future's "up 1/3" value is 567-), in the performance-bond currency, with the extreme-move
/// cover fraction already applied. The layout names the decimal locator but does not spell out
/// its arithmetic; the loader reads it as the number of implied decimal places of the product's
/// array values (value = digits × 10^−locator; with the "-" decimal sign, × 10^+locator), as the
/// Paris-expanded layout's "Array Value Decimal Locator" and the other locators of these pages
/// are read. The type "2" record's risk exponent has no arithmetic in the layout either: a file
/// whose risk exponent is not 0 (or blank) is refused rather than guessed at. The Paris expanded
/// format (code "UP": wider fields, its own locators) is refused by name; the XML format is not read.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/io/text_file.hpp>
#include <margincall/stress/span_risk_arrays.hpp>

#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace margincall {

/// One contract of a SPAN risk parameter file: its identification as published, and its array.
struct span_file_contract {
    std::string exchange;      ///< exchange acronym, e.g. "CME"
    std::string commodity;     ///< commodity (product) code
    std::string underlying;    ///< underlying commodity (product) code
    std::string product_type;  ///< FUT, PHY, CMB, OOF, OOP or OOC
    char option_right{' '};    ///< 'C', 'P', or ' ' for a future
    std::string futures_month; ///< CCYYMM
    std::string option_month;  ///< CCYYMM, or empty for a future
    std::string strike;        ///< the 7 strike digits as published (their decimal locator is on the type "P" record)
    int decimal_locator{0};    ///< the product's risk array value decimal locator (type "2"), signed
    published_risk_array<double> array;  ///< the 16 losses (scaled), the composite delta, option = an option product
};

namespace detail {

/// Characters [from, to] (1-based, inclusive, as the layout writes them) of a record, or empty
/// where the record is shorter (trailing blanks are often trimmed).
inline std::string_view span_field(std::string_view record, std::size_t from, std::size_t to) {
    if (record.size() < from) return {};
    return record.substr(from - 1, (to < record.size() ? to : record.size()) - from + 1);
}

inline std::string_view span_trimmed(std::string_view v) {
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    return v;
}

/// A 9(n) field followed by its sign ("+" or "-"), at positions [from, from + digits].
inline double span_signed(const std::string& where, const std::string& at, std::string_view record, std::size_t from,
                          std::size_t digits, const char* name) {
    const std::string_view v = span_field(record, from, from + digits - 1);
    const std::string_view sign = span_field(record, from + digits, from + digits);
    bool ok = v.size() == digits;
    double x = 0.0;
    for (const char c : v) {
        ok = ok && c >= '0' && c <= '9';
        x = x * 10.0 + static_cast<double>(c - '0');
    }
    if (!ok)
        throw_invalid_argument(where.c_str(), detail::message(at, ", ", name, " (positions ", from, "-", from + digits - 1, ")"),
                               shown(v), detail::message(digits, " digits").c_str());
    if (sign != "+" && sign != "-")
        throw_invalid_argument(where.c_str(), detail::message(at, ", the sign of ", name, " (position ", from + digits, ")"),
                               shown(sign), "\"+\" or \"-\"");
    return sign == "-" ? -x : x;
}

}  // namespace detail

/// The contracts (risk arrays) of a SPAN risk parameter file in the expanded unpacked format.
/// Each "81" record must be followed by the "82" record of the same contract (positions 3-54
/// equal). Lines may end in "\r\n"; empty lines are skipped.
/// \throws invalid_argument naming source, line and field: a Paris-expanded ("UP") or other
///         non-"U2" header, a value or delta that is not 5 digits and a sign, an "81" without its
///         "82" (or an "82" without its "81"), a decimal locator that is not a digit, a non-zero
///         risk exponent, or a file without risk arrays
[[nodiscard]] inline std::vector<span_file_contract> parse_span_risk_arrays(std::string_view text,
                                                                            std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_span_risk_arrays(", std::string(source), ")");
    using key = std::tuple<std::string, std::string, std::string>;  // exchange, product code, contract type
    std::map<key, int> locators;
    std::vector<span_file_contract> out;
    std::string pending;  // the "81" record awaiting its "82"
    std::size_t pending_line = 0, line_no = 0, pos = 0;
    std::string_view line;
    while (detail::next_line(text, pos, line)) {
        ++line_no;
        if (detail::span_trimmed(line).empty()) continue;
        const std::string at = detail::message("line ", line_no);
        const std::string_view id = detail::span_field(line, 1, 2);
        if (!pending.empty() && id != "82")
            throw_invalid_argument(where.c_str(), detail::message("line ", pending_line, ", the \"81\" record's next record"),
                                   detail::shown(id), "\"82\" (the second record of the same contract)");
        if (id == "0 ") {
            const std::string_view format = detail::span_field(line, 36, 37);
            if (format != "U2")
                throw_invalid_argument(where.c_str(), at + ", the file format (positions 36-37)", detail::shown(format),
                                       "\"U2\" (expanded unpacked; the Paris expanded \"UP\" and other formats are not read)");
        } else if (id == "2 ") {
            const std::string_view exponent = detail::span_field(line, 13, 13);
            if (!(exponent.empty() || exponent == " " || exponent == "0"))
                throw_invalid_argument(where.c_str(), at + ", the risk exponent (position 13)", detail::shown(exponent),
                                       "0 or blank (the layout gives it no arithmetic; the loader does not guess)");
            const std::string exchange(detail::span_trimmed(detail::span_field(line, 3, 5)));
            for (std::size_t slot = 23; slot <= 103; slot += 16) {
                const std::string code(detail::span_trimmed(detail::span_field(line, slot, slot + 9)));
                if (code.empty()) continue;
                const std::string type(detail::span_trimmed(detail::span_field(line, slot + 10, slot + 12)));
                const std::string_view digit = detail::span_field(line, slot + 13, slot + 13);
                int locator = 0;
                if (!(digit.empty() || digit == " ")) {
                    if (!(digit[0] >= '0' && digit[0] <= '9'))
                        throw_invalid_argument(where.c_str(),
                                               detail::message(at, ", the decimal locator of ", code, " (position ", slot + 13, ")"),
                                               detail::shown(digit), "a digit or blank");
                    locator = digit[0] - '0';
                }
                if (detail::span_field(line, slot + 14, slot + 14) == "-") locator = -locator;
                locators[key{exchange, code, type}] = locator;
            }
        } else if (id == "81") {
            pending = std::string(line);
            pending_line = line_no;
        } else if (id == "82") {
            if (pending.empty())
                throw_invalid_argument(where.c_str(), at + ", the \"82\" record", "without its \"81\"",
                                       "the second record of a contract whose \"81\" record precedes it");
            const std::string_view first = pending;
            if (detail::span_field(first, 3, 54) != detail::span_field(line, 3, 54))
                throw_invalid_argument(where.c_str(), at + ", the contract of the \"82\" record (positions 3-54)",
                                       detail::shown(detail::span_field(line, 3, 54)),
                                       detail::message("the contract of the \"81\" record of line ", pending_line).c_str());
            span_file_contract c;
            c.exchange = std::string(detail::span_trimmed(detail::span_field(first, 3, 5)));
            c.commodity = std::string(detail::span_trimmed(detail::span_field(first, 6, 15)));
            c.underlying = std::string(detail::span_trimmed(detail::span_field(first, 16, 25)));
            c.product_type = std::string(detail::span_trimmed(detail::span_field(first, 26, 28)));
            const std::string_view right = detail::span_field(first, 29, 29);
            c.option_right = right.empty() ? ' ' : right[0];
            c.futures_month = std::string(detail::span_trimmed(detail::span_field(first, 30, 35)));
            c.option_month = std::string(detail::span_trimmed(detail::span_field(first, 39, 44)));
            c.strike = std::string(detail::span_trimmed(detail::span_field(first, 48, 54)));
            const auto found = locators.find(key{c.exchange, c.commodity, c.product_type});
            c.decimal_locator = found == locators.end() ? 0 : found->second;
            const double scale = std::pow(10.0, -c.decimal_locator);
            const std::string at81 = detail::message("line ", pending_line);
            for (std::size_t k = 0; k < 9; ++k)
                c.array.losses[k] =
                    scale * detail::span_signed(where, at81, first, 55 + 6 * k, 5, detail::message("array value ", k + 1).c_str());
            for (std::size_t k = 0; k < 7; ++k)
                c.array.losses[9 + k] =
                    scale * detail::span_signed(where, at, line, 55 + 6 * k, 5, detail::message("array value ", k + 10).c_str());
            c.array.composite_delta = detail::span_signed(where, at, line, 97, 5, "the composite delta") / 1e4;
            c.array.option = c.option_right == 'C' || c.option_right == 'P' || c.product_type.rfind("OO", 0) == 0;
            out.push_back(std::move(c));
            pending.clear();
        }
    }
    if (!pending.empty())
        throw_invalid_argument(where.c_str(), detail::message("line ", pending_line, ", the \"81\" record's next record"),
                               "missing", "\"82\" (the second record of the same contract)");
    if (out.empty()) throw_invalid_argument(where.c_str(), "the number of risk arrays", 0, "> 0");
    return out;
}

/// parse_span_risk_arrays of the file at `path`.
[[nodiscard]] inline std::vector<span_file_contract> load_span_risk_arrays(const std::string& path) {
    return parse_span_risk_arrays(read_text_file("load_span_risk_arrays", path), path);
}

}  // namespace margincall
