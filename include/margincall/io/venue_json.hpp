#pragma once
/// \file
/// Tier and margin parameters from the public answers of five venues, as the API returns them:
/// Bybit v5 risk limits, OKX position tiers, Hyperliquid margin tables, dYdX v4 perpetual
/// markets and Deribit instruments. Each is mapped to the library's margin models
/// (tier_schedule, open_interest_scaled, linear_size_rate); docs/io.md "Venue answers" lists
/// every field used, its meaning and its source.
///
/// Sources (the answers' shapes and field meanings): Bybit API v5 "Get Risk Limit"
/// (https://bybit-exchange.github.io/docs/v5/market/risk-limit); OKX API v5 "Get position tiers"
/// (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers); Hyperliquid
/// "Info endpoint > Perpetuals" and "Margin tiers" (https://hyperliquid.gitbook.io/hyperliquid-docs);
/// dYdX v4 indexer "Get Perpetual Markets" (https://docs.dydx.xyz) and the protocol's
/// liquidity_tier.go (open_interest_scaled.hpp); Deribit API "public/get_instruments"
/// (https://docs.deribit.com) and Deribit's futures margin table (linear_size_rate.hpp).
///
/// Optional part: needs nlohmann-json (CMake target margincall::io). Venues send numbers as
/// decimal strings ("0.005"); both strings and JSON numbers are accepted, parsed in full.
/// Every error names the function, the source, the JSON pointer of the field and its row.

#if __has_include(<nlohmann/json.hpp>)

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/io/bracket_json.hpp>
#include <margincall/io/text_file.hpp>
#include <margincall/tiers/linear_size_rate.hpp>
#include <margincall/tiers/open_interest_scaled.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace margincall {

namespace detail {

/// A number sent as a decimal string or a JSON number, parsed in full and finite.
template <real_scalar Real>
Real venue_number(const std::string& where, const nlohmann::json& v, const std::string& path) {
    if (v.is_number()) return number<Real>(where, v, path);
    if (!v.is_string())
        throw_invalid_argument(where.c_str(), path, detail::message("a ", json_kind(v), " (", v.dump(), ")"),
                               "a number or a decimal string");
    const std::string& s = v.template get_ref<const std::string&>();
    double x = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(x))
        throw_invalid_argument(where.c_str(), path, v.dump(), "a finite decimal number");
    return static_cast<Real>(x);
}

/// A string member.
inline std::string string_member(const std::string& where, const nlohmann::json& object, const std::string& path,
                                 const char* name) {
    const nlohmann::json& v = member(where, object, path, name);
    if (!v.is_string())
        throw_invalid_argument(where.c_str(), detail::message(path, "/", name), detail::message("a ", json_kind(v)),
                               "a string");
    return v.template get<std::string>();
}

/// The member `name` of an object that must be an object (a response envelope's `result`).
inline const nlohmann::json& object_member(const std::string& where, const nlohmann::json& v, const std::string& path,
                                           const char* name) {
    return object(where, member(where, object(where, v, path.empty() ? "(root)" : path), path, name),
                  detail::message(path, "/", name));
}

/// Rows of one symbol in arrival order, grouped by first appearance.
struct venue_group {
    std::string symbol;
    std::vector<std::size_t> rows;
};

inline std::vector<venue_group> group_rows(const std::vector<std::string>& symbols) {
    std::vector<venue_group> groups;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const auto [it, fresh] = index.emplace(symbols[i], groups.size());
        if (fresh) groups.push_back({symbols[i], {}});
        groups[it->second].rows.push_back(i);
    }
    return groups;
}

}  // namespace detail

/// How a Bybit answer writes its rates: the live v5 API sends fractions ("0.005"); the example
/// answer printed in Bybit's own documentation (inverse BTCUSD, "maintenanceMargin": "0.5",
/// "initialMargin": "1" at 100x) prints percent.
enum class rate_unit { fraction, percent };

/// Schedules from a Bybit v5 `GET /v5/market/risk-limit` answer
/// ({"retCode", "result": {"category", "list": [{id, symbol, riskLimitValue, maintenanceMargin,
/// initialMargin, isLowestRisk, maxLeverage, mmDeduction}]}}), one per symbol in order of first
/// appearance. Tier i spans [riskLimitValue_{i−1}, riskLimitValue_i) of position value (USDT /
/// USDC for linear, coin for inverse), tiers sorted by riskLimitValue; `mmDeduction` (empty on
/// the first tier) is the maintenance amount, checked by tier_schedule against the continuity
/// recursion; `initialMargin` must be 1 / maxLeverage within 0.5 % (it catches a unit mix-up).
/// \throws invalid_argument naming source, JSON pointer and field for anything malformed
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> parse_bybit_risk_limits(std::string_view text,
                                                                        std::string_view source = "<memory>",
                                                                        rate_unit unit = rate_unit::fraction) {
    const std::string where = detail::message("parse_bybit_risk_limits(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    if (const auto code = doc.find("retCode"); code != doc.end() && !(code->is_number() && *code == 0))
        throw_invalid_argument(where.c_str(), "/retCode", code->dump(), "0 (an error answer carries no tiers)");
    const nlohmann::json& result = detail::object_member(where, doc, "", "result");
    const nlohmann::json& list = detail::array(where, detail::member(where, result, "/result", "list"), "/result/list");
    if (list.empty()) throw_invalid_argument(where.c_str(), "/result/list", "empty", "a non-empty array");
    const Real scale = unit == rate_unit::percent ? Real(100) : Real(1);
    struct row {
        Real cap, mmr, imr, leverage;
        std::optional<Real> deduction;
        std::string path;
    };
    std::vector<row> rows;
    std::vector<std::string> symbols;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = detail::message("/result/list/", i);
        const nlohmann::json& r = detail::object(where, list[i], p);
        symbols.push_back(detail::string_member(where, r, p, "symbol"));
        row x{};
        x.path = p;
        x.cap = detail::venue_number<Real>(where, detail::member(where, r, p, "riskLimitValue"), p + "/riskLimitValue");
        x.mmr = detail::venue_number<Real>(where, detail::member(where, r, p, "maintenanceMargin"),
                                           p + "/maintenanceMargin") / scale;
        x.imr = detail::venue_number<Real>(where, detail::member(where, r, p, "initialMargin"), p + "/initialMargin") /
                scale;
        x.leverage = detail::venue_number<Real>(where, detail::member(where, r, p, "maxLeverage"), p + "/maxLeverage");
        if (!(x.leverage >= Real(1)))
            throw_invalid_argument(where.c_str(), p + "/maxLeverage", x.leverage, ">= 1");
        // Bybit rounds maxLeverage to 2 decimals (57.14 for 1.75 %): 0.5 % leaves room for that.
        const Real implied = Real(1) / x.leverage;
        if (!(std::abs(x.imr - implied) <= Real(0.005) * implied))
            throw_invalid_argument(
                where.c_str(), p + "/initialMargin", x.imr,
                detail::message(implied, " = 1 / maxLeverage (within 0.5 %); rates are ",
                                unit == rate_unit::fraction ? "read as fractions" : "read as percent",
                                ", is the rate_unit right?")
                    .c_str());
        if (const auto d = r.find("mmDeduction"); d != r.end() && !(d->is_string() && d->get_ref<const std::string&>().empty()))
            x.deduction = detail::venue_number<Real>(where, *d, p + "/mmDeduction");
        rows.push_back(std::move(x));
    }
    std::vector<named_schedule<Real>> out;
    for (auto& g : detail::group_rows(symbols)) {
        std::stable_sort(g.rows.begin(), g.rows.end(), [&](std::size_t a, std::size_t b) { return rows[a].cap < rows[b].cap; });
        std::vector<bracket<Real>> brackets;
        Real floor(0);
        for (const std::size_t i : g.rows) {
            const row& x = rows[i];
            if (!(x.cap > floor))
                throw_invalid_argument(where.c_str(), x.path + "/riskLimitValue", x.cap,
                                       detail::message("> ", floor, ", the riskLimitValue below it for ", g.symbol,
                                                       " (each tier's limit once)")
                                           .c_str());
            brackets.push_back({floor, x.cap, x.leverage, x.mmr, x.deduction});
            floor = x.cap;
        }
        out.push_back({g.symbol, detail::build_schedule(where, detail::message("/result/list (", g.symbol, ")"),
                                                        std::move(brackets), tier_basis::notional)});
    }
    return out;
}

/// parse_bybit_risk_limits on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> load_bybit_risk_limits(const std::string& path,
                                                                       rate_unit unit = rate_unit::fraction) {
    return parse_bybit_risk_limits<Real>(read_text_file("load_bybit_risk_limits", path), path, unit);
}

/// Schedules from an OKX `GET /api/v5/public/position-tiers` answer ({"code": "0", "data":
/// [{uly, instFamily, instId, tier, minSz, maxSz, mmr, imr, maxLever, ...}]}), one per
/// instrument family (instFamily, else uly, else instId) in order of first appearance, in
/// tier_basis::quantity (OKX counts contracts for SWAP/FUTURES, the base currency for MARGIN).
/// OKX tiers hold whole contracts: [minSz, maxSz] with the next minSz = maxSz + 1 (or = maxSz);
/// the schedule's tier i is [minSz_i, minSz_{i+1}), so maxSz counts in tier i as OKX has it.
/// MM = position value × mmr of the size's tier (no deduction); `imr` is read and must lie in
/// (mmr, 1]; leverage is `maxLever`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> parse_okx_position_tiers(std::string_view text,
                                                                         std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_okx_position_tiers(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    detail::object(where, doc, "(root)");
    if (const auto code = doc.find("code"); code != doc.end() && !(*code == "0" || *code == 0))
        throw_invalid_argument(where.c_str(), "/code", code->dump(), "\"0\" (an error answer carries no tiers)");
    const nlohmann::json& data = detail::array(where, detail::member(where, doc, "", "data"), "/data");
    if (data.empty()) throw_invalid_argument(where.c_str(), "/data", "empty", "a non-empty array");
    struct row {
        Real tier, min, max, mmr, leverage;
        std::string path;
    };
    std::vector<row> rows;
    std::vector<std::string> families;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const std::string p = detail::message("/data/", i);
        const nlohmann::json& r = detail::object(where, data[i], p);
        std::string family;
        for (const char* key : {"instFamily", "uly", "instId"})
            if (family.empty() && r.contains(key)) family = detail::string_member(where, r, p, key);
        if (family.empty())
            throw_invalid_argument(where.c_str(), p + "/instFamily", "missing or empty (and uly, instId too)",
                                   "the instrument family the tier belongs to");
        families.push_back(family);
        row x{};
        x.path = p;
        x.tier = detail::venue_number<Real>(where, detail::member(where, r, p, "tier"), p + "/tier");
        x.min = detail::venue_number<Real>(where, detail::member(where, r, p, "minSz"), p + "/minSz");
        x.max = detail::venue_number<Real>(where, detail::member(where, r, p, "maxSz"), p + "/maxSz");
        x.mmr = detail::venue_number<Real>(where, detail::member(where, r, p, "mmr"), p + "/mmr");
        const Real imr = detail::venue_number<Real>(where, detail::member(where, r, p, "imr"), p + "/imr");
        if (!(imr > x.mmr && imr <= Real(1)))
            throw_invalid_argument(where.c_str(), p + "/imr", imr,
                                   detail::message("in (", x.mmr, ", 1], above the tier's mmr").c_str());
        x.leverage = detail::venue_number<Real>(where, detail::member(where, r, p, "maxLever"), p + "/maxLever");
        rows.push_back(std::move(x));
    }
    std::vector<named_schedule<Real>> out;
    for (auto& g : detail::group_rows(families)) {
        std::stable_sort(g.rows.begin(), g.rows.end(), [&](std::size_t a, std::size_t b) { return rows[a].tier < rows[b].tier; });
        std::vector<bracket<Real>> brackets;
        for (std::size_t k = 0; k < g.rows.size(); ++k) {
            const row& x = rows[g.rows[k]];
            if (!(x.tier == static_cast<Real>(k + 1)))
                throw_invalid_argument(where.c_str(), x.path + "/tier", x.tier,
                                       detail::message(k + 1, " (tiers of ", g.symbol, " numbered from 1)").c_str());
            if (!(x.max > x.min))
                throw_invalid_argument(where.c_str(), x.path + "/maxSz", x.max,
                                       detail::message("> ", x.min, ", the tier's minSz").c_str());
            Real cap = std::numeric_limits<Real>::infinity();
            if (k + 1 < g.rows.size()) {
                const row& next = rows[g.rows[k + 1]];
                if (!(next.min >= x.max && next.min <= x.max + Real(1)))
                    throw_invalid_argument(
                        where.c_str(), next.path + "/minSz", next.min,
                        detail::message(x.max, " or ", x.max + Real(1), ", the maxSz of tier ", k + 1,
                                        " (or one contract above it)")
                            .c_str());
                cap = next.min;
            } else {
                cap = x.max;
            }
            brackets.push_back({x.min, cap, x.leverage, x.mmr, std::nullopt});
        }
        out.push_back({g.symbol, detail::build_schedule(where, detail::message("/data (", g.symbol, ")"),
                                                        std::move(brackets), tier_basis::quantity)});
    }
    return out;
}

/// parse_okx_position_tiers on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> load_okx_position_tiers(const std::string& path) {
    return parse_okx_position_tiers<Real>(read_text_file("load_okx_position_tiers", path), path);
}

namespace detail {

/// One Hyperliquid margin table ({description, marginTiers: [{lowerBound, maxLeverage}]}) as a
/// notional schedule: MMR = 1 / (2 × maxLeverage), maintenance deduction by continuity.
template <real_scalar Real>
tier_schedule<Real> hyperliquid_table(const std::string& where, const nlohmann::json& table, const std::string& path) {
    object(where, table, path);
    const std::string tp = path + "/marginTiers";
    const nlohmann::json& tiers = array(where, member(where, table, path, "marginTiers"), tp);
    if (tiers.empty()) throw_invalid_argument(where.c_str(), tp, "empty", "a non-empty array");
    std::vector<bracket<Real>> brackets;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        const std::string p = detail::message(tp, "/", i);
        const nlohmann::json& t = object(where, tiers[i], p);
        const Real lower = venue_number<Real>(where, member(where, t, p, "lowerBound"), p + "/lowerBound");
        const Real leverage = venue_number<Real>(where, member(where, t, p, "maxLeverage"), p + "/maxLeverage");
        if (!(leverage >= Real(1))) throw_invalid_argument(where.c_str(), p + "/maxLeverage", leverage, ">= 1");
        if (!brackets.empty()) {
            if (!(lower > brackets.back().floor))
                throw_invalid_argument(where.c_str(), p + "/lowerBound", lower,
                                       detail::message("> ", brackets.back().floor, ", the lowerBound of tier ", i).c_str());
            brackets.back().cap = lower;
        }
        brackets.push_back({lower, std::numeric_limits<Real>::infinity(), leverage, Real(1) / (Real(2) * leverage),
                            std::nullopt});
    }
    return build_schedule(where, tp, std::move(brackets), tier_basis::notional);
}

/// A single Hyperliquid tier at `leverage` for any size (MMR = 1 / (2 × leverage)).
template <real_scalar Real>
tier_schedule<Real> hyperliquid_flat(const std::string& where, const std::string& path, Real leverage) {
    std::vector<bracket<Real>> one{
        {Real(0), std::numeric_limits<Real>::infinity(), leverage, Real(1) / (Real(2) * leverage), std::nullopt}};
    return build_schedule(where, path, std::move(one), tier_basis::notional);
}

}  // namespace detail

/// A schedule from Hyperliquid's `POST /info {"type": "marginTable", "id": n}` answer
/// ({"description", "marginTiers": [{"lowerBound", "maxLeverage"}]}). Tier i spans
/// [lowerBound_i, lowerBound_{i+1}) of position value (USDC), the last is open-ended;
/// MMR = 1 / (2 × maxLeverage) and the maintenance deduction keeps MM continuous:
/// deduction_n = deduction_{n−1} + lowerBound_n × (MMR_n − MMR_{n−1}) (Hyperliquid docs,
/// "Margin tiers", https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers).
/// The symbol is the table's description.
template <real_scalar Real = double>
[[nodiscard]] named_schedule<Real> parse_hyperliquid_margin_table(std::string_view text,
                                                                  std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_hyperliquid_margin_table(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    detail::object(where, doc, "(root)");
    std::string description;
    if (doc.contains("description")) description = detail::string_member(where, doc, "", "description");
    return {std::move(description), detail::hyperliquid_table<Real>(where, doc, "")};
}

/// Schedules of every asset of Hyperliquid's `POST /info {"type": "meta"}` answer
/// ({"universe": [{name, szDecimals, maxLeverage, marginTableId?, ...}], "marginTables":
/// [[id, {description, marginTiers}]]}), in universe order. An asset with a marginTableId uses
/// that listed table; an unlisted id below 50 is one tier at leverage = id (Hyperliquid docs,
/// "Margin tiers"); any other unlisted id is an error. An asset without an id has one tier at
/// its maxLeverage. Delisted assets are kept (their tiers still margin open positions).
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> parse_hyperliquid_meta(std::string_view text,
                                                                       std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_hyperliquid_meta(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    detail::object(where, doc, "(root)");
    std::map<long long, std::size_t> table_index;
    std::vector<tier_schedule<Real>> tables;
    if (doc.contains("marginTables")) {
        const nlohmann::json& list = detail::array(where, doc.at("marginTables"), "/marginTables");
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string p = detail::message("/marginTables/", i);
            const nlohmann::json& pair = detail::array(where, list[i], p);
            if (pair.size() != 2 || !pair[0].is_number_integer())
                throw_invalid_argument(where.c_str(), p, pair.dump(), "a pair [integer id, table]");
            const long long id = pair[0].template get<long long>();
            if (!table_index.emplace(id, tables.size()).second)
                throw_invalid_argument(where.c_str(), p + "/0", id, "an id not listed before");
            tables.push_back(detail::hyperliquid_table<Real>(where, pair[1], p + "/1"));
        }
    }
    const nlohmann::json& universe = detail::array(where, detail::member(where, doc, "", "universe"), "/universe");
    if (universe.empty()) throw_invalid_argument(where.c_str(), "/universe", "empty", "a non-empty array");
    std::vector<named_schedule<Real>> out;
    for (std::size_t i = 0; i < universe.size(); ++i) {
        const std::string p = detail::message("/universe/", i);
        const nlohmann::json& a = detail::object(where, universe[i], p);
        std::string name = detail::string_member(where, a, p, "name");
        const Real leverage = detail::venue_number<Real>(where, detail::member(where, a, p, "maxLeverage"), p + "/maxLeverage");
        if (const auto t = a.find("marginTableId"); t != a.end()) {
            if (!t->is_number_integer())
                throw_invalid_argument(where.c_str(), p + "/marginTableId", t->dump(), "an integer");
            const long long id = t->template get<long long>();
            if (const auto it = table_index.find(id); it != table_index.end()) {
                out.push_back({std::move(name), tables[it->second]});
                continue;
            }
            // "For IDs less than 50, there is a single tier with max leverage equal to the ID."
            if (!(id >= 1 && id < 50))
                throw_invalid_argument(where.c_str(), p + "/marginTableId", t->dump(),
                                       "an id listed in /marginTables (or in [1, 50): one tier at that leverage)");
            out.push_back({std::move(name), detail::hyperliquid_flat(where, p, static_cast<Real>(id))});
        } else {
            if (!(leverage >= Real(1))) throw_invalid_argument(where.c_str(), p + "/maxLeverage", leverage, ">= 1");
            out.push_back({std::move(name), detail::hyperliquid_flat(where, p, leverage)});
        }
    }
    return out;
}

/// parse_hyperliquid_meta on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<named_schedule<Real>> load_hyperliquid_meta(const std::string& path) {
    return parse_hyperliquid_meta<Real>(read_text_file("load_hyperliquid_meta", path), path);
}

/// One dYdX v4 market: its margin model at the answer's open interest, and the prices it used.
template <real_scalar Real = double>
struct dydx_market {
    std::string ticker;
    open_interest_scaled<Real> model;
    Real oracle_price;
    Real open_interest;  ///< base units, as the indexer sends it
};

/// Markets of a dYdX v4 indexer `GET /v4/perpetualMarkets` answer ({"markets": {ticker:
/// {initialMarginFraction, maintenanceMarginFraction, openInterest, oraclePrice,
/// openInterestLowerCap, openInterestUpperCap, ...}}}), in the answer's key order (sorted).
/// Mapping to open_interest_scaled: base_imf = initialMarginFraction, maintenance_fraction =
/// maintenanceMarginFraction / initialMarginFraction, caps in USDC, upper cap 0 = no scaling
/// (+∞), market open notional = openInterest × oraclePrice.
template <real_scalar Real = double>
[[nodiscard]] std::vector<dydx_market<Real>> parse_dydx_perpetual_markets(std::string_view text,
                                                                          std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_dydx_perpetual_markets(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    const nlohmann::json& markets = detail::object_member(where, doc, "", "markets");
    if (markets.empty()) throw_invalid_argument(where.c_str(), "/markets", "empty", "a non-empty object");
    std::vector<dydx_market<Real>> out;
    for (const auto& item : markets.items()) {
        const std::string ticker = item.key();
        const nlohmann::json& m = item.value();
        const std::string p = "/markets/" + ticker;
        detail::object(where, m, p);
        const auto field = [&](const char* name) {
            return detail::venue_number<Real>(where, detail::member(where, m, p, name), detail::message(p, "/", name));
        };
        const Real imf = field("initialMarginFraction"), mmf = field("maintenanceMarginFraction");
        const Real lower = field("openInterestLowerCap"), upper_raw = field("openInterestUpperCap");
        const Real oi = field("openInterest"), oracle = field("oraclePrice");
        if (!(imf > Real(0) && imf <= Real(1)))
            throw_invalid_argument(where.c_str(), p + "/initialMarginFraction", imf, "in (0, 1]");
        if (!(mmf > Real(0) && mmf < imf))
            throw_invalid_argument(where.c_str(), p + "/maintenanceMarginFraction", mmf,
                                   detail::message("in (0, ", imf, "), below initialMarginFraction").c_str());
        check_non_negative(where.c_str(), p + "/openInterest", oi);
        check_non_negative(where.c_str(), p + "/oraclePrice", oracle);
        const Real upper = upper_raw == Real(0) ? std::numeric_limits<Real>::infinity() : upper_raw;
        if (!(lower >= Real(0))) throw_invalid_argument(where.c_str(), p + "/openInterestLowerCap", lower, ">= 0");
        if (!(upper >= lower))
            throw_invalid_argument(where.c_str(), p + "/openInterestUpperCap", upper_raw,
                                   detail::message(">= ", lower, ", the openInterestLowerCap (or 0: no scaling)").c_str());
        out.push_back({ticker, open_interest_scaled<Real>(imf, mmf / imf, lower, upper, oi * oracle), oracle, oi});
    }
    return out;
}

/// parse_dydx_perpetual_markets on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<dydx_market<Real>> load_dydx_perpetual_markets(const std::string& path) {
    return parse_dydx_perpetual_markets<Real>(read_text_file("load_dydx_perpetual_markets", path), path);
}

/// A Deribit future from `public/get_instruments`: the fields the margin model needs.
template <real_scalar Real = double>
struct deribit_future {
    std::string instrument_name;
    bool inverse;        ///< instrument_type "reversed" (coin-settled, USD contracts)
    Real contract_size;  ///< USD per contract (inverse) or base units (linear)
    Real max_leverage;
    /// Deribit's size-dependent margin: IMR = 1/max_leverage + slope × size, MMR = half the base
    /// IMR + slope × size, size in base currency; `slope` per currency from Deribit's published
    /// table (BTC 0.005 % = 0.00005, ETH 0.0004 % — docs/tiers.md, linear_size_rate).
    [[nodiscard]] linear_size_rate<Real> margin(Real slope) const {
        const Real initial = Real(1) / max_leverage;
        return linear_size_rate<Real>(initial, initial / Real(2), slope);
    }
};

/// Futures of a Deribit `public/get_instruments` answer ({"jsonrpc", "result": [{instrument_name,
/// kind, instrument_type, contract_size, max_leverage, ...}]}); entries of another kind
/// (option, spot, combos) are skipped.
template <real_scalar Real = double>
[[nodiscard]] std::vector<deribit_future<Real>> parse_deribit_instruments(std::string_view text,
                                                                          std::string_view source = "<memory>") {
    const std::string where = detail::message("parse_deribit_instruments(", std::string(source), ")");
    const nlohmann::json doc = detail::parse_json(where, text);
    detail::object(where, doc, "(root)");
    if (doc.contains("error")) throw_invalid_argument(where.c_str(), "/error", doc.at("error").dump(), "absent");
    const nlohmann::json& result = detail::array(where, detail::member(where, doc, "", "result"), "/result");
    std::vector<deribit_future<Real>> out;
    for (std::size_t i = 0; i < result.size(); ++i) {
        const std::string p = detail::message("/result/", i);
        const nlohmann::json& r = detail::object(where, result[i], p);
        if (detail::string_member(where, r, p, "kind") != "future") continue;
        deribit_future<Real> f{};
        f.instrument_name = detail::string_member(where, r, p, "instrument_name");
        const std::string type = detail::string_member(where, r, p, "instrument_type");
        if (type != "reversed" && type != "linear")
            throw_invalid_argument(where.c_str(), p + "/instrument_type", nlohmann::json(type).dump(),
                                   "\"reversed\" or \"linear\"");
        f.inverse = type == "reversed";
        f.contract_size = detail::venue_number<Real>(where, detail::member(where, r, p, "contract_size"), p + "/contract_size");
        if (!(f.contract_size > Real(0))) throw_invalid_argument(where.c_str(), p + "/contract_size", f.contract_size, "> 0");
        f.max_leverage = detail::venue_number<Real>(where, detail::member(where, r, p, "max_leverage"), p + "/max_leverage");
        if (!(f.max_leverage >= Real(2)))
            throw_invalid_argument(where.c_str(), p + "/max_leverage", f.max_leverage, ">= 2 (IMR 1/max_leverage <= 50 %)");
        out.push_back(std::move(f));
    }
    if (out.empty()) throw_invalid_argument(where.c_str(), "/result", "without futures", "at least one kind \"future\"");
    return out;
}

/// parse_deribit_instruments on the contents of the file `path`.
template <real_scalar Real = double>
[[nodiscard]] std::vector<deribit_future<Real>> load_deribit_instruments(const std::string& path) {
    return parse_deribit_instruments<Real>(read_text_file("load_deribit_instruments", path), path);
}

}  // namespace margincall

#endif  // __has_include(<nlohmann/json.hpp>)
