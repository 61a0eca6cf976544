// Scaling of the mpi/ layer, from one mpirun (Google Benchmark does not run under mpirun):
//  1. compute-bound full-revaluation Monte Carlo VaR: the time on rank 0 alone (a one-rank
//     communicator) and on all ranks, and their ratio (target with 2 ranks: >= 1.7);
//  2. the exact tail merge's traffic: bytes rank 0's collectives move for a sample of n losses
//     per rank at several α, to show it follows the tail n(1 − α), not n.
// Prints a Markdown table on rank 0 (docs/performance.md, docs/mpi.md).
//   mpirun -np 2 build/release/benchmarks/mpi_scaling
#include <margincall/mpi.hpp>
#include <margincall/risk/monte_carlo_var.hpp>

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <span>
#include <vector>

namespace {
using namespace margincall;

// A compute-bound pricer: 64 option-like legs on three factors, each an exp and a max.
double price(std::span<const double> x) {
    double v = 0;
    for (int leg = 0; leg < 64; ++leg) {
        const double s = 100.0 * std::exp(x[static_cast<std::size_t>(leg % 3)] * (1.0 + 0.01 * leg));
        v += (leg % 2 == 0 ? 1.0 : -1.0) * 1000.0 * std::max(s - (90.0 + leg * 0.3), 0.0);
    }
    return v;
}

double seconds_of_full_revaluation(mpi::communicator& comm, const monte_carlo_var<double>& model,
                                   const monte_carlo_options& options, double& var) {
    double best = 1e300;
    for (int repeat = 0; repeat < 3; ++repeat) {
        MPI_Barrier(comm.native());
        const auto start = std::chrono::steady_clock::now();
        var = mpi::monte_carlo_var_full_revaluation(comm, model, price, 0.99, philox_streams(7), options).value_at_risk;
        MPI_Barrier(comm.native());
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}
}  // namespace

int main(int argc, char* argv[]) {
    MPI_Init(&argc, &argv);
    {
        mpi::communicator world;
        Eigen::VectorXd mean(3);
        mean << 0.0005, 0.0004, 0.0008;
        Eigen::MatrixXd cov(3, 3);
        cov << 0.0016, 0.0012, 0.0014, 0.0012, 0.0025, 0.0018, 0.0014, 0.0018, 0.0049;
        const monte_carlo_var<double> model(mean, cov, 5.0);
        const monte_carlo_options options{200'000, false, quantile_type::type1};

        // 1. One rank alone, then every rank.
        MPI_Comm alone_comm = MPI_COMM_NULL;
        MPI_Comm_split(MPI_COMM_WORLD, world.is_root() ? 0 : MPI_UNDEFINED, 0, &alone_comm);
        double one = 0, var_one = 0;
        if (world.is_root()) {
            mpi::communicator alone(alone_comm);
            one = seconds_of_full_revaluation(alone, model, options, var_one);
            MPI_Comm_free(&alone_comm);
        }
        double var_all = 0;
        const double all = seconds_of_full_revaluation(world, model, options, var_all);
        if (world.is_root()) {
            std::printf("| full-revaluation MC VaR, %zu scenarios x 64 legs | 1 rank %.3f s | %d ranks %.3f s | "
                        "speed-up %.2f | VaR identical: %s |\n",
                        options.scenarios, one, world.size(), all, one / all, var_one == var_all ? "yes" : "NO");
        }

        // 2. Merge traffic against the tail size.
        std::mt19937_64 gen(11 + static_cast<unsigned>(world.rank()));
        std::student_t_distribution<double> t(3.0);
        for (const std::size_t n : {std::size_t{100'000}, std::size_t{1'000'000}}) {
            std::vector<double> local(n);
            for (auto& v : local) v = t(gen);
            for (const double alpha : {0.99, 0.999, 0.9999}) {
                world.reset_traffic();
                (void)mpi::historical_tail_risk(world, std::span<const double>(local), alpha);
                const auto bytes = world.traffic().bytes;
                const std::size_t k = tail_candidate_count(n * static_cast<std::size_t>(world.size()), alpha);
                if (world.is_root())
                    std::printf("| tail merge, %zu losses per rank, alpha %.4f | candidates per rank %zu | rank 0 bytes "
                                "%llu | bytes / (ranks x k x 8) %.2f |\n",
                                n, alpha, k, static_cast<unsigned long long>(bytes),
                                static_cast<double>(bytes) / (static_cast<double>(world.size() * k) * 8.0));
            }
        }
    }
    MPI_Finalize();
    return 0;
}
