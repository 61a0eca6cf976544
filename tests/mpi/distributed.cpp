// Tests of include/margincall/mpi/: run by CTest under mpirun with 1, 2 and 4 ranks. Each result
// is compared bit for bit with the single-process computation (the Philox overloads, remark_shards,
// book_historical_tail_risk), which every rank also runs locally: equal on 1, 2 and 4 ranks.
// Bad input on one rank throws the same error on every rank (no rank is left in a collective).
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/mpi.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/remark_shards.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <mpi.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#define CATCH_CONFIG_RUNNER
#include "catch.hpp"
#include "parallel/same_bits.hpp"
#include "parallel/workload_fixtures.hpp"

using namespace margincall;
using test_support::same_bits;
using test_support::three_factors;


TEST_CASE("a communicator refuses MPI that is not initialised", "[mpi]") {
    // Here MPI is initialised (main), so the check passes; the refusals before MPI_Init and
    // after MPI_Finalize are tested by tests/mpi/not_initialised.cpp. The rank/size are MPI's.
    mpi::communicator comm;
    int rank = -1, size = -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(comm.rank() == rank);
    CHECK(comm.size() == size);
    CHECK(comm.is_root() == (rank == 0));
}

TEST_CASE("share_of cuts whole units, in rank order, covering everything once", "[mpi]") {
    for (const std::size_t units : {4u, 7u, 1000u, 1001u})
        for (const int size : {1, 2, 3, 4}) {
            std::size_t next = 0;
            for (int r = 0; r < size; ++r) {
                const auto s = mpi::share_of(units, r, size);
                CHECK(s.begin == next);
                CHECK(s.end - s.begin >= units / static_cast<std::size_t>(size));
                CHECK(s.end - s.begin <= units / static_cast<std::size_t>(size) + 1);
                next = s.end;
            }
            CHECK(next == units);
        }
}

TEST_CASE("distributed Monte Carlo VaR equals the single-process run bit for bit", "[mpi][mc]") {
    mpi::communicator comm;
    const std::vector<double> positions{1.0e6, -4.0e5, 2.5e5};
    const philox_streams streams(20261130);
    const auto pricer = [&](std::span<const double> x) {
        const double s = 100.0 * std::exp(x[0]);
        return positions[0] * x[0] + positions[1] * x[1] + positions[2] * x[2] - 5.0e4 * std::max(s - 105.0, 0.0);
    };
    for (const double nu : {std::numeric_limits<double>::infinity(), 5.0}) {
        const auto model = three_factors(nu);
        for (const bool antithetic : {false, true}) {
            // 20,000 scenarios: 20 linear chunks, 79 revaluation chunks (the last one short).
            const monte_carlo_options options{20000, antithetic, quantile_type::type1};
            INFO("nu " << nu << ", antithetic " << antithetic << ", ranks " << comm.size());
            const auto linear_reference = model.linear(std::span<const double>(positions), 0.99, streams, options);
            const auto linear = mpi::monte_carlo_var_linear(comm, model, std::span<const double>(positions), 0.99,
                                                            streams, options);
            CHECK(same_bits(linear, linear_reference));
            const auto full_reference = model.full_revaluation(pricer, 0.975, streams, options);
            const auto full = mpi::monte_carlo_var_full_revaluation(comm, model, pricer, 0.975, streams, options);
            CHECK(same_bits(full, full_reference));
            CHECK(full.value_at_risk > 0.0);
        }
    }
}

TEST_CASE("distributed cascade Monte Carlo equals the single-process run bit for bit", "[mpi][cascade]") {
    mpi::communicator comm;
    const liquidation_book<double> b = test_support::random_leveraged_book(2000);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.002), {sim::venue{&b, {}, {200.0, 0.005, residual_loss::bad_debt}, {}}},
                cascade_options{100000, false});
    const auto sampler = [](philox_stream& stream) {
        return exogenous_shock<double>::instant_relative(100.0, std::max(-0.5, 0.04 * stream.normal()));
    };
    const philox_streams streams(2024);
    const std::size_t runs = 301;  // 5 chunks of 64 runs, the last one short
    const auto reference = cascade_monte_carlo(s, runs, sampler, streams, 0.95);
    double positive = 0;
    for (const double d : reference.bad_debt) positive += d > 0 ? 1 : 0;
    REQUIRE(positive > 0);  // the shocks produce bad debt: the comparison is not vacuous
    const auto d = mpi::cascade_monte_carlo(comm, s, runs, sampler, streams, 0.95);
    CHECK(same_bits(d.bad_debt_risk, reference.bad_debt_risk));
    CHECK(same_bits(d.liquidated_risk, reference.liquidated_risk));
    CHECK(d.unconverged_runs == reference.unconverged_runs);
    CHECK(d.runs == runs);
    // The means: per-chunk sums of 64 runs in run order, chunks combined pairwise.
    const fixed_chunks chunks(runs, mpi::run_chunk);
    const double bad_sum = ordered_sum<double>(sequential_executor{}, chunks, [&](std::size_t r) { return reference.bad_debt[r]; });
    const double liq_sum =
        ordered_sum<double>(sequential_executor{}, chunks, [&](std::size_t r) { return reference.liquidated_notional[r]; });
    CHECK(same_bits(d.mean_bad_debt, bad_sum / static_cast<double>(runs)));
    CHECK(same_bits(d.mean_liquidated_notional, liq_sum / static_cast<double>(runs)));
}

namespace {
struct sharded_fixture {
    using linear = linear_contract<double>;
    tier_schedule<double> btc{{{0, 50000, 125, 0.004, 0.0},
                               {50000, 250000, 100, 0.005, 50.0},
                               {250000, 3000000, 50, 0.01, 1300.0},
                               {3000000, 20000000, 20, 0.025, 46300.0}}};
    std::vector<linear> contracts{linear{}, linear{}};
    std::vector<bracket_table<double>> models{bracket_table<double>(btc), bracket_table<double>(btc)};
    std::vector<double> marks{20000.0, 1500.0};
    std::vector<position_book<double>> shards;
    sharded_fixture() {
        position_book<double> book;
        std::mt19937_64 gen(42);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t k = 0; k < 1001; ++k) {
            book.add_pool(2000.0 * u(gen));
            for (int j = 0; j < 1 + static_cast<int>(k % 3); ++j) {
                const std::uint32_t s = static_cast<std::uint32_t>(u(gen) < 0.5);
                const double qty = (u(gen) < 0.5 ? 1.0 : -1.0) * 100.0 * std::exp(u(gen) * 7.0) / marks[s];
                book.add_position(s, qty, marks[s] * (0.9 + 0.2 * u(gen)), 1.0 + std::floor(u(gen) * 50.0));
            }
        }
        shards = split_book(book, 64);  // 16 shards
    }
};
}  // namespace

TEST_CASE("sharded re-mark and historical VaR/ES equal the single-process results bit for bit", "[mpi][book]") {
    mpi::communicator comm;
    const sharded_fixture f;
    const status_thresholds<double> t{};
    const auto reference = remark_shards<sharded_fixture::linear, bracket_table<double>, double>(
        f.shards, f.contracts, f.models, f.marks, t);
    const auto mine = mpi::share_of(f.shards.size(), comm.rank(), comm.size());
    const std::span<const position_book<double>> local(f.shards.data() + mine.begin, mine.end - mine.begin);
    const auto totals = mpi::remark_book<sharded_fixture::linear, bracket_table<double>>(
        comm, local, f.shards.size(), std::span<const sharded_fixture::linear>(f.contracts),
        std::span<const bracket_table<double>>(f.models), std::span<const double>(f.marks), t);
    CHECK(totals.count == reference.count);
    CHECK(same_bits(totals.equity, reference.equity));
    CHECK(same_bits(totals.maintenance_margin, reference.maintenance_margin));
    CHECK(same_bits(totals.initial_margin, reference.initial_margin));
    CHECK(same_bits(totals.call_amount, reference.call_amount));
    CHECK(same_bits(totals.called_amount, reference.called_amount));
    CHECK(reference[margin_status::liquidation] + reference[margin_status::margin_call] > 0);  // not vacuous

    // 500 historical scenarios of the two marks (a fixed pseudo-random path).
    std::mt19937_64 gen(9);
    std::normal_distribution<double> z(0.0, 0.03);
    std::vector<double> scenario_marks;
    for (int d = 0; d < 500; ++d) {
        scenario_marks.push_back(f.marks[0] * std::exp(z(gen)));
        scenario_marks.push_back(f.marks[1] * std::exp(z(gen)));
    }
    std::vector<std::vector<double>> pnl;
    for (const auto& shard : f.shards)
        pnl.push_back(shard_scenario_pnl(shard, std::span<const sharded_fixture::linear>(f.contracts),
                                         std::span<const double>(f.marks), std::span<const double>(scenario_marks)));
    // One position's P&L by hand: q·(P_t − P_0) for a linear contract of multiplier 1.
    const auto& s0 = f.shards[0];
    const double expected0 = s0.quantity()[0] * (scenario_marks[s0.symbol()[0]] - f.marks[s0.symbol()[0]]);
    position_book<double> one;
    one.add_pool(1.0);
    one.add_position(s0.symbol()[0], s0.quantity()[0], s0.entry_price()[0], s0.leverage()[0]);
    CHECK(same_bits(shard_scenario_pnl(one, std::span<const sharded_fixture::linear>(f.contracts),
                                       std::span<const double>(f.marks), std::span<const double>(scenario_marks))[0],
                    expected0));
    for (const double alpha : {0.95, 0.99}) {
        const auto book_reference = book_historical_tail_risk(std::span<const std::vector<double>>(pnl), alpha);
        const auto risk = mpi::book_historical_tail_risk(
            comm, std::span<const std::vector<double>>(pnl.data() + mine.begin, mine.end - mine.begin), pnl.size(), alpha);
        CHECK(same_bits(risk, book_reference));
    }
}

TEST_CASE("distributed historical VaR/ES of a split sample equals the whole sample's", "[mpi][tail]") {
    mpi::communicator comm;
    std::mt19937_64 gen(11);
    std::student_t_distribution<double> t(3.0);
    std::vector<double> all(100003);
    for (auto& v : all) v = t(gen);
    const auto mine = mpi::share_of(all.size(), comm.rank(), comm.size());
    for (const double alpha : {0.9, 0.99, 0.9999}) {
        const auto reference = historical_simulation<double>{}.estimate(std::span<const double>(all), alpha);
        const auto risk = mpi::historical_tail_risk(
            comm, std::span<const double>(all.data() + mine.begin, mine.end - mine.begin), alpha);
        CHECK(same_bits(risk, reference));
    }
    // Traffic: what a rank sends is its candidates (the tail), not its part of the sample.
    comm.reset_traffic();
    (void)mpi::historical_tail_risk(comm, std::span<const double>(all.data() + mine.begin, mine.end - mine.begin), 0.99);
    const std::size_t k = tail_candidate_count(all.size(), 0.99);
    const std::size_t bound = (comm.is_root() ? static_cast<std::size_t>(comm.size()) + 1 : 1) * k * sizeof(double) + 512;
    CHECK(comm.traffic().bytes <= bound);
}

TEST_CASE("bad input on one rank throws the same error on every rank", "[mpi][errors]") {
    mpi::communicator comm;
    const auto model = three_factors(std::numeric_limits<double>::infinity());
    const std::vector<double> positions{1.0, 2.0, 3.0};
    const philox_streams streams(1);
    // A different scenario count on the last rank (when there are several).
    const std::size_t scenarios = comm.size() > 1 && comm.rank() == comm.size() - 1 ? 30000 : 20000;
    if (comm.size() > 1) {
        CHECK_THROWS_WITH(mpi::monte_carlo_var_linear(comm, model, std::span<const double>(positions), 0.99, streams,
                                                      {scenarios, false, quantile_type::type1}),
                          "margincall::mpi::monte_carlo_var_linear: options.scenarios differs between ranks (20000 to "
                          "30000), but must be the same on every rank");
    }
    // A non-finite position on rank 0 only: every rank throws, naming rank 0 and the position.
    std::vector<double> bad = positions;
    if (comm.is_root()) bad[1] = std::nan("");
    CHECK_THROWS_WITH(mpi::monte_carlo_var_linear(comm, model, std::span<const double>(bad), 0.99, streams,
                                                  {20000, false, quantile_type::type1}),
                      Contains("positions[1] is nan"));
    // More ranks than work: 1,024 scenarios are one chunk.
    if (comm.size() > 1) {
        CHECK_THROWS_WITH(mpi::monte_carlo_var_linear(comm, model, std::span<const double>(positions), 0.99, streams,
                                                      {1024, false, quantile_type::type1}),
                          Contains("the number of ranks is " + std::to_string(comm.size()) +
                                   ", but must be <= the scenario chunks of the run (1 of 1024"));
    }
    // A shard count that is not the rank's share.
    const sharded_fixture f;
    const status_thresholds<double> t{};
    CHECK_THROWS_WITH((mpi::remark_book<sharded_fixture::linear, bracket_table<double>>(
                          comm, std::span<const position_book<double>>(f.shards.data(), 1), f.shards.size(),
                          std::span<const sharded_fixture::linear>(f.contracts),
                          std::span<const bracket_table<double>>(f.models), std::span<const double>(f.marks), t)),
                      Contains("this rank's number of shards is 1, but must be"));
}

int main(int argc, char* argv[]) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const int failed = Catch::Session().run(argc, argv);
    // Every rank's verdict: the test fails if any rank failed.
    int worst = failed;
    MPI_Allreduce(&failed, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return worst != 0 ? 1 : 0;
}
