#pragma once
/// \file
/// The library's version: the one place it is written. CMakeLists.txt reads these three macros
/// for project(VERSION ...), so the installed margincallConfigVersion.cmake, the package's
/// documentation directory and this header always agree.

#define MARGINCALL_VERSION_MAJOR 0
#define MARGINCALL_VERSION_MINOR 1
#define MARGINCALL_VERSION_PATCH 0

/// "major.minor.patch", for printing.
#define MARGINCALL_VERSION_STRING_(a, b, c) #a "." #b "." #c
#define MARGINCALL_VERSION_STRING_EXPAND_(a, b, c) MARGINCALL_VERSION_STRING_(a, b, c)
#define MARGINCALL_VERSION_STRING \
    MARGINCALL_VERSION_STRING_EXPAND_(MARGINCALL_VERSION_MAJOR, MARGINCALL_VERSION_MINOR, MARGINCALL_VERSION_PATCH)

/// One number that orders versions: major * 10000 + minor * 100 + patch (0.1.0 is 100).
#define MARGINCALL_VERSION \
    (MARGINCALL_VERSION_MAJOR * 10000 + MARGINCALL_VERSION_MINOR * 100 + MARGINCALL_VERSION_PATCH)

#include <string_view>

namespace margincall {

/// The version as values, for code that checks it at compile time or prints it.
inline constexpr int version_major = MARGINCALL_VERSION_MAJOR;
inline constexpr int version_minor = MARGINCALL_VERSION_MINOR;
inline constexpr int version_patch = MARGINCALL_VERSION_PATCH;
inline constexpr std::string_view version_string = MARGINCALL_VERSION_STRING;

}  // namespace margincall
