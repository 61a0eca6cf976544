#pragma once
/// \file
/// Report tables (io/report_table.hpp) as JSON: an array with one object per row, keyed by
/// column name, numbers as JSON numbers (non-finite ones as the strings "inf", "-inf", "nan":
/// JSON has no such numbers), counts as integers, text as strings. And a tier schedule
/// written in the generic form parse_tier_schedule_json reads.
///
/// Optional part: needs nlohmann-json (CMake target margincall::io), like bracket_json.hpp.

#if __has_include(<nlohmann/json.hpp>)

#include <margincall/core/error.hpp>
#include <margincall/io/bracket_json.hpp>
#include <margincall/io/report_csv.hpp>
#include <margincall/io/report_table.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <ostream>
#include <string>
#include <variant>

namespace margincall {

/// One JSON object per row, keys in column order: [{"column": value, ...}, ...].
[[nodiscard]] inline nlohmann::ordered_json to_json(const report_table& table) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& row : table.rows) {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < row.size(); ++c) {
            const report_value& v = row[c];
            if (const auto* d = std::get_if<double>(&v))
                object[table.columns[c]] = std::isfinite(*d) ? nlohmann::ordered_json(*d) : nlohmann::ordered_json(detail::format_number(*d));
            else if (const auto* n = std::get_if<std::uint64_t>(&v))
                object[table.columns[c]] = *n;
            else
                object[table.columns[c]] = std::get<std::string>(v);
        }
        rows.push_back(std::move(object));
    }
    return rows;
}

/// Writes to_json(table) to `out`, indented by `indent` spaces (−1: one line).
inline void write_json(std::ostream& out, const report_table& table, int indent = 2) {
    out << to_json(table).dump(indent) << '\n';
}

/// Writes `table` as JSON to the file `path` (replacing it).
/// \throws invalid_argument naming the file when it cannot be written
inline void save_json(const std::string& path, const report_table& table, int indent = 2) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw_invalid_argument("save_json", "the file", path, "a writable file");
    write_json(out, table, indent);
    out.flush();
    if (!out) throw_invalid_argument("save_json", "the file", path, "a writable file");
}

/// A schedule in margincall's generic JSON form (docs/io.md, "Generic schedule form"): the
/// text parse_tier_schedule_json reads back into the same schedule (an open-ended last tier's
/// cap is null; maintenance amounts are written and re-checked on load).
template <real_scalar Real>
[[nodiscard]] nlohmann::json tier_schedule_json(const tier_schedule<Real>& schedule, const std::string& symbol = "") {
    nlohmann::json doc = nlohmann::json::object();
    if (!symbol.empty()) doc["symbol"] = symbol;
    doc["basis"] = schedule.basis() == tier_basis::notional ? "notional" : "quantity";
    nlohmann::json tiers = nlohmann::json::array();
    for (const auto& t : schedule.tiers()) {
        nlohmann::json row = nlohmann::json::object();
        row["floor"] = static_cast<double>(t.floor);
        row["cap"] = std::isinf(static_cast<double>(t.cap)) ? nlohmann::json(nullptr) : nlohmann::json(static_cast<double>(t.cap));
        row["max_leverage"] = static_cast<double>(t.max_leverage);
        row["maintenance_rate"] = static_cast<double>(t.maintenance_rate);
        row["maintenance_amount"] = static_cast<double>(t.maintenance_amount);
        tiers.push_back(std::move(row));
    }
    doc["tiers"] = std::move(tiers);
    return doc;
}

}  // namespace margincall

#endif  // __has_include(<nlohmann/json.hpp>)
