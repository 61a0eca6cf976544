// Monte Carlo VaR/ES and the Monte Carlo of cascade bad debt with their paths split over MPI ranks
// (margincall::mpi). Every rank computes its share of the paths, rank 0 merges the tail
// candidates exactly and prints; the figures are the same for any number of ranks.
//
//   mpirun -np 4 build/release/examples/mpi_var
//   (as root, or with more ranks than cores: add --allow-run-as-root --oversubscribe)
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/mpi.hpp>
#include <margincall/risk/monte_carlo_var.hpp>

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <span>
#include <vector>

int main(int argc, char* argv[]) {
    MPI_Init(&argc, &argv);
    int status = 0;
    try {
        using namespace margincall;
        mpi::communicator comm;
        // A three-factor book (daily log returns of BTC, ETH, SOL; Student-t with 5 degrees of freedom).
        Eigen::VectorXd mean(3);
        mean << 0.0005, 0.0004, 0.0008;
        Eigen::MatrixXd cov(3, 3);
        cov << 0.0016, 0.0012, 0.0014, 0.0012, 0.0025, 0.0018, 0.0014, 0.0018, 0.0049;
        const monte_carlo_var<double> model(mean, cov, 5.0);
        const std::vector<double> positions{2.0e7, -5.0e6, 3.0e6};
        const philox_streams streams(20261130);
        const monte_carlo_options options{1'000'000, true, quantile_type::type1};
        const auto start = std::chrono::steady_clock::now();
        const auto linear = mpi::monte_carlo_var_linear(comm, model, std::span<const double>(positions), 0.99, streams, options);
        // Full revaluation: the linear book plus 20,000 short 100-strike puts on BTC (intrinsic value).
        const auto pricer = [&](std::span<const double> x) {
            const double btc = 100.0 * std::exp(x[0]);
            return positions[0] * x[0] + positions[1] * x[1] + positions[2] * x[2] -
                   20000.0 * std::max(100.0 - btc, 0.0);
        };
        const auto full = mpi::monte_carlo_var_full_revaluation(comm, model, pricer, 0.99, streams, options);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        // Bad debt of a 20,000-account venue under 4,096 random crashes.
        std::mt19937_64 gen(3);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<double> q, e, c, m;
        for (int i = 0; i < 20000; ++i) {
            const double qty = 0.1 + 5.0 * u(gen);
            q.push_back(u(gen) < 0.7 ? qty : -qty);
            e.push_back(100.0);
            c.push_back(std::round(qty * 100.0 / (2.0 + 40.0 * u(gen)) * 100.0) / 100.0);
            m.push_back(0.01);
        }
        const liquidation_book<double> book(q, e, c, m);
        using simulator = cascade_simulator<double>;
        const simulator sim(linear_impact<double>(0.0002),
                            {simulator::venue{&book, {}, {2000.0, 0.005, residual_loss::bad_debt}, {}}},
                            cascade_options{100000, false});
        const auto crash = [](philox_stream& s) {
            return exogenous_shock<double>::instant_relative(100.0, std::max(-0.5, 0.05 * s.normal()));
        };
        const auto cascades = mpi::cascade_monte_carlo(comm, sim, 4096, crash, streams, 0.99);
        if (comm.is_root()) {
            std::printf("ranks: %d\n", comm.size());
            std::printf("linear MC VaR 99%%: %.2f  ES: %.2f  (1e6 scenarios, antithetic)\n", linear.value_at_risk,
                        linear.expected_shortfall);
            std::printf("full-revaluation MC VaR 99%%: %.2f  ES: %.2f  (%.2f s for both)\n", full.value_at_risk,
                        full.expected_shortfall, seconds);
            std::printf("cascade bad debt over 4096 crashes: mean %.2f  VaR 99%% %.2f  ES %.2f  unconverged %llu\n",
                        cascades.mean_bad_debt, cascades.bad_debt_risk.value_at_risk,
                        cascades.bad_debt_risk.expected_shortfall,
                        static_cast<unsigned long long>(cascades.unconverged_runs));
            std::printf("bytes moved by rank 0's collectives: %llu\n",
                        static_cast<unsigned long long>(comm.traffic().bytes));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mpi_var: %s\n", e.what());
        status = 1;
    }
    MPI_Finalize();
    return status;
}
