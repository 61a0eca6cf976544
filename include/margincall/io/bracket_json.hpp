#pragma once
/// \file
/// Tier schedules from JSON: the answer of Binance's leverage-bracket endpoints (USDⓈ-M
/// GET /fapi/v1/leverageBracket: bracket, initialLeverage, notionalCap, notionalFloor,
/// maintMarginRatio, cum; COIN-M GET /dapi/v1/leverageBracket: qtyCap, qtyFloor in place of
/// the notional bounds) and margincall's documented generic form (docs/io.md).
///
/// Optional part: needs nlohmann-json (Debian nlohmann-json3-dev; CMake target margincall::io).
/// Without it this header is empty, so the rest of the library never depends on it.
///
/// Every error names the source (file name), the JSON location (a JSON pointer, or the line and
/// byte of a syntax error) and the field, in the library's shape; a loader returns complete,
/// validated schedules or throws — never a partial result.

#if __has_include(<nlohmann/json.hpp>)

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/io/text_file.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace margincall {

/// A schedule with the symbol (or pair) it belongs to.
template <real_scalar Real = double>
struct named_schedule {
    std::string symbol;
    tier_schedule<Real> schedule;
};

namespace detail {

/// Deepest JSON nesting the loaders accept; the formats need 4 levels.
inline constexpr int max_json_depth = 16;

/// Parses `text`, turning nlohmann's errors into invalid_argument with the line and byte.
inline nlohmann::json parse_json(const std::string& where, std::string_view text) {
    // One set of keys per open object: a repeated key is refused (RFC 8259 §4 leaves its
    // meaning to the parser; nlohmann keeps the last silently, so a table could lose a field).
    std::vector<std::set<std::string, std::less<>>> keys;
    const auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using event_t = nlohmann::json::parse_event_t;
        if (depth > max_json_depth)
            throw_invalid_argument(where.c_str(), "the JSON nesting depth", depth,
                                   detail::message("<= ", max_json_depth).c_str());
        if (event == event_t::object_start) {
            keys.emplace_back();
        } else if (event == event_t::object_end) {
            if (!keys.empty()) keys.pop_back();
        } else if (event == event_t::key && !keys.empty()) {
            const auto& key = parsed.get_ref<const std::string&>();
            if (!keys.back().insert(key).second)
                throw_invalid_argument(where.c_str(), detail::message("the JSON key ", shown(key)),
                                       "repeated in one object", "unique within its object");
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text.begin(), text.end(), callback);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann counts bytes from 1; report the line and the column within it.
        const std::size_t byte = e.byte == 0 ? 0 : e.byte - 1;
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
            column = text[i] == '\n' ? 1 : column + 1;
            line += text[i] == '\n';
        }
        throw_invalid_argument(where.c_str(), detail::message("the JSON text at line ", line, ", column ", column),
                               "malformed", "valid JSON");
    } catch (const nlohmann::json::exception& e) {
        throw_invalid_argument(where.c_str(), "the JSON text", e.what(), "valid JSON");
    }
}

inline std::string json_kind(const nlohmann::json& v) { return v.type_name(); }

/// A required member of an object, by JSON pointer `path`.
inline const nlohmann::json& member(const std::string& where, const nlohmann::json& object, const std::string& path,
                                    const char* name) {
    const auto it = object.find(name);
    if (it == object.end())
        throw_invalid_argument(where.c_str(), detail::message(path, "/", name), "missing", "present");
    return *it;
}

/// A number field (JSON number; finite after conversion).
template <real_scalar Real>
Real number(const std::string& where, const nlohmann::json& v, const std::string& path) {
    if (!v.is_number())
        throw_invalid_argument(where.c_str(), path, detail::message("a ", json_kind(v), " (", v.dump(), ")"),
                               "a number");
    const auto x = static_cast<Real>(v.get<double>());
    check_finite(where.c_str(), path, x);
    return x;
}

/// An array field.
inline const nlohmann::json& array(const std::string& where, const nlohmann::json& v, const std::string& path) {
    if (!v.is_array()) throw_invalid_argument(where.c_str(), path, detail::message("a ", json_kind(v)), "an array");
    return v;
}

/// An object.
inline const nlohmann::json& object(const std::string& where, const nlohmann::json& v, const std::string& path) {
    if (!v.is_object()) throw_invalid_argument(where.c_str(), path, detail::message("a ", json_kind(v)), "an object");
    return v;
}

/// Builds the schedule, re-throwing its validation error prefixed with the source and path.
template <real_scalar Real>
tier_schedule<Real> build_schedule(const std::string& where, const std::string& path,
                                   std::vector<bracket<Real>> brackets, tier_basis basis) {
    try {
        return tier_schedule<Real>(std::move(brackets), basis);
    } catch (const invalid_argument& e) {
        throw invalid_argument(detail::message(where, ": ", path, ": ", e.what()));
    }
}

template <real_scalar Real>
named_schedule<Real> binance_symbol(const std::string& where, const nlohmann::json& entry, const std::string& path) {
    object(where, entry, path);
    std::string symbol;
    const auto s = entry.find("symbol") != entry.end() ? entry.find("symbol") : entry.find("pair");
    if (s == entry.end())
        throw_invalid_argument(where.c_str(), detail::message(path, "/symbol"), "missing",
                               "present (\"symbol\" for USD-M, \"pair\" for COIN-M)");
    if (!s->is_string())
        throw_invalid_argument(where.c_str(), detail::message(path, "/", s.key()), detail::message("a ", json_kind(*s)),
                               "a string");
    symbol = s->template get<std::string>();
    const std::string bpath = path + "/brackets";
    const nlohmann::json& list = array(where, member(where, entry, path, "brackets"), bpath);
    if (list.empty()) throw_invalid_argument(where.c_str(), bpath, "empty", "a non-empty array");
    // USDⓈ-M bounds are notionalFloor / notionalCap; COIN-M's qtyFloor / qtyCap count the
    // position's value in coin, the notional of an inverse contract (tier_basis::notional).
    const bool coin = object(where, list.front(), bpath + "/0").contains("qtyCap");
    const char* cap_name = coin ? "qtyCap" : "notionalCap";
    std::vector<bracket<Real>> brackets;
    brackets.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = detail::message(bpath, "/", i);
        const nlohmann::json& b = object(where, list[i], p);
        const Real number_field = number<Real>(where, member(where, b, p, "bracket"), p + "/bracket");
        if (!(number_field == static_cast<Real>(i + 1)))
            throw_invalid_argument(where.c_str(), p + "/bracket", number_field,
                                   detail::message(i + 1, " (brackets numbered from 1, in order)").c_str());
        bracket<Real> r{};
        // Binance's COIN-M documentation spells the floor "qtylFloor"; client libraries and
        // answers use "qtyFloor". Either is taken, both at once is ambiguous.
        const char* floor_name = "notionalFloor";
        if (coin) {
            const bool plain = b.contains("qtyFloor"), typo = b.contains("qtylFloor");
            if (plain && typo)
                throw_invalid_argument(where.c_str(), p + "/qtylFloor", "present beside qtyFloor", "absent (one floor field)");
            floor_name = typo ? "qtylFloor" : "qtyFloor";
        }
        r.floor = number<Real>(where, member(where, b, p, floor_name), detail::message(p, "/", floor_name));
        r.cap = number<Real>(where, member(where, b, p, cap_name), detail::message(p, "/", cap_name));
        r.max_leverage = number<Real>(where, member(where, b, p, "initialLeverage"), p + "/initialLeverage");
        r.maintenance_rate = number<Real>(where, member(where, b, p, "maintMarginRatio"), p + "/maintMarginRatio");
        r.maintenance_amount = number<Real>(where, member(where, b, p, "cum"), p + "/cum");
        brackets.push_back(r);
    }
    return {std::move(symbol), build_schedule(where, bpath, std::move(brackets), tier_basis::notional)};
}

template <real_scalar Real>
named_schedule<Real> generic_schedule(const std::string& where, const nlohmann::json& doc) {
    object(where, doc, "(root)");
    std::string symbol;
    if (const auto s = doc.find("symbol"); s != doc.end()) {
        if (!s->is_string()) throw_invalid_argument(where.c_str(), "/symbol", detail::message("a ", json_kind(*s)), "a string");
        symbol = s->template get<std::string>();
    }
    tier_basis basis = tier_basis::notional;
    if (const auto b = doc.find("basis"); b != doc.end()) {
        if (!b->is_string() || (*b != "notional" && *b != "quantity"))
            throw_invalid_argument(where.c_str(), "/basis", b->dump(), "\"notional\" or \"quantity\"");
        basis = *b == "notional" ? tier_basis::notional : tier_basis::quantity;
    }
    const nlohmann::json& list = array(where, member(where, doc, "", "tiers"), "/tiers");
    if (list.empty()) throw_invalid_argument(where.c_str(), "/tiers", "empty", "a non-empty array");
    std::vector<bracket<Real>> brackets;
    brackets.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = detail::message("/tiers/", i);
        const nlohmann::json& t = object(where, list[i], p);
        bracket<Real> r{};
        r.floor = number<Real>(where, member(where, t, p, "floor"), p + "/floor");
        const nlohmann::json& cap = member(where, t, p, "cap");
        r.cap = cap.is_null() ? std::numeric_limits<Real>::infinity() : number<Real>(where, cap, p + "/cap");
        r.max_leverage = number<Real>(where, member(where, t, p, "max_leverage"), p + "/max_leverage");
        r.maintenance_rate = number<Real>(where, member(where, t, p, "maintenance_rate"), p + "/maintenance_rate");
        if (const auto a = t.find("maintenance_amount"); a != t.end())
            r.maintenance_amount = number<Real>(where, *a, p + "/maintenance_amount");
        brackets.push_back(r);
    }
    return {std::move(symbol), build_schedule(where, "/tiers", std::move(brackets), basis)};
}

}  // namespace detail

/// Schedules from a Binance leverage-bracket answer: an array of {symbol | pair, brackets}
/// (or one such object). `source` names the input in error messages.
/// \throws invalid_argument naming source, JSON path and field on any malformed, missing,
///         mistyped, misnumbered or inconsistent value (tier_schedule's validation included)
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> parse_binance_brackets(std::string_view text,
                                                                       std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_binance_brackets(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    std::vector<named_schedule<Real>> out;
    if (doc.is_object()) {
        out.push_back(detail::binance_symbol<Real>(where, doc, ""));
        return out;
    }
    if (!doc.is_array())
        throw_invalid_argument(where.c_str(), "(root)", detail::message("a ", doc.type_name()), "an array or an object");
    if (doc.empty()) throw_invalid_argument(where.c_str(), "(root)", "empty", "a non-empty array");
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) out.push_back(detail::binance_symbol<Real>(where, doc[i], detail::message("/", i)));
    return out;
}

/// parse_binance_brackets on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> load_binance_brackets(const std::string& path) {
    return parse_binance_brackets<Real>(read_text_file("load_binance_brackets", path), path);
}

/// A schedule in margincall's generic form:
/// {"symbol": "...", "basis": "notional" | "quantity",
///  "tiers": [{"floor", "cap" (null = open-ended), "max_leverage", "maintenance_rate",
///             "maintenance_amount" (optional, checked)}]}
template <real_scalar Real = double>
[[nodiscard]] named_schedule<Real> parse_tier_schedule_json(std::string_view text, std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_tier_schedule_json(", std::string(source), ")");
    return detail::generic_schedule<Real>(where, detail::parse_json(where, text));
}

/// parse_tier_schedule_json on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] named_schedule<Real> load_tier_schedule_json(const std::string& path) {
    return parse_tier_schedule_json<Real>(read_text_file("load_tier_schedule_json", path), path);
}

}  // namespace margincall

#endif  // __has_include(<nlohmann/json.hpp>)
