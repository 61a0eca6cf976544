// libFuzzer target for the io/ venue loaders (venue_json.hpp): any input, given to each of the
// Bybit, OKX, Hyperliquid (meta and margin table), dYdX and Deribit parsers, must either load or
// throw margincall::invalid_argument; anything else (a crash, a sanitizer report, another
// exception) is a bug. Built by cmake/margincall_io.cmake, run by scripts/run-fuzzers.sh.
#include <margincall/io/venue_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
template <class Parse>
void expect_load_or_reject(Parse parse) {
    try {
        parse();
    } catch (const margincall::invalid_argument&) {
        // the documented outcome for bad input
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace margincall;
    expect_load_or_reject([&] { (void)parse_bybit_risk_limits<double>(text, "fuzz"); });
    expect_load_or_reject([&] { (void)parse_bybit_risk_limits<double>(text, "fuzz", rate_unit::percent); });
    expect_load_or_reject([&] { (void)parse_okx_position_tiers<double>(text, "fuzz"); });
    expect_load_or_reject([&] { (void)parse_hyperliquid_meta<double>(text, "fuzz"); });
    expect_load_or_reject([&] { (void)parse_hyperliquid_margin_table<double>(text, "fuzz"); });
    expect_load_or_reject([&] { (void)parse_dydx_perpetual_markets<double>(text, "fuzz"); });
    expect_load_or_reject([&] { (void)parse_deribit_instruments<double>(text, "fuzz"); });
    return 0;
}
