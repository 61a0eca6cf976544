# Optional io/ part of margincall: JSON bracket loaders need nlohmann-json (Debian
# nlohmann-json3-dev). Defines margincall::io when it is found, and libFuzzer targets
# fuzz_<loader> when the compiler is clang and -fsanitize=fuzzer links.
find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  message(STATUS "margincall: nlohmann-json not found; io/ loaders, their tests and fuzzers are skipped")
  return()
endif()

add_library(margincall_io INTERFACE)
add_library(margincall::io ALIAS margincall_io)
set_target_properties(margincall_io PROPERTIES EXPORT_NAME io)  # installed as margincall::io
target_link_libraries(margincall_io INTERFACE margincall::margincall nlohmann_json::nlohmann_json)

if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  include(CheckCXXSourceCompiles)
  set(_margincall_saved_flags "${CMAKE_REQUIRED_FLAGS}")
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address")
  check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
  ]] MARGINCALL_HAS_LIBFUZZER)
  set(CMAKE_REQUIRED_FLAGS "${_margincall_saved_flags}")
  if(MARGINCALL_HAS_LIBFUZZER)
    file(GLOB _margincall_fuzzers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/fuzz_*.cpp)
    foreach(_source IN LISTS _margincall_fuzzers)
      get_filename_component(_name ${_source} NAME_WE)
      add_executable(${_name} EXCLUDE_FROM_ALL ${_source})
      target_link_libraries(${_name} PRIVATE margincall::io)
      target_compile_options(${_name} PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
      target_link_options(${_name} PRIVATE -fsanitize=fuzzer,address,undefined)
    endforeach()
  endif()
endif()
