# cmake -DEXE=<margincall_doc_snippets> -DPAGE=<page> -DINDEX=<n> -DEXPECTED=<file or -> -DWHERE=<page.md:line>
#       -P run_snippet.cmake
# Runs one docs snippet; it must exit 0 and, when the page shows its output, print exactly that.
execute_process(COMMAND ${EXE} ${PAGE} ${INDEX} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${WHERE}: the snippet exited with ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT EXPECTED STREQUAL "-")
  file(READ ${EXPECTED} expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${WHERE}: the snippet's output differs from the `text output` block.\n"
                        "--- the page shows:\n${expected}--- the snippet prints:\n${out}---")
  endif()
endif()
