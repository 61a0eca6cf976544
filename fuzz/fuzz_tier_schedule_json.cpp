// libFuzzer target for the io/ loader parse_tier_schedule_json: any input must either load or throw
// margincall::invalid_argument; anything else (a crash, a sanitizer report, another exception)
// is a bug. Built by cmake/margincall_io.cmake, run by scripts/run-fuzzers.sh.
#include <margincall/io/bracket_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)margincall::parse_tier_schedule_json<double>(text, "fuzz");
    } catch (const margincall::invalid_argument&) {
        // the documented outcome for bad input
    }
    return 0;
}
