// libFuzzer target for the io/ loader parse_account_book: any input must either load or throw
// margincall::invalid_argument; anything else (a crash, a sanitizer report, another exception)
// is a bug. Built by cmake/margincall_io.cmake, run by scripts/run-fuzzers.sh.
#include <margincall/io/account_book_csv.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)margincall::parse_account_book<double>(text, "fuzz");
    } catch (const margincall::invalid_argument&) {
        // the documented outcome for bad input
    }
    return 0;
}
