# Optional MPI component of the mpi/ layer (Open MPI, Debian libopenmpi-dev): defines
# margincall::mpi (links MPI::MPI_CXX, defines MARGINCALL_HAS_MPI so that the headers under
# <margincall/mpi/> declare their functions) when an MPI implementation is found. Nothing else in
# the library depends on it; without MPI the mpi/ headers are empty and its tests are skipped.
find_package(MPI QUIET COMPONENTS CXX)
if(NOT MPI_CXX_FOUND)
  message(STATUS "margincall: MPI not found; margincall::mpi, its tests and example are skipped")
  return()
endif()

add_library(margincall_mpi INTERFACE)
add_library(margincall::mpi ALIAS margincall_mpi)
set_target_properties(margincall_mpi PROPERTIES EXPORT_NAME mpi)  # installed as margincall::mpi
target_link_libraries(margincall_mpi INTERFACE margincall::margincall MPI::MPI_CXX)
target_compile_definitions(margincall_mpi INTERFACE MARGINCALL_HAS_MPI=1)
