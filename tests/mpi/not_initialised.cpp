// A communicator made before MPI_Init (and after MPI_Finalize) throws a clear error instead of
// aborting or hanging in the first collective. Run without mpirun (a singleton).
#include <margincall/core/error.hpp>
#include <margincall/mpi/communicator.hpp>

#include <mpi.h>

#include <cstdio>
#include <cstring>

namespace {
int check(const char* expected) {
    try {
        margincall::mpi::communicator comm;
    } catch (const margincall::invalid_argument& e) {
        if (std::strcmp(e.what(), expected) == 0) return 0;
        std::printf("wrong message: %s\n", e.what());
        return 1;
    }
    std::printf("no error for: %s\n", expected);
    return 1;
}
}  // namespace

int main(int argc, char* argv[]) {
    int failures = check("margincall::mpi::communicator: MPI is not initialised, but must be initialised by MPI_Init "
                         "before a communicator is made");
    MPI_Init(&argc, &argv);
    { margincall::mpi::communicator comm; }  // fine while initialised
    MPI_Finalize();
    failures += check("margincall::mpi::communicator: MPI is finalised, but must be not finalised (MPI_Finalize was "
                      "already called)");
    std::printf("%s\n", failures == 0 ? "ok" : "FAILED");
    return failures;
}
