// Include shim: the tests use only what Catch2 v2.13 (Debian 12) and v3 share.
#pragma once
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
using Catch::Matchers::Message;        // NOLINT: shared test vocabulary
using Catch::Matchers::WithinAbs;      // NOLINT
using Catch::Matchers::WithinRel;      // NOLINT
using Catch::Matchers::StartsWith;     // NOLINT
using Catch::Matchers::Contains;       // NOLINT
