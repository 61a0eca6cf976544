// libFuzzer target for the io/ loader parse_span_risk_arrays and the scan it feeds: any input must
// either load and combine into a portfolio scan (stress/span_risk_arrays.hpp), or throw
// margincall::invalid_argument; anything else (a crash, a sanitizer report, another exception)
// is a bug. Built by cmake/margincall_fuzz.cmake, run by scripts/run-fuzzers.sh (seeded with
// tests/io/corpus, which holds span_mcmillan.pa2).
#include <margincall/io/span_risk_parameter_file.hpp>
#include <margincall/stress/span_risk_arrays.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto contracts = margincall::parse_span_risk_arrays(text, "fuzz");
        std::vector<margincall::published_risk_array<double>> arrays;
        std::vector<double> quantities;
        for (std::size_t i = 0; i < contracts.size(); ++i) {
            arrays.push_back(contracts[i].array);
            quantities.push_back(i % 2 == 0 ? 1.0 : -2.0);
        }
        (void)margincall::span_requirement_from_risk_arrays<double>(arrays, quantities, {.short_option_minimum = 1.0});
    } catch (const margincall::invalid_argument&) {
        // the documented outcome for bad input
    }
    return 0;
}
