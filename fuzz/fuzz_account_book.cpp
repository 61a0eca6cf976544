// libFuzzer target for the io/ loader parse_account_book and the book it feeds: any input must
// either load, build the host's book (margin/book.hpp), re-mark and evaluate every account, or throw
// margincall::invalid_argument; anything else (a crash, a sanitizer report, another exception)
// is a bug. Built by cmake/margincall_io.cmake, run by scripts/run-fuzzers.sh.
#include <margincall/io/account_book_csv.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto loaded = margincall::parse_account_book<double>(text, "fuzz");
        // Binance BTCUSDT brackets 1–2 for every symbol.
        const margincall::tier_schedule<double> tiers({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}});
        const std::size_t symbols = loaded.symbols.size();
        const margincall::book<margincall::linear_contract<double>, margincall::tier_schedule<double>> b(
            std::vector<margincall::linear_contract<double>>(symbols), std::vector<margincall::tier_schedule<double>>(symbols, tiers),
            margincall::to_book_rows(loaded));
        const std::vector<double> marks(symbols, 100.0);
        (void)margincall::remark(b, std::span<const double>(marks));
        // What the door let in, every reader takes: each account evaluates (the calculator's
        // kernel refuses nothing the door accepted, e.g. a leverage its model rejects).
        for (std::size_t a = 0; a < b.accounts(); ++a) (void)b.make_account(a).evaluate(marks);
    } catch (const margincall::invalid_argument&) {
        // the documented outcome for bad input
    }
    return 0;
}
