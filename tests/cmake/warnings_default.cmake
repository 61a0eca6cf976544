# Run by CTest (build/warnings_default): a plain configure of the project, as a user or a
# packager types it (no preset, top level, Release), must leave warnings-as-errors OFF, so a
# newer compiler's new warning cannot break their build (issue #14, class 10). The presets CI
# uses turn it on.
# Arguments: -DSOURCE=<project source dir> -DWORK=<scratch build dir> -DGENERATOR=<generator>
file(REMOVE_RECURSE "${WORK}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${WORK}" -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release
          -DMARGINCALL_BUILD_TESTS=OFF -DMARGINCALL_BUILD_EXAMPLES=OFF
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "plain configure failed (${rc}): ${err}")
endif()
file(STRINGS "${WORK}/CMakeCache.txt" line REGEX "^MARGINCALL_WARNINGS_AS_ERRORS:BOOL=")
if(NOT line STREQUAL "MARGINCALL_WARNINGS_AS_ERRORS:BOOL=OFF")
  message(FATAL_ERROR "a plain configure gives '${line}', but warnings-as-errors must default to OFF")
endif()
file(REMOVE_RECURSE "${WORK}")
