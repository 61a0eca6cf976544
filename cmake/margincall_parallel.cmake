# Optional oneTBB executor of the parallel/ layer (Debian libtbb-dev): defines
# margincall::parallel (links TBB::tbb, defines MARGINCALL_HAS_TBB so that
# <margincall/parallel/tbb_executor.hpp> declares tbb_executor) when oneTBB is found. The rest
# of parallel/ (sequential executor, ordered reductions, Philox streams, tail merge) needs nothing.
if(NOT MARGINCALL_WITH_TBB)
  message(STATUS "margincall: MARGINCALL_WITH_TBB is OFF; margincall::parallel (tbb_executor) is not built")
  return()
endif()
find_package(TBB QUIET)
if(NOT TBB_FOUND)
  message(STATUS "margincall: oneTBB not found; margincall::parallel (tbb_executor), its tests' TBB cases and bench_parallel are skipped")
  return()
endif()

add_library(margincall_parallel INTERFACE)
add_library(margincall::parallel ALIAS margincall_parallel)
set_target_properties(margincall_parallel PROPERTIES EXPORT_NAME parallel)  # installed as margincall::parallel
target_link_libraries(margincall_parallel INTERFACE margincall::margincall TBB::tbb)
target_compile_definitions(margincall_parallel INTERFACE MARGINCALL_HAS_TBB=1)
