#pragma once
/// \file
/// The MPI side of the mpi/ layer (optional component margincall::mpi, which defines
/// MARGINCALL_HAS_MPI and links MPI; without it this header declares nothing). A
/// `communicator` wraps an MPI communicator the host initialised; every distributed call of the
/// layer first makes all ranks agree that the call is valid (agree()), so a bad input on any rank
/// throws the same error on every rank instead of leaving the others waiting in a collective.
/// It also counts the bytes the layer's collectives move (traffic()), for docs/mpi.md's
/// communication figures.
/// \test tests/mpi/distributed.cpp

#if defined(MARGINCALL_HAS_MPI)

#include <margincall/core/error.hpp>

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

namespace margincall::mpi {

/// Bytes moved by the layer's collectives on this rank (sent + received), and how many calls.
struct traffic_counter {
    std::uint64_t bytes{0};
    std::uint64_t collectives{0};
};

/// A communicator of an initialised MPI run (MPI_COMM_WORLD by default). Not thread-safe: the
/// calls of one communicator come from one thread per rank (MPI_THREAD_SINGLE suffices).
class communicator {
public:
    /// \throws margincall::invalid_argument when MPI is not initialised (MPI_Init not called yet)
    ///         or already finalised: without this check the first collective would abort or hang
    explicit communicator(MPI_Comm comm = MPI_COMM_WORLD) : comm_{comm} {
        constexpr const char* where = "margincall::mpi::communicator";
        int initialised = 0, finalised = 0;
        MPI_Initialized(&initialised);
        MPI_Finalized(&finalised);
        if (initialised == 0)
            throw_invalid_argument(where, "MPI", "not initialised", "initialised by MPI_Init before a communicator is made");
        if (finalised != 0)
            throw_invalid_argument(where, "MPI", "finalised", "not finalised (MPI_Finalize was already called)");
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
    }

    [[nodiscard]] int rank() const noexcept { return rank_; }
    [[nodiscard]] int size() const noexcept { return size_; }
    /// The rank that reports (0).
    [[nodiscard]] bool is_root() const noexcept { return rank_ == 0; }
    [[nodiscard]] MPI_Comm native() const noexcept { return comm_; }
    [[nodiscard]] const traffic_counter& traffic() const noexcept { return traffic_; }
    void reset_traffic() noexcept { traffic_ = {}; }

    /// Every rank passes the message of its own check ("" when its input is valid); when any rank
    /// has one, every rank throws margincall::invalid_argument with the lowest such rank's
    /// message (prefixed by that rank). One allreduce, plus a broadcast of the message on failure.
    void agree(const std::string& local_error) {
        int mine = local_error.empty() ? size_ : rank_;
        int first = size_;
        MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm_);
        count(2 * sizeof(int));
        if (first == size_) return;
        int length = rank_ == first ? static_cast<int>(local_error.size()) : 0;
        MPI_Bcast(&length, 1, MPI_INT, first, comm_);
        std::string text(static_cast<std::size_t>(length), '\0');
        if (rank_ == first) text = local_error;
        MPI_Bcast(text.data(), length, MPI_CHAR, first, comm_);
        count(sizeof(int) + static_cast<std::size_t>(length));
        throw invalid_argument(detail::message("rank ", first, ": ", text));
    }

    /// Runs `work` on this rank (a check that throws margincall::invalid_argument for bad input,
    /// or a rank's share of a computation) and agree()s on the outcome: all ranks throw, or none.
    /// A rank whose `work` threw rethrows its own exception; the others throw
    /// margincall::invalid_argument naming the lowest failing rank and its message.
    template <class Work>
    void agree_on(Work&& work) {
        std::string error;
        std::exception_ptr own;
        try {
            work();
        } catch (const std::exception& e) {
            error = e.what();
            if (error.empty()) error = "an exception without a message";
            own = std::current_exception();
        }
        try {
            agree(error);
        } catch (const invalid_argument&) {
            if (own) std::rethrow_exception(own);
            throw;
        }
    }

    /// Every rank passes its value; throws on every rank unless all ranks passed the same one
    /// (run parameters such as the scenario count, α or the seed must be equal everywhere).
    void agree_equal(const char* where, const char* name, std::uint64_t value) {
        std::uint64_t low = value, high = value;
        MPI_Allreduce(MPI_IN_PLACE, &low, 1, MPI_UINT64_T, MPI_MIN, comm_);
        MPI_Allreduce(MPI_IN_PLACE, &high, 1, MPI_UINT64_T, MPI_MAX, comm_);
        count(4 * sizeof(std::uint64_t));
        if (low != high)
            throw invalid_argument(detail::message(where, ": ", name, " differs between ranks (", low, " to ", high,
                                                   "), but must be the same on every rank"));
    }

    /// Adds `bytes` to this rank's traffic (for the layer's collectives).
    void count(std::size_t bytes) noexcept {
        traffic_.bytes += bytes;
        ++traffic_.collectives;
    }

private:
    MPI_Comm comm_;
    int rank_{0};
    int size_{1};
    traffic_counter traffic_{};
};

/// The share [begin, end) of `units` work units (chunks, shards) of rank `rank` of `size`:
/// contiguous, in rank order, sizes differing by at most one. Depends on the unit count and the
/// rank count only, and cuts only between units, so a unit's result never depends on the split.
struct share {
    std::size_t begin;
    std::size_t end;
};
[[nodiscard]] inline share share_of(std::size_t units, int rank, int size) noexcept {
    const auto r = static_cast<std::size_t>(rank), p = static_cast<std::size_t>(size);
    return {units * r / p, units * (r + 1) / p};
}

}  // namespace margincall::mpi

#endif  // MARGINCALL_HAS_MPI
