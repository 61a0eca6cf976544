# Optional io/ part of margincall: JSON bracket loaders need nlohmann-json (Debian
# nlohmann-json3-dev). Defines margincall::io when it is found; the loaders' libFuzzer targets
# are built by cmake/margincall_fuzz.cmake.
find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  message(STATUS "margincall: nlohmann-json not found; io/ loaders, their tests and fuzzers are skipped")
  return()
endif()

add_library(margincall_io INTERFACE)
add_library(margincall::io ALIAS margincall_io)
set_target_properties(margincall_io PROPERTIES EXPORT_NAME io)  # installed as margincall::io
target_link_libraries(margincall_io INTERFACE margincall::margincall nlohmann_json::nlohmann_json)

