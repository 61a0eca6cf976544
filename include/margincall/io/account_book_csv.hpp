#pragma once
/// \file
/// Account books from CSV: one row per position, the account's wallet repeated on each of its
/// rows. Strict: a header naming the columns, no quoting, numbers in full, every value checked;
/// an error names the source, the line and the field. Needs no third-party library.
///
/// Columns (any order; `side` optional, default "both"):
///   account, wallet_balance, symbol, side, quantity, entry_price, leverage, margin_mode, isolated_margin
/// Lines that are empty or start with '#' are skipped; a trailing '\r' is ignored, and so is a
/// UTF-8 byte-order mark at the start of the text (spreadsheets write one; the JSON loaders
/// accept it too).
///
/// The parse checks what a row is (numbers, sides, modes); what a row may be under the host's
/// margin models (leverage within a tier's [1, max leverage], a notional the model can value)
/// is checked by `check_account_book`, which runs the per-row kernel (the models' own rules),
/// or in one call by `load_account_book(path, contracts, models)`.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/io/text_file.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/margin/position_margin.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

namespace margincall {

/// One position row of a book.
template <real_scalar Real = double>
struct book_position {
    std::size_t symbol{};  ///< index into account_book::symbols
    position_side side = position_side::both;
    Real quantity{};
    Real entry_price{};
    Real leverage{};
    margin_mode mode = margin_mode::cross;
    Real isolated_margin{};
    std::size_t line{};  ///< line of the row in the source, from 1
};

/// One account of a book: its id, wallet and positions in file order.
template <real_scalar Real = double>
struct book_account {
    std::string id;
    Real wallet_balance{};
    std::vector<book_position<Real>> positions;
};

/// A loaded book: symbols in order of first appearance, accounts in order of first appearance.
template <real_scalar Real = double>
struct account_book {
    std::vector<std::string> symbols;
    std::vector<book_account<Real>> accounts;
};

namespace detail {

inline constexpr std::array<const char*, 9> book_columns = {"account", "wallet_balance", "symbol",
                                                            "side",    "quantity",       "entry_price",
                                                            "leverage", "margin_mode",   "isolated_margin"};

/// Splits one CSV line on commas (no quoting); fields are not trimmed.
inline std::vector<std::string_view> split_csv(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == ',') {
            out.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

template <real_scalar Real>
Real csv_number(const std::string& where, const std::string& field, std::string_view v) {
    double x = 0;
    const char* first = v.data();
    const char* last = v.data() + v.size();
    if (!v.empty() && *first == '+') ++first;  // from_chars does not take a leading '+'
    const auto [ptr, ec] = std::from_chars(first, last, x);
    if (v.empty() || ec != std::errc() || ptr != last)
        throw_invalid_argument(where.c_str(), field, shown(v), "a number");
    const auto r = static_cast<Real>(x);
    check_finite(where.c_str(), field, r);
    return r;
}

}  // namespace detail

/// Parses a book from CSV text; `source` names it in error messages.
/// \throws invalid_argument naming source, line and field: a missing, unknown or repeated
///         column, a row with the wrong number of fields, quoting, an empty account or symbol,
///         a malformed or non-finite number, an unknown side or margin mode, a quantity whose
///         sign disagrees with its side, entry_price ≤ 0 on an open position, leverage ≤ 0,
///         isolated margin < 0 (or ≠ 0 in cross mode), a wallet that differs between rows of one
///         account, a (symbol, side) repeated in an account, or a file without rows
template <real_scalar Real = double>
[[nodiscard]] account_book<Real> parse_account_book(std::string_view text, std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_account_book(", std::string(source), ")");
    account_book<Real> book;
    std::array<std::size_t, detail::book_columns.size()> column{};
    column.fill(static_cast<std::size_t>(-1));
    std::size_t columns = 0;
    bool have_header = false;
    std::map<std::string, std::size_t, std::less<>> account_index, symbol_index;
    std::map<std::tuple<std::size_t, std::size_t, int>, std::size_t> legs;
    std::size_t line_no = 0, pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // UTF-8 byte-order mark
    std::string_view line;
    while (detail::next_line(text, pos, line)) {
        ++line_no;
        if (line.empty() || line.front() == '#') continue;
        const std::string at = detail::message("line ", line_no);
        if (line.find('"') != std::string_view::npos)
            throw_invalid_argument(where.c_str(), at, "quoted", "unquoted (the format has no quoting)");
        const auto fields = detail::split_csv(line);
        if (!have_header) {
            for (std::size_t f = 0; f < fields.size(); ++f) {
                std::size_t k = 0;
                while (k < detail::book_columns.size() && fields[f] != detail::book_columns[k]) ++k;
                if (k == detail::book_columns.size())
                    throw_invalid_argument(where.c_str(), detail::message(at, ", header field ", f + 1), detail::shown(fields[f]),
                                           "a column name (account, wallet_balance, symbol, side, quantity, entry_price, "
                                           "leverage, margin_mode, isolated_margin)");
                if (column[k] != static_cast<std::size_t>(-1))
                    throw_invalid_argument(where.c_str(), detail::message(at, ", header field ", f + 1),
                                           detail::shown(fields[f]), "a column not named before");
                column[k] = f;
            }
            for (std::size_t k = 0; k < detail::book_columns.size(); ++k)
                if (column[k] == static_cast<std::size_t>(-1) && k != 3)  // side is optional
                    throw_invalid_argument(where.c_str(), detail::message(at, ", column ", detail::book_columns[k]), "missing",
                                           "present in the header");
            columns = fields.size();
            have_header = true;
            continue;
        }
        if (fields.size() != columns)
            throw_invalid_argument(where.c_str(), detail::message(at, ", the number of fields"), fields.size(),
                                   detail::message(columns, " (the header's)").c_str());
        const auto field = [&](std::size_t k) { return fields[column[k]]; };
        const auto name = [&](std::size_t k) { return detail::message(at, ", field ", detail::book_columns[k]); };
        const std::string_view id = field(0);
        if (id.empty()) throw_invalid_argument(where.c_str(), name(0), "empty", "an account id");
        const Real wallet = detail::csv_number<Real>(where, name(1), field(1));
        check_non_negative(where.c_str(), name(1), wallet);
        const std::string_view sym = field(2);
        if (sym.empty()) throw_invalid_argument(where.c_str(), name(2), "empty", "a symbol");
        book_position<Real> p;
        p.line = line_no;
        if (column[3] != static_cast<std::size_t>(-1)) {
            const std::string_view s = field(3);
            if (s == "both") p.side = position_side::both;
            else if (s == "long") p.side = position_side::long_leg;
            else if (s == "short") p.side = position_side::short_leg;
            else throw_invalid_argument(where.c_str(), name(3), detail::shown(s), "both, long or short");
        }
        p.quantity = detail::csv_number<Real>(where, name(4), field(4));
        if (p.side == position_side::long_leg && p.quantity < 0)
            throw_invalid_argument(where.c_str(), name(4), p.quantity, ">= 0 on a long leg");
        if (p.side == position_side::short_leg && p.quantity > 0)
            throw_invalid_argument(where.c_str(), name(4), p.quantity, "<= 0 on a short leg");
        p.entry_price = detail::csv_number<Real>(where, name(5), field(5));
        if (p.quantity != Real(0))
            check_positive(where.c_str(), name(5), p.entry_price);
        else
            check_non_negative(where.c_str(), name(5), p.entry_price);
        p.leverage = detail::csv_number<Real>(where, name(6), field(6));
        check_positive(where.c_str(), name(6), p.leverage);
        const std::string_view mode = field(7);
        if (mode == "cross") p.mode = margin_mode::cross;
        else if (mode == "isolated") p.mode = margin_mode::isolated;
        else throw_invalid_argument(where.c_str(), name(7), detail::shown(mode), "cross or isolated");
        p.isolated_margin = detail::csv_number<Real>(where, name(8), field(8));
        check_non_negative(where.c_str(), name(8), p.isolated_margin);
        if (p.mode == margin_mode::cross && p.isolated_margin != Real(0))
            throw_invalid_argument(where.c_str(), name(8), p.isolated_margin, "0 on a cross position");

        auto [s_it, s_new] = symbol_index.try_emplace(std::string(sym), book.symbols.size());
        if (s_new) book.symbols.emplace_back(sym);
        p.symbol = s_it->second;
        auto [a_it, a_new] = account_index.try_emplace(std::string(id), book.accounts.size());
        if (a_new) book.accounts.push_back(book_account<Real>{std::string(id), wallet, {}});
        book_account<Real>& acct = book.accounts[a_it->second];
        if (!(acct.wallet_balance == wallet))
            throw_invalid_argument(where.c_str(), name(1), wallet,
                                   detail::message(acct.wallet_balance, ", the wallet of account ", detail::shown(id),
                                                   " on line ", acct.positions.front().line)
                                       .c_str());
        const auto leg = std::make_tuple(a_it->second, p.symbol, static_cast<int>(p.side));
        const auto [l_it, l_new] = legs.try_emplace(leg, line_no);
        if (!l_new)
            throw_invalid_argument(where.c_str(), name(2), detail::shown(sym),
                                   detail::message("a symbol without a ", to_string(p.side), " leg in account ",
                                                   detail::shown(id), " (one on line ", l_it->second, ")")
                                       .c_str());
        acct.positions.push_back(p);
    }
    if (!have_header) throw_invalid_argument(where.c_str(), "the header", "missing", "the first non-comment line");
    if (book.accounts.empty()) throw_invalid_argument(where.c_str(), "the number of rows", 0, "> 0");
    return book;
}

/// The loaded book as rows for margincall::book (margin/book.hpp): accounts in the loaded
/// order, an account in hedge mode when any of its legs is `long` or `short`; the book's
/// symbol s is `loaded.symbols[s]`, so the host passes its contracts and models in that order.
///     const auto loaded = load_account_book("accounts.csv");
///     const book<linear_contract<>, tier_schedule<>> b(contracts, schedules, to_book_rows(loaded));
template <real_scalar Real>
[[nodiscard]] book_rows<Real> to_book_rows(const account_book<Real>& loaded) {
    book_rows<Real> rows;
    rows.accounts.reserve(loaded.accounts.size());
    for (std::size_t a = 0; a < loaded.accounts.size(); ++a) {
        const auto& acct = loaded.accounts[a];
        const bool hedge = std::any_of(acct.positions.begin(), acct.positions.end(),
                                       [](const book_position<Real>& p) { return p.side != position_side::both; });
        rows.accounts.push_back({acct.wallet_balance, hedge ? position_mode::hedge : position_mode::one_way});
        for (const auto& p : acct.positions)
            rows.positions.push_back({a, p.symbol, p.mode, p.side, p.quantity, p.entry_price, p.leverage, p.isolated_margin});
    }
    return rows;
}

/// parse_account_book on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] account_book<Real> load_account_book(const std::string& path) {
    return parse_account_book<Real>(read_text_file("load_account_book", path), path);
}

/// Checks a loaded book against the host's contracts and margin-rate models, symbol s of the
/// book under contracts[s] and models[s] (the order to_book_rows documents): every open
/// position is valued at its entry price by the per-row kernel, position_margin
/// (margin/position_margin.hpp), so the models' own rules decide, not a copy of them (a
/// tier_schedule refuses a leverage outside [1, max leverage] and a notional that is not
/// finite), and every figure it gives must be finite. A refusal is re-thrown with the source
/// and the line in front of the model's own message.
/// \throws invalid_argument for fewer contracts or models than symbols, or the first position
///         the kernel refuses or values to a non-finite figure
template <class Contract, class Model, real_scalar Real>
void check_account_book(const account_book<Real>& loaded, std::span<const Contract> contracts,
                        std::span<const Model> models, std::string_view source = "<memory>") {
    const std::string where = detail::message("check_account_book(", std::string(source), ")");
    if (contracts.size() < loaded.symbols.size())
        throw_invalid_argument(where.c_str(), "the number of contracts", contracts.size(),
                               detail::message(">= ", loaded.symbols.size(), ", the number of symbols").c_str());
    if (models.size() < loaded.symbols.size())
        throw_invalid_argument(where.c_str(), "the number of models", models.size(),
                               detail::message(">= ", loaded.symbols.size(), ", the number of symbols").c_str());
    for (const auto& acct : loaded.accounts)
        for (const auto& p : acct.positions) {
            if (p.quantity == Real(0)) continue;
            const std::string at = detail::message("line ", p.line, " (symbol ", loaded.symbols[p.symbol], ")");
            position_figures<Real> f;
            try {
                f = position_margin(contracts[p.symbol], models[p.symbol], p.quantity, p.entry_price, p.leverage,
                                    p.entry_price);
            } catch (const invalid_argument& e) {
                throw invalid_argument(detail::message(where, ": ", at, ": ", e.what()));
            }
            if (!detail::is_finite(f.notional) || !detail::is_finite(f.initial_margin) ||
                !detail::is_finite(f.maintenance_margin))
                throw_invalid_argument(where.c_str(), detail::message(at, ", the notional at entry"), f.notional,
                                       "finite, with finite margins (quantity and entry_price too large)");
        }
}

/// load_account_book, then check_account_book against the host's contracts and models.
template <real_scalar Real = double, class Contract, class Model>
[[nodiscard]] account_book<Real> load_account_book(const std::string& path, std::span<const Contract> contracts,
                                                   std::span<const Model> models) {
    account_book<Real> loaded = load_account_book<Real>(path);
    check_account_book(loaded, contracts, models, path);
    return loaded;
}

}  // namespace margincall
