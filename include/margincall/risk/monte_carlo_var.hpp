#pragma once
/// \file
/// Monte Carlo VaR and ES with multivariate normal or Student-t risk factors, drawn through an
/// Eigen Cholesky factor Σ = L Lᵀ:
///   normal:    X = μ + L Z,                 Z ~ N(0, I)
///   Student-t: X = μ + √(ν/W) L Z,          W ~ χ²_ν independent of Z  (Σ is the dispersion
///              matrix; cov X = ν/(ν−2) Σ for ν > 2)
/// Losses are −P&L with P&L = positionsᵀ X (linear book: computed as −(positionsᵀμ + bᵀZ·s) with
/// b = Lᵀ positions, O(k) per scenario, no matrix product) or P&L = pricer(X) (full revaluation,
/// scenarios drawn in blocks by one matrix product each). VaR/ES of the simulated losses by
/// historical_simulation. Antithetic option: each Z is also used as −Z (same W).
/// Randomness only from the caller's generator (std::normal_distribution /
/// std::chi_squared_distribution on it), so a fixed seed reproduces every result.
/// Two paths: the generator overloads (one std::uniform_random_bit_generator, sequential, the
/// numbers existing tests pin) and the parallel-capable Philox overloads (a `philox_streams`
/// family and an executor, sequential by default): scenario s draws its k normals, then W for
/// Student-t, from streams.stream_for(s) (parallel/philox.hpp), its antithetic twin is scenario
/// s + scenarios/2 with −Z and the same W, and scenarios are computed in fixed chunks, so the
/// losses and VaR/ES are bit-identical for any executor and worker count (issue #16).
/// Source: P. Glasserman, Monte Carlo Methods in Financial Engineering (Springer, 2004), §2.3.3
/// (Cholesky), §4.2 (antithetic variates), §9.1 (VaR); McNeil, Frey & Embrechts, QRM (2005),
/// §3.2 (multivariate t as a normal variance mixture, Algorithm 3.10).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <random>
#include <span>
#include <vector>

namespace margincall {

/// How many scenarios, antithetic pairs or not, and the VaR quantile definition.
struct monte_carlo_options {
    std::size_t scenarios = 100000;  ///< total scenarios (an even number when antithetic)
    bool antithetic = false;
    quantile_type type = quantile_type::type1;
};

/// Multivariate normal or Student-t risk-factor model, validated once (Cholesky at construction).
template <real_scalar Real = double>
class monte_carlo_var {
public:
    using vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
    using matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;

    /// Multivariate normal N(mean, covariance).
    monte_carlo_var(vector mean, const matrix& covariance)
        : monte_carlo_var(std::move(mean), covariance, std::numeric_limits<Real>::infinity()) {}

    /// Multivariate Student-t with location `mean`, dispersion matrix `dispersion`, ν > 0
    /// (ν = +∞ is the normal).
    monte_carlo_var(vector mean, const matrix& dispersion, Real nu) : mean_{std::move(mean)}, nu_{nu} {
        constexpr const char* where = "monte_carlo_var";
        const auto k = mean_.size();
        if (k == 0) throw_invalid_argument(where, "the size of mean", 0, "> 0");
        if (dispersion.rows() != k || dispersion.cols() != k)
            throw_invalid_argument(where, "covariance",
                                   detail::message("a ", dispersion.rows(), "x", dispersion.cols(), " matrix").c_str(),
                                   detail::message("", k, "x", k, " (the size of mean)").c_str());
        for (Eigen::Index i = 0; i < k; ++i) {
            check_finite(where, detail::message("mean[", i, "]"), Real(mean_[i]));
            for (Eigen::Index j = 0; j < k; ++j) {
                check_finite(where, detail::message("covariance(", i, ", ", j, ")"), Real(dispersion(i, j)));
                using std::abs;
                const Real scale = abs(Real(dispersion(i, i))) + abs(Real(dispersion(j, j)));
                if (abs(Real(dispersion(i, j) - dispersion(j, i))) > Real(64) * std::numeric_limits<Real>::epsilon() * scale)
                    throw_invalid_argument(where, detail::message("covariance(", i, ", ", j, ")"), Real(dispersion(i, j)),
                                           detail::message("equal to covariance(", j, ", ", i, ") = ", Real(dispersion(j, i)))
                                               .c_str());
            }
        }
        if (!(nu > Real(0))) throw_invalid_argument(where, "nu", nu, "> 0");
        const Eigen::LLT<matrix> llt(dispersion);
        if (llt.info() != Eigen::Success) {
            const Eigen::SelfAdjointEigenSolver<matrix> eig(dispersion, Eigen::EigenvaluesOnly);
            throw_invalid_argument(where, "covariance",
                                   detail::message("a matrix with smallest eigenvalue ", Real(eig.eigenvalues().minCoeff()))
                                       .c_str(),
                                   "positive definite");
        }
        factor_ = llt.matrixL();
    }

    [[nodiscard]] std::size_t factors() const noexcept { return static_cast<std::size_t>(mean_.size()); }
    [[nodiscard]] const matrix& cholesky_factor() const noexcept { return factor_; }

    /// Fills `out` (factors × scenarios, column = one scenario) with draws of X.
    template <std::uniform_random_bit_generator Generator>
    void simulate(Eigen::Ref<matrix> out, Generator& gen, bool antithetic = false) const {
        constexpr const char* where = "monte_carlo_var::simulate";
        if (out.rows() != mean_.size())
            throw_invalid_argument(where, "the rows of out", out.rows(), detail::message("", mean_.size()).c_str());
        if (antithetic && out.cols() % 2 != 0)
            throw_invalid_argument(where, "the columns of out", out.cols(), "even when antithetic");
        std::normal_distribution<Real> normal;
        const Eigen::Index n = out.cols();
        const Eigen::Index fresh = antithetic ? n / 2 : n;
        for (Eigen::Index s = 0; s < fresh; ++s)
            for (Eigen::Index i = 0; i < out.rows(); ++i) out(i, s) = normal(gen);
        if (antithetic) out.rightCols(fresh) = -out.leftCols(fresh);
        out = (factor_.template triangularView<Eigen::Lower>() * out).eval();
        if (is_student_t()) {
            std::chi_squared_distribution<Real> chi2(nu_);
            for (Eigen::Index s = 0; s < fresh; ++s) {
                using std::sqrt;
                const Real mix = sqrt(Real(nu_ / chi2(gen)));
                out.col(s) *= mix;
                if (antithetic) out.col(s + fresh) *= mix;
            }
        }
        out.colwise() += mean_;
    }

    /// VaR and ES of a linear book: loss = −positionsᵀX. `losses_out`, when not empty, must hold
    /// options.scenarios values and receives the simulated losses (no allocation then).
    template <std::uniform_random_bit_generator Generator>
    [[nodiscard]] tail_risk<Real> linear(std::span<const Real> positions, Real alpha, Generator& gen,
                                         const monte_carlo_options& options = {}, std::span<Real> losses_out = {}) const {
        const linear_book book = checked_linear_book(positions, alpha, options, losses_out.size());
        const vector& b = book.b;
        const Real center = book.center;
        std::vector<Real> own;
        const std::span<Real> losses = own_or(losses_out, own, options.scenarios);
        std::normal_distribution<Real> normal;
        std::chi_squared_distribution<Real> chi2(is_student_t() ? nu_ : Real(1));
        const std::size_t fresh = options.antithetic ? options.scenarios / 2 : options.scenarios;
        const auto k = static_cast<std::size_t>(b.size());
        for (std::size_t s = 0; s < fresh; ++s) {
            Real dot(0);
            for (std::size_t i = 0; i < k; ++i) dot += b[static_cast<Eigen::Index>(i)] * normal(gen);
            if (is_student_t()) {
                using std::sqrt;
                dot *= sqrt(Real(nu_ / chi2(gen)));
            }
            losses[s] = -(center + dot);
            if (options.antithetic) losses[s + fresh] = -(center - dot);
        }
        return historical_simulation<Real>{options.type}.estimate(std::span<const Real>(losses.data(), losses.size()),
                                                                  alpha);
    }

    /// VaR and ES by full revaluation: loss = −pricer(x) for each scenario x (a span of
    /// `factors()` values). Scenarios are drawn in blocks of 256 (one matrix product each).
    template <std::uniform_random_bit_generator Generator, class Pricer>
        requires std::is_invocable_r_v<Real, Pricer&, std::span<const Real>>
    [[nodiscard]] tail_risk<Real> full_revaluation(Pricer&& pricer, Real alpha, Generator& gen,
                                                   const monte_carlo_options& options = {},
                                                   std::span<Real> losses_out = {}) const {
        constexpr const char* where = "monte_carlo_var::full_revaluation";
        check_options(where, alpha, options, losses_out.size());
        std::vector<Real> own;
        const std::span<Real> losses = own_or(losses_out, own, options.scenarios);
        constexpr Eigen::Index block = 256;
        matrix x(mean_.size(), block);
        std::size_t done = 0;
        while (done < options.scenarios) {
            auto cols = static_cast<Eigen::Index>(std::min<std::size_t>(block, options.scenarios - done));
            auto view = x.leftCols(cols);
            simulate(view, gen, options.antithetic);
            for (Eigen::Index s = 0; s < cols; ++s) {
                const Real pnl = pricer(std::span<const Real>(x.col(s).data(), static_cast<std::size_t>(x.rows())));
                if (!detail::is_finite(pnl))
                    throw_invalid_argument(where, detail::message("the pricer's P&L in scenario ", done + static_cast<std::size_t>(s)),
                                           pnl, "finite");
                losses[done + static_cast<std::size_t>(s)] = -pnl;
            }
            done += static_cast<std::size_t>(cols);
        }
        return historical_simulation<Real>{options.type}.estimate(std::span<const Real>(losses.data(), losses.size()),
                                                                  alpha);
    }

    /// Scenario chunks of the Philox overloads, fixed by the scenario count alone (never by the
    /// worker or process count), so a scenario's loss does not depend on how a run is split:
    /// a split (threads here, processes in mpi/) cuts at multiples of these.
    static constexpr std::size_t linear_chunk = 1024;
    static constexpr std::size_t revaluation_chunk = 256;

    /// VaR and ES of a linear book (loss = −positionsᵀX), parallel-capable: scenario s draws
    /// from streams.stream_for(s); chunks of `linear_chunk` scenarios run on `exec`. Same checks
    /// and `losses_out` contract as the generator overload; bit-identical for any executor.
    template <executor Executor = sequential_executor>
    [[nodiscard]] tail_risk<Real> linear(std::span<const Real> positions, Real alpha, const philox_streams& streams,
                                         const monte_carlo_options& options = {}, std::span<Real> losses_out = {},
                                         const Executor& exec = Executor{}) const {
        check_options("monte_carlo_var::linear", alpha, options, losses_out.size());
        std::vector<Real> own;
        const std::span<Real> losses = own_or(losses_out, own, options.scenarios);
        linear_losses(positions, streams, options, 0, fresh_count(options),
                      [&](std::size_t s, Real loss) { losses[s] = loss; }, exec);
        return historical_simulation<Real>{options.type}.estimate(std::span<const Real>(losses.data(), losses.size()),
                                                                  alpha);
    }

    /// The losses of the fresh scenarios [begin, end) of a Philox run of `options.scenarios`
    /// (and, when antithetic, of their twins s + scenarios/2): emit(s, loss) for each, s the
    /// run's scenario index, from `exec`'s workers (concurrently, distinct s). `linear` is this
    /// over [0, fresh); a process of a distributed run (mpi/) calls it on its share.
    /// \throws margincall::invalid_argument for a bad book or options, end beyond the fresh
    ///         count, or a begin that is not a multiple of linear_chunk
    template <class Emit, executor Executor = sequential_executor>
        requires std::invocable<Emit&, std::size_t, Real>
    void linear_losses(std::span<const Real> positions, const philox_streams& streams, const monte_carlo_options& options,
                       std::size_t begin, std::size_t end, Emit&& emit, const Executor& exec = Executor{}) const {
        check_range("monte_carlo_var::linear", options, begin, end, linear_chunk);
        const linear_book book = linear_terms(positions);
        const vector& b = book.b;
        const Real center = book.center;
        const std::size_t fresh = fresh_count(options);
        for_each_chunk(exec, fixed_chunks(end - begin, linear_chunk), [&](std::size_t, std::size_t lo, std::size_t hi) {
            for (std::size_t s = begin + lo; s < begin + hi; ++s) {
                philox_stream stream = streams.stream_for(s);
                Real dot(0);
                for (Eigen::Index i = 0; i < b.size(); ++i) dot += b[i] * stream.template normal<Real>();
                dot *= mixing(stream);
                emit(s, -(center + dot));
                if (options.antithetic) emit(s + fresh, -(center - dot));
            }
        });
    }

    /// VaR and ES by full revaluation (loss = −pricer(x)), parallel-capable: scenario s draws
    /// from streams.stream_for(s); chunks of `revaluation_chunk` scenarios (one matrix product
    /// each) run on `exec`. The pricer is called concurrently when the executor has several
    /// workers: it must be safe to call from several threads at once (const, no shared mutable
    /// state). Bit-identical for any executor; the first pricer error (non-finite P&L) is rethrown.
    template <class Pricer, executor Executor = sequential_executor>
        requires std::is_invocable_r_v<Real, const Pricer&, std::span<const Real>>
    [[nodiscard]] tail_risk<Real> full_revaluation(const Pricer& pricer, Real alpha, const philox_streams& streams,
                                                   const monte_carlo_options& options = {},
                                                   std::span<Real> losses_out = {},
                                                   const Executor& exec = Executor{}) const {
        check_options("monte_carlo_var::full_revaluation", alpha, options, losses_out.size());
        std::vector<Real> own;
        const std::span<Real> losses = own_or(losses_out, own, options.scenarios);
        revaluation_losses(pricer, streams, options, 0, fresh_count(options),
                           [&](std::size_t s, Real loss) { losses[s] = loss; }, exec);
        return historical_simulation<Real>{options.type}.estimate(std::span<const Real>(losses.data(), losses.size()),
                                                                  alpha);
    }

    /// The full-revaluation losses of the fresh scenarios [begin, end) of a Philox run (and their
    /// antithetic twins), emitted as linear_losses does; `full_revaluation` is this over
    /// [0, fresh). Each chunk of `revaluation_chunk` scenarios is one matrix product, so a split
    /// must cut at multiples of it for the losses to be bit-identical.
    /// \throws margincall::invalid_argument as linear_losses, and naming a non-finite P&L
    template <class Pricer, class Emit, executor Executor = sequential_executor>
        requires std::is_invocable_r_v<Real, const Pricer&, std::span<const Real>> && std::invocable<Emit&, std::size_t, Real>
    void revaluation_losses(const Pricer& pricer, const philox_streams& streams, const monte_carlo_options& options,
                            std::size_t begin, std::size_t end, Emit&& emit, const Executor& exec = Executor{}) const {
        constexpr const char* where = "monte_carlo_var::full_revaluation";
        check_range(where, options, begin, end, revaluation_chunk);
        const std::size_t fresh = fresh_count(options);
        const auto k = mean_.size();
        const auto price = [&](const matrix& x, Eigen::Index col, std::size_t s) {
            const Real pnl = pricer(std::span<const Real>(x.col(col).data(), static_cast<std::size_t>(k)));
            if (!detail::is_finite(pnl))
                throw_invalid_argument(where, detail::message("the pricer's P&L in scenario ", s), pnl, "finite");
            emit(s, -pnl);
        };
        for_each_chunk(exec, fixed_chunks(end - begin, revaluation_chunk), [&](std::size_t, std::size_t lo, std::size_t hi) {
            const auto cols = static_cast<Eigen::Index>(hi - lo);
            const std::size_t first = begin + lo;
            matrix z(k, cols);
            vector mix(cols);
            for (Eigen::Index c = 0; c < cols; ++c) {
                philox_stream stream = streams.stream_for(first + static_cast<std::size_t>(c));
                for (Eigen::Index i = 0; i < k; ++i) z(i, c) = stream.template normal<Real>();
                mix[c] = mixing(stream);
            }
            matrix lz = factor_.template triangularView<Eigen::Lower>() * z;
            lz *= mix.asDiagonal();
            matrix x = lz.colwise() + mean_;
            for (Eigen::Index c = 0; c < cols; ++c) price(x, c, first + static_cast<std::size_t>(c));
            if (options.antithetic) {
                x = (-lz).colwise() + mean_;
                for (Eigen::Index c = 0; c < cols; ++c) price(x, c, first + static_cast<std::size_t>(c) + fresh);
            }
        });
    }

    /// The number of fresh draws of a run: scenarios/2 when antithetic, else scenarios.
    [[nodiscard]] static std::size_t fresh_count(const monte_carlo_options& options) noexcept {
        return options.antithetic ? options.scenarios / 2 : options.scenarios;
    }

private:
    // A linear book's loss = −(center + √(ν/W)·bᵀZ) with b = Lᵀ positions, center = positionsᵀμ,
    // after the checks both linear overloads share.
    struct linear_book {
        vector b;
        Real center;
    };
    [[nodiscard]] linear_book checked_linear_book(std::span<const Real> positions, Real alpha,
                                                  const monte_carlo_options& options, std::size_t out_size) const {
        check_options("monte_carlo_var::linear", alpha, options, out_size);
        return linear_terms(positions);
    }
    [[nodiscard]] linear_book linear_terms(std::span<const Real> positions) const {
        constexpr const char* where = "monte_carlo_var::linear";
        if (positions.size() != factors())
            throw_invalid_argument(where, "the size of positions", positions.size(),
                                   detail::message("", factors(), " (the number of factors)").c_str());
        check_all_finite<Real>(where, "positions", positions);
        const Eigen::Map<const vector> w(positions.data(), static_cast<Eigen::Index>(positions.size()));
        return {factor_.transpose() * w, w.dot(mean_)};
    }

    // √(ν/W) with W ~ χ²_ν drawn from the stream (Student-t), or 1 (normal: no draw).
    [[nodiscard]] Real mixing(philox_stream& stream) const {
        if (!is_student_t()) return Real(1);
        using std::sqrt;
        return sqrt(Real(nu_ / stream.template chi_squared<Real>(static_cast<double>(nu_))));
    }

    // The caller's losses_out, or `own` sized to n when it is empty.
    [[nodiscard]] static std::span<Real> own_or(std::span<Real> losses_out, std::vector<Real>& own, std::size_t n) {
        if (!losses_out.empty()) return losses_out;
        own.resize(n);
        return own;
    }

    [[nodiscard]] bool is_student_t() const noexcept { return nu_ < std::numeric_limits<Real>::infinity(); }

    static void check_options(const char* where, Real alpha, const monte_carlo_options& options, std::size_t out_size) {
        check_probability(where, "alpha", alpha);
        check_scenarios(where, options);
        if (out_size != 0 && out_size != options.scenarios)
            throw_invalid_argument(where, "the size of losses_out", out_size,
                                   detail::message("0 or options.scenarios (", options.scenarios, ")").c_str());
    }

    static void check_scenarios(const char* where, const monte_carlo_options& options) {
        if (options.scenarios == 0) throw_invalid_argument(where, "options.scenarios", 0, "> 0");
        if (options.antithetic && options.scenarios % 2 != 0)
            throw_invalid_argument(where, "options.scenarios", options.scenarios, "even when antithetic");
    }

    // A share [begin, end) of the fresh scenarios, cut at a multiple of `chunk`.
    static void check_range(const char* where, const monte_carlo_options& options, std::size_t begin, std::size_t end,
                            std::size_t chunk) {
        check_scenarios(where, options);
        const std::size_t fresh = fresh_count(options);
        if (end > fresh)
            throw_invalid_argument(where, "the end of the scenario range", end,
                                   detail::message("<= ", fresh, ", the fresh scenarios of the run").c_str());
        if (begin > end)
            throw_invalid_argument(where, "the begin of the scenario range", begin,
                                   detail::message("<= its end (", end, ")").c_str());
        if (begin % chunk != 0)
            throw_invalid_argument(where, "the begin of the scenario range", begin,
                                   detail::message("a multiple of ", chunk, " (the fixed scenario chunk)").c_str());
    }

    vector mean_;
    matrix factor_;
    Real nu_;
};

}  // namespace margincall
