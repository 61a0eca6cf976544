# libFuzzer targets fuzz/fuzz_<name>.cpp, when the compiler is clang and -fsanitize=fuzzer links
# (Debian: libclang-rt-14-dev). A fuzzer that includes an io/ header links margincall::io and is
# skipped without nlohmann-json; the numerical fuzzers need nothing beyond the library and see
# the test headers (tests/reliability/) for the oracle they share with the bad-input sweep.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  return()
endif()
include(CheckCXXSourceCompiles)
set(_margincall_saved_flags "${CMAKE_REQUIRED_FLAGS}")
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address")
check_cxx_source_compiles([[
  #include <cstddef>
  #include <cstdint>
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] MARGINCALL_HAS_LIBFUZZER)
set(CMAKE_REQUIRED_FLAGS "${_margincall_saved_flags}")
if(NOT MARGINCALL_HAS_LIBFUZZER)
  return()
endif()
file(GLOB _margincall_fuzzers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/fuzz_*.cpp)
foreach(_source IN LISTS _margincall_fuzzers)
  get_filename_component(_name ${_source} NAME_WE)
  file(STRINGS ${_source} _uses_io REGEX "#include <margincall/io/")
  if(_uses_io AND NOT TARGET margincall::io)
    continue()
  endif()
  add_executable(${_name} EXCLUDE_FROM_ALL ${_source})
  if(_uses_io)
    target_link_libraries(${_name} PRIVATE margincall::io)
  else()
    target_link_libraries(${_name} PRIVATE margincall::margincall)
    target_include_directories(${_name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  endif()
  target_compile_options(${_name} PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(${_name} PRIVATE -fsanitize=fuzzer,address,undefined)
endforeach()
