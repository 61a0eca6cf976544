#pragma once
/// \file
/// Cross-protocol cascades: one simulation with several venues — perp exchanges (books driven by
/// cascade_steps, as cascade_simulator drives them) and lending protocols (a lending_market with
/// its accounts and one protocol's liquidation rule) — that share assets, AMM pools and push
/// oracles. A liquidation on one venue sells into a pool; the pool's price is what the oracles
/// post and what the perp venues mark at, so it reaches every other venue that reads the asset.
/// docs/cross-protocol.md has the step, the accounting and the sources.
///
/// Assets are numbered 0..n−1 and priced in one numeraire. An asset has at most one pool; the
/// pool quotes it in the numeraire or in an asset listed before it (a staked token against its
/// base), so the market price of asset a is
///   P_a = S_a                              without a pool (S_a its outside reference),
///   P_a = impact.price(S_a, Q_a) · P_b     with a pool quoting it in asset b (P_b = 1 for the numeraire),
/// with S_a the reference in the pool's own units (for a pegged pair, the outside peg) and Q_a
/// the pool's displacement. Every asset has a push oracle that watches P_a.
///
/// One step t (time τ_t, references S_t):
///  1. every pool recovers (t > 1): Q ← recover(Q); market prices P from (S_t, Q);
///  2. perp venues, in their order: crossings at the mark P_asset (venue_crossings), the batch's
///     volume V into the asset's pool, the new mark and the fill (VWAP, or the new mark for a call
///     auction), settlement in cents (venue_settlement) — cascade_simulator's step 2–5 verbatim;
///  3. lending rounds to the fixed point: the oracles observe P at τ_t; the accounts of every
///     lending venue that may be liquidatable at the oracle prices are evaluated (see "Cost") and
///     liquidated through the venue's pairs (debt, collateral) in order while its rule quotes an
///     allowed repay; the
///     round's seized collateral of each asset is sold into the asset's pool as one batch at the
///     batch's VWAP (kept at the oracle's price when the asset has no pool); repeat until a round
///     liquidates nobody (or the round budget runs out: reported).
/// The run ends at the first step at or after the end of the path in which nothing crossed,
/// traded or was liquidated and no keeper has anything pending: the fixed point.
///
/// Cost: a lending venue with one pair (d, c) indexes its single-pair accounts by
/// r* = d/(c·LT_c), sorted once when the simulator is built; a round reads off the accounts whose
/// r* the oracle ratio p_c/p_d has crossed, the changed accounts (a heap by their new r*) and the
/// ones left liquidatable, so with the perp venues' liquidation-price index a run costs what it
/// liquidates, not the size of the books. Accounts with several assets, and venues with several
/// pairs, are evaluated in every round. A run changes copies of the accounts it touches only;
/// `keep_accounts` (on by default) copies every account into the outcome.
/// Order independence: within a round every quote reads the same oracle prices and its own
/// account only, and the round's sales are one batch per asset, so the set of liquidations,
/// the amounts and the prices do not depend on the order of the accounts (sums up to rounding).
/// The perp venues keep cascade_simulator's order independence. With one perp venue and one
/// pool quoted in the numeraire the run is cascade_simulator's run (same outcome, tested); with
/// one lending venue, one pair and one pool it is run_lending_cascade's (tested).
/// Conservation: for each asset, the units that leave the lending accounts are the units sold
/// into its pool plus the units kept (no pool) plus the protocol fees; for each debt asset the
/// debt cleared is the debt repaid plus the bad debt; a liquidator's profit is its proceeds
/// (sale at the pool's fill valued at the quote asset's market price, plus kept collateral at
/// the oracle) less (repaid + account credit) at the debt asset's oracle price (tested to the cent).
/// \test tests/lending/cross_protocol.cpp

#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_steps.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/cross_protocol_outcome.hpp>
#include <margincall/cascade/cross_protocol_venues.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>
#include <margincall/lending/push_oracle.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace margincall {

/// The simulation: assets, pools, oracles and venues, checked once.
template <std::floating_point Real = double, class Liquidation = full_close>
    requires liquidation_policy<Liquidation, Real>
class cross_protocol_simulator {
public:
    /// \param assets the number of assets \param oracles one push oracle per asset (unposted)
    /// \throws margincall::invalid_argument naming the first bad field: no asset, an oracle count
    ///   that is not the asset count or an oracle that has posted already, a pool on an unknown
    ///   asset or quoted in an unknown or later asset, two pools on one asset, a perp venue on an
    ///   unknown asset or one without a pool, a lending venue whose assets list is not one global
    ///   asset per market asset, a pair outside its market, an account that does not fit its
    ///   market, a negative reserve
    cross_protocol_simulator(std::size_t assets, std::vector<cross_pool<Real>> pools, std::vector<push_oracle<Real>> oracles,
                             std::vector<cross_perp_venue<Real, Liquidation>> perps,
                             std::vector<cross_lending_venue<Real>> lendings, cross_protocol_options options = {})
        : n_{assets}, pools_{std::move(pools)}, oracles_{std::move(oracles)}, lending_{std::move(lendings)}, options_{options} {
        constexpr const char* where = "cross_protocol_simulator";
        if (n_ == 0) throw_invalid_argument(where, "the number of assets", 0, "> 0");
        if (oracles_.size() != n_)
            throw_invalid_argument(where, "the number of oracles", oracles_.size(), detail::message("the asset count ", n_).c_str());
        for (std::size_t a = 0; a < n_; ++a)
            if (oracles_[a].has_price())
                throw_invalid_argument(where, detail::message("oracles[", a, "]'s rounds posted"), 1, "0 (the run posts them)");
        pool_of_.assign(n_, npos);
        for (std::size_t k = 0; k < pools_.size(); ++k) {
            const auto& p = pools_[k];
            if (p.base() >= n_) throw_invalid_argument(where, detail::message("pools[", k, "].base"), p.base(), detail::message("< ", n_).c_str());
            if (p.quote() && !(*p.quote() < p.base()))
                throw_invalid_argument(where, detail::message("pools[", k, "].quote"), *p.quote(),
                                       detail::message("an asset listed before its base ", p.base()).c_str());
            if (pool_of_[p.base()] != npos)
                throw_invalid_argument(where, detail::message("pools[", k, "].base"), p.base(),
                                       detail::message("an asset without a pool (pools[", pool_of_[p.base()], "] trades it)").c_str());
            pool_of_[p.base()] = k;
        }
        for (std::size_t v = 0; v < perps.size(); ++v) {
            const auto& pv = perps[v];
            if (pv.asset >= n_ || pool_of_[pv.asset] == npos)
                throw_invalid_argument(where, detail::message("perp venue ", v, " (", pv.name, ").asset"), pv.asset,
                                       "an asset with a pool (its forced orders trade there)");
            if (pv.options.max_steps == 0)
                throw_invalid_argument(where, detail::message("perp venue ", v, " (", pv.name, ").options.max_steps"), 0, ">= 1");
            perp_.push_back({pv.name, pv.asset, cascade_steps<Real, Liquidation>(pv.books, pv.options, where), pv.options});
        }
        for (std::size_t v = 0; v < lending_.size(); ++v) {
            const auto& lv = lending_[v];
            const std::string name = detail::message("lending venue ", v, " (", lv.name, ")");
            if (lv.assets.size() != lv.market.size())
                throw_invalid_argument(where, name + ": the size of assets", lv.assets.size(),
                                       detail::message("the market's asset count ", lv.market.size()).c_str());
            for (std::size_t i = 0; i < lv.assets.size(); ++i)
                if (lv.assets[i] >= n_)
                    throw_invalid_argument(where, detail::message(name, ".assets[", i, "]"), lv.assets[i],
                                           detail::message("a known asset < ", n_).c_str());
            if (lv.pairs.empty()) throw_invalid_argument(where, name + ": the number of pairs", 0, "> 0");
            for (std::size_t k = 0; k < lv.pairs.size(); ++k) lv.market.check_pair(where, lv.pairs[k].first, lv.pairs[k].second, Real(0));
            for (const auto& a : lv.accounts) lv.market.check_account(where, a);
            check_non_negative(where, name + ".reserve", lv.reserve);
        }
        build_indexes();
        if (options_.max_steps == 0) throw_invalid_argument(where, "options.max_steps", 0, ">= 1");
        if (options_.max_rounds_per_step == 0) throw_invalid_argument(where, "options.max_rounds_per_step", 0, ">= 1");
    }

    [[nodiscard]] std::size_t assets() const noexcept { return n_; }
    [[nodiscard]] std::size_t perp_venues() const noexcept { return perp_.size(); }
    [[nodiscard]] std::span<const cross_lending_venue<Real>> lending_venues() const noexcept { return lending_; }

    /// Runs the path to the fixed point with a fresh workspace.
    [[nodiscard]] cross_protocol_outcome<Real> run(const cross_protocol_path<Real>& path) const {
        std::vector<cascade_workspace<Real>> ws(perp_.size());
        return run(path, ws);
    }

    /// Runs the path to the fixed point, reusing one workspace per perp venue (resized).
    /// \throws margincall::invalid_argument for a path whose start or steps do not hold one
    ///   reference per asset, a reference not finite and > 0, times not increasing or not one per
    ///   step, a pool price that is not finite and > 0 (a pool with zero liquidity), and what the
    ///   pools, rules and settlement throw (a sale beyond a pool's depth)
    [[nodiscard]] cross_protocol_outcome<Real> run(const cross_protocol_path<Real>& path,
                                                   std::vector<cascade_workspace<Real>>& ws) const {
        constexpr const char* where = "cross_protocol_simulator::run";
        check_path(path);
        ws.resize(perp_.size());
        cross_protocol_outcome<Real> out;
        out.perp.resize(perp_.size());
        out.venue_steps.resize(perp_.size() + lending_.size());
        out.lending_bad_debt.assign(lending_.size(), Real(0));
        for (std::size_t v = 0; v < perp_.size(); ++v) perp_[v].steps.prepare(ws[v], out.perp[v]);
        std::vector<lending_run> books(lending_.size());
        std::vector<push_oracle<Real>> oracles = oracles_;
        std::vector<Real> q(n_, Real(0));
        std::vector<Real> oracle(n_, Real(0));
        const std::vector<Real> start_market = market_prices(path.start, q, where);
        for (std::size_t v = 0; v < perp_.size(); ++v) {
            const Real s0 = start_market[perp_[v].asset];
            out.perp[v].start_price = s0;
            out.perp[v].lowest_price = s0;
            out.perp[v].highest_price = s0;
        }
        std::vector<Real> exo_move(perp_.size(), Real(0));
        std::vector<Real> mark_move(perp_.size(), Real(0));
        std::vector<std::vector<Real>> prices(lending_.size());
        for (std::size_t v = 0; v < lending_.size(); ++v) prices[v].assign(lending_[v].market.size(), Real(0));
        const std::size_t path_steps = path.steps.size();
        const Real spacing = path_steps > 1 ? path.times[path_steps - 1] - path.times[path_steps - 2] : Real(1);
        for (std::size_t t = 1;; ++t) {
            if (t > path_steps + options_.max_steps) {
                out.converged = false;
                for (auto& p : out.perp) p.converged = false;
                break;
            }
            if (t > 1)
                for (std::size_t a = 0; a < n_; ++a) q[a] = pool_of_[a] == npos ? Real(0) : pools_[pool_of_[a]].recover(q[a]);
            const auto& reference = t <= path_steps ? path.steps[t - 1] : path.steps.back();
            const Real time = t <= path_steps ? path.times[t - 1]
                                              : path.times.back() + spacing * static_cast<Real>(t - path_steps);
            cross_protocol_step<Real> step{.time = time, .reference = reference};
            std::vector<cross_venue_step<Real>> vstep(perp_.size() + lending_.size());
            for (auto& s : vstep) {
                s.sold.assign(n_, Real(0));
                s.taken.assign(n_, Real(0));
                s.repaid.assign(n_, Real(0));
                s.written_off.assign(n_, Real(0));
            }
            bool activity = false;
            // 2. perp venues: cascade_simulator's step on the asset's pool.
            for (std::size_t v = 0; v < perp_.size(); ++v) {
                const auto& pv = perp_[v];
                const std::size_t a = pv.asset;
                const auto& pool = pools_[pool_of_[a]];
                const Real scale = quote_price(pool, reference, q, where);
                const Real s_num = reference[a] * scale;  // the reference in the numeraire (cascade_simulator's S_t)
                exo_move[v] = std::max(exo_move[v], std::abs(s_num - out.perp[v].start_price));
                const Real mark = checked(pool.price(reference[a], q[a]) * scale, where);
                const bool any = pv.steps.collect_step(ws[v], t, mark);
                const Real volume = pv.steps.batch_volume(ws[v]);
                const Real q_new = q[a] + volume;
                const Real new_mark = checked(pool.price(reference[a], q_new) * scale, where);
                Real fill = new_mark;
                if constexpr (!Liquidation::uniform_price) fill = checked(pool.average_price(reference[a], q[a], q_new) * scale, where);
                const auto before = perp_totals(out.perp[v]);
                const bool traded = pv.steps.settle_step(ws[v], out.perp[v], s_num, new_mark, fill);
                q[a] = q_new;
                auto& rec = out.perp[v];
                rec.prices.push_back(new_mark);
                rec.reference_prices.push_back(s_num);
                rec.lowest_price = std::min(rec.lowest_price, new_mark);
                rec.highest_price = std::max(rec.highest_price, new_mark);
                mark_move[v] = std::max(mark_move[v], std::abs(new_mark - rec.start_price));
                if (traded) rec.steps_to_fixed_point = t;
                rec.final_price = new_mark;
                auto& vs = vstep[v];
                vs.sold[a] = -volume;
                const auto now = perp_totals(rec);
                vs.liquidations = now.count - before.count;
                vs.debt_repaid = now.notional - before.notional;
                vs.bad_debt = from_cents<Real>(now.bad_debt - before.bad_debt);
                vs.protocol_fees = from_cents<Real>(now.fees - before.fees);
                vs.liquidator_profit = from_cents<Real>(now.keeper_rewards - before.keeper_rewards);
                activity = activity || any || traded || cascade_steps<Real, Liquidation>::pending(ws[v]);
            }
            // 3. lending rounds to the fixed point.
            for (;;) {
                std::vector<Real> market = market_prices(reference, q, where);
                for (std::size_t a = 0; a < n_; ++a) {
                    oracles[a].observe(time, market[a]);
                    oracle[a] = oracles[a].price();
                }
                ++step.rounds;
                std::vector<Real> round_sold(n_, Real(0));
                std::vector<std::vector<Real>> venue_sold(lending_.size(), std::vector<Real>(n_, Real(0)));
                std::size_t liquidated = 0;
                for (std::size_t v = 0; v < lending_.size(); ++v) {
                    const auto& lv = lending_[v];
                    auto& p = prices[v];
                    for (std::size_t i = 0; i < p.size(); ++i) p[i] = oracle[lv.assets[i]];
                    auto& vs = vstep[perp_.size() + v];
                    auto& run = books[v];
                    const Real ratio = p[lv.pairs.front().second] / p[lv.pairs.front().first];
                    collect_candidates(v, run, ratio);
                    for (const std::size_t k : run.candidates) {
                        bool acted = false;
                        for (const auto& [d, c] : lv.pairs) {
                            const auto found = run.touched.find(k);
                            const lending_account<Real>& seen = found == run.touched.end() ? lv.accounts[k] : found->second;
                            const auto quote = lv.quote(lv.market, seen, std::span<const Real>(p), d, c);
                            if (!(quote.debt_repaid > 0 || quote.bad_debt > 0) || !quote.allowed) continue;
                            auto& account = run.touched.try_emplace(k, lv.accounts[k]).first->second;
                            apply_lending_liquidation(account, d, c, quote);
                            acted = true;
                            if (options_.record_liquidations)
                                out.liquidations.push_back({.venue = v, .step = t, .round = step.rounds, .account = k,
                                                            .debt = d, .collateral = c, .quote = quote, .prices = p});
                            ++liquidated;
                            ++vs.liquidations;
                            const std::size_t gd = lv.assets[d];
                            vs.repaid[gd] += quote.debt_repaid;
                            vs.written_off[gd] += quote.bad_debt;
                            vs.debt_repaid += quote.debt_repaid * p[d];
                            vs.bad_debt += quote.bad_debt * p[d];
                            vs.account_credit += quote.account_credit * p[d];
                            vs.protocol_fees += quote.protocol_fee * p[c];
                            vs.liquidator_profit -= (quote.debt_repaid + quote.account_credit) * p[d];
                            out.lending_bad_debt[v] += quote.bad_debt * p[d];
                            auto take = [&](std::size_t i, Real units, Real to_liquidator) {
                                const std::size_t g = lv.assets[i];
                                vs.taken[g] += units;
                                if (pool_of_[g] == npos) vs.liquidator_profit += to_liquidator * p[i];
                                else {
                                    venue_sold[v][g] += to_liquidator;
                                    round_sold[g] += to_liquidator;
                                }
                            };
                            if (quote.taken_by_asset.empty()) take(c, quote.collateral_taken, quote.collateral_seized);
                            else
                                for (std::size_t i = 0; i < quote.taken_by_asset.size(); ++i)
                                    if (quote.taken_by_asset[i] > 0)
                                        take(i, quote.taken_by_asset[i],
                                             i == c ? quote.collateral_seized : quote.taken_by_asset[i]);
                        }
                        place(v, run, k, ratio, acted);
                    }
                }
                // The round's sales: one batch per asset at the pool's VWAP, valued at the quote
                // asset's market price at the start of the round.
                for (std::size_t a = 0; a < n_; ++a) {
                    if (!(round_sold[a] > 0)) continue;
                    const auto& pool = pools_[pool_of_[a]];
                    const Real fill = pool.average_price(reference[a], q[a], q[a] - round_sold[a]) *
                                      (pool.quote() ? market[*pool.quote()] : Real(1));
                    checked(fill, where);
                    q[a] -= round_sold[a];
                    for (std::size_t v = 0; v < lending_.size(); ++v) {
                        auto& vs = vstep[perp_.size() + v];
                        vs.sold[a] += venue_sold[v][a];
                        vs.liquidator_profit += venue_sold[v][a] * fill;
                    }
                }
                if (liquidated == 0) break;
                activity = true;
                if (step.rounds >= options_.max_rounds_per_step) {
                    step.budget_exhausted = true;
                    break;
                }
            }
            step.market_price = market_prices(reference, q, where);
            step.pool_price.assign(n_, Real(0));
            for (std::size_t a = 0; a < n_; ++a)
                step.pool_price[a] = pool_of_[a] == npos ? reference[a] : pools_[pool_of_[a]].price(reference[a], q[a]);
            step.oracle_price = oracle;
            out.steps.push_back(std::move(step));
            for (std::size_t v = 0; v < vstep.size(); ++v) out.venue_steps[v].push_back(std::move(vstep[v]));
            if (t >= path_steps && !activity) break;
        }
        for (std::size_t v = 0; v < perp_.size(); ++v) {
            auto& rec = out.perp[v];
            const bool record = perp_[v].options.record_steps;
            if (!record) {
                rec.prices.clear();
                rec.reference_prices.clear();
            }
            const Real s0 = rec.start_price;
            rec.drawdown = (s0 - rec.lowest_price) / s0;
            if (exo_move[v] > 0) rec.amplification = mark_move[v] / exo_move[v];
            else rec.amplification = mark_move[v] > 0 ? std::numeric_limits<Real>::infinity() : Real(1);
        }
        out.changed_accounts.resize(lending_.size());
        for (std::size_t v = 0; v < lending_.size(); ++v) {
            auto& changed = out.changed_accounts[v];
            for (auto& [k, a] : books[v].touched) changed.emplace_back(k, std::move(a));
            std::sort(changed.begin(), changed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            if (options_.keep_accounts) {
                out.lending_accounts.push_back(lending_[v].accounts);
                for (const auto& [k, a] : changed) out.lending_accounts.back()[k] = a;
            }
        }
        out.displacement = q;
        out.amplification.assign(n_, std::nullopt);
        const auto& last = out.steps.back();
        for (std::size_t a = 0; a < n_; ++a) {
            const Real shock = path.start[a] - last.reference[a];
            if (pool_of_[a] != npos && shock != 0) out.amplification[a] = (path.start[a] - last.pool_price[a]) / shock;
        }
        return out;
    }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    /// A lending venue's state in one run: the accounts it changed (copy on write), the cursor
    /// into the venue's index, the heap of changed accounts by their new threshold, the accounts
    /// left liquidatable without an allowed quote, and the round's candidates.
    struct lending_run {
        std::unordered_map<std::size_t, lending_account<Real>> touched;
        std::size_t cursor{0};
        std::vector<std::pair<Real, std::size_t>> heap;
        std::vector<std::size_t> pending;
        std::vector<std::size_t> candidates;
    };

    /// For a venue with one pair (d, c), an account whose only collateral is c and only debt d
    /// has HF = c·p_c·LT_c / (d·p_d) < 1 iff p_c/p_d < r* = d/(c·LT_c) (docs/lending.md, "One
    /// health factor"): such accounts are indexed by r*, sorted once, largest first, and a round
    /// reads off those with r* > p_c/p_d (the perp book's liquidation-price index,
    /// venue_crossings.hpp, for a ratio of prices). Every other account (several assets, a venue
    /// with several pairs, a collateral of weight 0) is re-evaluated in every round.
    [[nodiscard]] std::optional<Real> threshold(std::size_t v, const lending_account<Real>& a) const {
        const auto& lv = lending_[v];
        if (lv.pairs.size() != 1) return std::nullopt;
        const auto [d, c] = lv.pairs.front();
        for (std::size_t i = 0; i < lv.market.size(); ++i) {
            if (i != d && a.debt[i] > 0) return std::nullopt;
            if (i != c && a.collateral[i] > 0 && lv.market.asset(i).collateral) return std::nullopt;
        }
        const Real weight = a.collateral[c] * lv.market.collateral_weight(a.emode, c);
        if (!(weight > 0)) return a.debt[d] > 0 ? std::nullopt : std::optional<Real>(Real(0));
        return a.debt[d] / weight;
    }

    void build_indexes() {
        index_.resize(lending_.size());
        brute_.resize(lending_.size());
        for (std::size_t v = 0; v < lending_.size(); ++v) {
            const auto& accounts = lending_[v].accounts;
            for (std::size_t k = 0; k < accounts.size(); ++k) {
                const auto r = threshold(v, accounts[k]);
                if (!r) brute_[v].push_back(k);
                else if (*r > 0) index_[v].emplace_back(*r, k);  // r* = 0: no debt, never liquidatable
            }
            std::sort(index_[v].begin(), index_[v].end(), [](const auto& x, const auto& y) {
                return x.first > y.first || (x.first == y.first && x.second < y.second);
            });
        }
    }

    /// The round's candidates of venue v at price ratio `ratio`: indexed accounts whose r* the
    /// ratio has crossed, changed accounts whose new r* it has crossed, the accounts left
    /// liquidatable, and every account outside the index.
    void collect_candidates(std::size_t v, lending_run& run, Real ratio) const {
        run.candidates.clear();
        const auto& idx = index_[v];
        while (run.cursor < idx.size() && idx[run.cursor].first > ratio) run.candidates.push_back(idx[run.cursor++].second);
        while (!run.heap.empty() && run.heap.front().first > ratio) {
            std::pop_heap(run.heap.begin(), run.heap.end());
            run.candidates.push_back(run.heap.back().second);
            run.heap.pop_back();
        }
        run.candidates.insert(run.candidates.end(), run.pending.begin(), run.pending.end());
        run.pending.clear();
        run.candidates.insert(run.candidates.end(), brute_[v].begin(), brute_[v].end());
    }

    /// Where a candidate goes after its evaluation: an account outside the index stays in the
    /// every-round list; an indexed one leaves the run without debt, is re-tried every round
    /// while its r* is still above the ratio and no allowed quote moved it (Aave's dust rule),
    /// else waits in the heap under its new r*.
    void place(std::size_t v, lending_run& run, std::size_t k, Real ratio, bool acted) const {
        const auto found = run.touched.find(k);
        const auto& a = found == run.touched.end() ? lending_[v].accounts[k] : found->second;
        if (!threshold(v, lending_[v].accounts[k])) return;  // in brute_: every round
        const auto r = threshold(v, a);
        if (r && !(*r > 0)) return;  // no debt left: done
        if (!r || (*r > ratio && !acted)) {  // (a rule that added an asset: every round from now on)
            run.pending.push_back(k);
            return;
        }
        run.heap.emplace_back(*r, k);
        std::push_heap(run.heap.begin(), run.heap.end());
    }

    struct perp_group {
        std::string name;
        std::size_t asset;
        cascade_steps<Real, Liquidation> steps;
        cascade_options options;
    };

    struct perp_sums {
        std::size_t count{0};
        Real notional{0};
        std::int64_t bad_debt{0};
        std::int64_t fees{0};
        std::int64_t keeper_rewards{0};
    };
    static perp_sums perp_totals(const cascade_outcome<Real>& o) noexcept {
        perp_sums s;
        for (const auto& v : o.venues) {
            s.count += v.liquidated_count;
            s.notional += v.liquidated_notional;
            s.bad_debt += v.ledger.bad_debt;
            s.fees += v.ledger.fees;
            s.keeper_rewards += v.ledger.keeper_rewards;
        }
        return s;
    }

    static Real checked(Real price, const char* where) {
        if (!(price > 0) || !detail::is_finite(price))
            throw_invalid_argument(where, "a pool's price", price, "finite and > 0 (a pool with no liquidity left, or a path beyond its depth)");
        return price;
    }

    void check_path(const cross_protocol_path<Real>& path) const {
        constexpr const char* where = "cross_protocol_simulator::run";
        auto check_row = [&](const std::vector<Real>& row, const std::string& name) {
            if (row.size() != n_)
                throw_invalid_argument(where, "the size of " + name, row.size(), detail::message("the asset count ", n_).c_str());
            for (std::size_t a = 0; a < n_; ++a) check_positive(where, detail::message(name, "[", a, "]"), row[a]);
        };
        check_row(path.start, "path.start");
        if (path.steps.empty()) throw_invalid_argument(where, "the size of path.steps", 0, "> 0");
        if (path.times.size() != path.steps.size())
            throw_invalid_argument(where, "the size of path.times", path.times.size(),
                                   detail::message("the size of path.steps ", path.steps.size()).c_str());
        for (std::size_t t = 0; t < path.steps.size(); ++t) {
            check_row(path.steps[t], detail::message("path.steps[", t, "]"));
            check_finite(where, detail::message("path.times[", t, "]"), path.times[t]);
            if (t > 0 && !(path.times[t] > path.times[t - 1]))
                throw_invalid_argument(where, detail::message("path.times[", t, "]"), path.times[t],
                                       detail::message("> path.times[", t - 1, "] ", path.times[t - 1]).c_str());
        }
    }

    /// The numeraire price of the pool's quote asset.
    Real quote_price(const cross_pool<Real>& pool, const std::vector<Real>& reference, const std::vector<Real>& q,
                     const char* where) const {
        if (!pool.quote()) return Real(1);
        const std::size_t b = *pool.quote();
        return pool_of_[b] == npos ? reference[b] : checked(pools_[pool_of_[b]].price(reference[b], q[b]), where) *
                                                        quote_price(pools_[pool_of_[b]], reference, q, where);
    }

    /// Every asset's market price (numeraire) at references `reference` and displacements q.
    std::vector<Real> market_prices(const std::vector<Real>& reference, const std::vector<Real>& q, const char* where) const {
        std::vector<Real> p(n_);
        for (std::size_t a = 0; a < n_; ++a) {
            if (pool_of_[a] == npos) {
                p[a] = reference[a];
                continue;
            }
            const auto& pool = pools_[pool_of_[a]];
            p[a] = checked(pool.price(reference[a], q[a]), where) * (pool.quote() ? p[*pool.quote()] : Real(1));
        }
        return p;
    }

    std::size_t n_;
    std::vector<cross_pool<Real>> pools_{};
    std::vector<push_oracle<Real>> oracles_{};
    std::vector<perp_group> perp_{};
    std::vector<cross_lending_venue<Real>> lending_{};
    cross_protocol_options options_;
    std::vector<std::size_t> pool_of_{};
    std::vector<std::vector<std::pair<Real, std::size_t>>> index_{};  ///< per lending venue: (r*, account), r* descending
    std::vector<std::vector<std::size_t>> brute_{};                   ///< per lending venue: accounts outside the index
};

}  // namespace margincall
