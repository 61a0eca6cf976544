// libFuzzer target over the public numerical entry points (issue #14, "structured fuzzing"):
// the input bytes are decoded into one call of one entry point of the table the bad-input
// sweep uses (tests/reliability/entry_points.hpp) — byte 0 picks the entry point, then one
// 8-byte double per argument (raw bits: NaN payloads, ±∞, subnormals, 1e308 all occur), then
// the rest as the sample (at most 256 values) — and judged by the sweep's oracle
// (tests/reliability/oracle.hpp): the library's own error with the standard message shape, or
// a finite result that keeps the entry point's invariants. Anything else aborts with the case.
// Needs no io/ dependency. Built by cmake/margincall_fuzz.cmake, run by scripts/run-fuzzers.sh.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "reliability/entry_points.hpp"
#include "reliability/oracle.hpp"

namespace {

const std::vector<test_oracle::entry>& table() {
    static const std::vector<test_oracle::entry> t = test_oracle::entries();
    return t;
}

double read_double(const std::uint8_t*& data, std::size_t& size) {
    double x = 0;
    if (size >= sizeof x) {
        std::memcpy(&x, data, sizeof x);
        data += sizeof x;
        size -= sizeof x;
    }
    return x;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& entries = table();
    const test_oracle::entry& e = entries[data[0] % entries.size()];
    if (*e.open_finding != '\0') return 0;  // reported to the header's owner (entry_points.hpp)
    ++data;
    --size;
    test_oracle::input in;
    // A double of all-zero bits (+0.0) keeps the argument at its valid default, so the fuzzer
    // reaches deep paths with mostly valid calls as well as wholly random ones (−0.0 is a zero).
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        const double x = read_double(data, size);
        in.x.push_back(x == 0.0 && !std::signbit(x) ? e.defaults[i] : x);
    }
    if (e.takes_sample)
        while (size >= sizeof(double) && in.sample.size() < 256) in.sample.push_back(read_double(data, size));
    const test_oracle::report r = test_oracle::judge([&] { return e.call(in); });
    if (r.kind == test_oracle::outcome::violation) {
        std::fprintf(stderr, "fuzz_numeric: %s: %s\n  arguments:", e.name, r.detail.c_str());
        for (std::size_t i = 0; i < in.x.size(); ++i) std::fprintf(stderr, " %s=%.17g", e.args[i], in.x[i]);
        std::fprintf(stderr, "\n  sample of %zu values\n", in.sample.size());
        std::abort();
    }
    return 0;
}
