#pragma once
/// \file
/// Report tables (io/report_table.hpp) as CSV (RFC 4180: comma-separated, a header line, a
/// field quoted when it holds a comma, a quote or a line break) and back, and an account book
/// written in the form io/account_book_csv.hpp loads.
///
/// Numbers are written in the shortest form that reads back to the same double
/// (std::to_chars), so a table survives write → parse_report_csv exactly; non-finite values
/// are written inf, -inf, nan. Needs only the standard library.

#include <margincall/core/error.hpp>
#include <margincall/io/account_book_csv.hpp>
#include <margincall/io/report_table.hpp>
#include <margincall/io/text_file.hpp>
#include <margincall/margin/position.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace margincall {

namespace detail {

/// The shortest decimal that reads back to x; inf, -inf, nan for the non-finite.
inline std::string format_number(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
    if (ec != std::errc()) throw_invalid_argument("format_number", "the number", x, "printable");  // unreachable: 32 > 24
    return std::string(buffer, end);
}

inline std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

inline std::string csv_cell(const report_value& v) {
    if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
    if (const auto* n = std::get_if<std::uint64_t>(&v)) return std::to_string(*n);
    return csv_field(std::get<std::string>(v));
}

/// A field read back: unsigned digits → count, a full decimal (or inf/nan) → number, else text.
inline report_value infer_cell(const std::string& s, bool quoted) {
    if (quoted || s.empty()) return s;
    if (s.find_first_not_of("0123456789") == std::string::npos) {
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && end == s.data() + s.size()) return n;
    }
    double x = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec == std::errc() && end == s.data() + s.size()) return x;
    return s;
}

}  // namespace detail

/// Writes `table` as CSV: the header line, then one line per row, lines ended by "\n".
inline void write_csv(std::ostream& out, const report_table& table) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) out << (c ? "," : "") << detail::csv_field(table.columns[c]);
    out << '\n';
    for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << detail::csv_cell(row[c]);
        out << '\n';
    }
}

/// The CSV text of `table`.
[[nodiscard]] inline std::string to_csv(const report_table& table) {
    std::ostringstream out;
    write_csv(out, table);
    return out.str();
}

/// Writes `table` to the file `path` (replacing it).
/// \throws invalid_argument naming the file when it cannot be written
inline void save_csv(const std::string& path, const report_table& table) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw_invalid_argument("save_csv", "the file", path, "a writable file");
    write_csv(out, table);
    out.flush();
    if (!out) throw_invalid_argument("save_csv", "the file", path, "a writable file");
}

/// Reads a CSV written by write_csv (or any RFC 4180 text with a header) back into a table:
/// unquoted unsigned integers become counts, other unquoted numbers (and inf, nan) numbers,
/// everything else text. \throws invalid_argument naming `source` and the line of a row
/// whose field count differs from the header's or of an unterminated quote
[[nodiscard]] inline report_table parse_report_csv(std::string_view text, std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_report_csv(", std::string(source), ")");
    report_table table;
    std::vector<report_value> row;
    std::string field;
    bool quoted = false, in_quotes = false, any = false;
    std::size_t line = 1, row_line = 1;
    const auto end_field = [&] {
        row.push_back(detail::infer_cell(field, quoted));
        field.clear();
        quoted = false;
    };
    const auto end_row = [&] {
        end_field();
        if (table.columns.empty()) {
            for (auto& v : row) table.columns.push_back(std::get_if<std::string>(&v) ? std::get<std::string>(v) : detail::csv_cell(v));
        } else if (row.size() != table.columns.size()) {
            throw_invalid_argument(where.c_str(), detail::message("line ", row_line, ": the number of fields"), row.size(),
                                   detail::message(table.columns.size(), ", the header's").c_str());
        } else {
            table.rows.push_back(std::move(row));
        }
        row.clear();
        any = false;
        row_line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                line += c == '\n';
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            in_quotes = quoted = any = true;
        } else if (c == ',') {
            end_field();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            ++line;
            if (any || !field.empty() || !row.empty()) end_row();
            else row_line = line;
        } else {
            field += c;
            any = true;
        }
    }
    if (in_quotes) throw_invalid_argument(where.c_str(), detail::message("line ", row_line), "an unterminated quote", "closed");
    if (any || !field.empty() || !row.empty()) end_row();
    if (table.columns.empty()) throw_invalid_argument(where.c_str(), "the text", "empty", "a header line");
    return table;
}

/// parse_report_csv on the contents of the file `path`.
[[nodiscard]] inline report_table load_report_csv(const std::string& path) {
    return parse_report_csv(read_text_file("load_report_csv", path), path);
}

/// Writes an account book in the columns parse_account_book reads (docs/io.md, "Account books
/// from CSV"): account, wallet_balance, symbol, side, quantity, entry_price, leverage,
/// margin_mode, isolated_margin; one line per position, accounts in order.
/// \throws invalid_argument if an account id holds a comma or a line break (the book format
///         has no quoting) or a position's symbol index is out of range
template <real_scalar Real>
void write_account_book_csv(std::ostream& out, const account_book<Real>& book) {
    out << "account,wallet_balance,symbol,side,quantity,entry_price,leverage,margin_mode,isolated_margin\n";
    for (const auto& a : book.accounts) {
        if (a.id.find_first_of(",\r\n") != std::string::npos)
            throw_invalid_argument("write_account_book_csv", "the account id", a.id, "free of commas and line breaks");
        for (const auto& p : a.positions) {
            if (p.symbol >= book.symbols.size())
                throw_invalid_argument("write_account_book_csv", "a position's symbol index", p.symbol,
                                       detail::message("< ", book.symbols.size(), ", the number of symbols").c_str());
            out << a.id << ',' << detail::format_number(static_cast<double>(a.wallet_balance)) << ','
                << book.symbols[p.symbol] << ',' << to_string(p.side) << ','
                << detail::format_number(static_cast<double>(p.quantity)) << ','
                << detail::format_number(static_cast<double>(p.entry_price)) << ','
                << detail::format_number(static_cast<double>(p.leverage)) << ','
                << (p.mode == margin_mode::cross ? "cross" : "isolated") << ','
                << detail::format_number(static_cast<double>(p.isolated_margin)) << '\n';
        }
    }
}

}  // namespace margincall
