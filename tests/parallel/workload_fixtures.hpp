// Fixtures shared by the tests of the heavy workloads on one core, on threads (tests/parallel/)
// and on MPI ranks (tests/mpi/), and by the cascade Monte Carlo's own test.
#pragma once
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/risk/monte_carlo_var.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace test_support {

// A three-factor model (means, covariance) with ν degrees of freedom (∞: normal).
inline margincall::monte_carlo_var<double> three_factors(double nu) {
    Eigen::VectorXd mean(3);
    mean << 0.001, -0.002, 0.0005;
    Eigen::MatrixXd cov(3, 3);
    cov << 0.04, 0.006, -0.002, 0.006, 0.09, 0.01, -0.002, 0.01, 0.0225;
    return {mean, cov, nu};
}

// `n` accounts entered at 100, 70 % long, sizes 0.1–5.1, leverage 2–42 (collateral rounded to
// the cent), maintenance rate 1 %: a book whose crashes produce bad debt.
inline margincall::liquidation_book<double> random_leveraged_book(std::size_t n, unsigned seed = 3) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> q, e, c, m;
    for (std::size_t i = 0; i < n; ++i) {
        const double qty = 0.1 + 5.0 * u(gen);
        q.push_back(u(gen) < 0.7 ? qty : -qty);
        e.push_back(100.0);
        c.push_back(std::round(qty * 100.0 / (2.0 + 40.0 * u(gen)) * 100.0) / 100.0);
        m.push_back(0.01);
    }
    return {q, e, c, m};
}

}  // namespace test_support
