"""Tier schedules from venue JSON, books from columns and CSV, re-mark, reports, liquidation prices.

Expected values are those of the C++ tests: Binance's published BTCUSDT brackets and FAQ worked
example (tests/io/bracket_json.cpp), the hand-derived account of tests/calculator/calculator.cpp,
and the Binance liquidation formula evaluated independently in tests/reference/liquidation_binance.py.
"""

import math

import numpy as np
import pytest

import margincall as mc

INF = math.inf


def btc() -> mc.TierSchedule:
    # Binance BTCUSDT brackets 1-3, open-ended at 2.5 % beyond 3M (tests/calculator/calculator.cpp).
    return mc.TierSchedule([0, 50000, 250000, 3000000], [50000, 250000, 3000000, INF], [125, 100, 50, 20],
                           [0.004, 0.005, 0.01, 0.025])


def eth() -> mc.TierSchedule:
    return mc.TierSchedule([0, 10000, 100000], [10000, 100000, INF], [100, 75, 50], [0.005, 0.0065, 0.01])


def test_binance_usdm_brackets_load_the_published_table(corpus_dir):
    all_ = mc.load_binance_brackets(str(corpus_dir / "binance_usdm.json"))
    assert list(all_) == ["BTCUSDT", "ETHUSDT"]
    s = all_["BTCUSDT"]
    assert len(s) == 10 and s.basis == "notional"
    t = s.tiers()
    assert t["floor"][2] == 250000 and t["cap"][2] == 3000000 and t["max_leverage"][2] == 50
    assert t["maintenance_rate"][9] == 0.5
    # Binance FAQ: 264,000 USDT falls in the 1 % tier; level 3 cum = 250,000 x (1 % - 0.5 %) + 50 = 1,300.
    assert s.maintenance_rate([264000.0])[0] == 0.01
    assert s.maintenance_amount([500000.0])[0] == pytest.approx(1300.0, abs=1e-9)
    assert t["maintenance_amount"][9] == pytest.approx(103046300.0, abs=1e-6)
    assert all_["ETHUSDT"].tiers()["maintenance_amount"][2] == pytest.approx(365.0, abs=1e-9)


def test_maintenance_margin_in_batch_matches_the_bracket_formula():
    s = btc()
    notional = np.array([0.0, 28500.0, 49999.0, 50000.0, 264000.0, 5e6])
    # By hand: MM = notional x MMR_i - cum_i with cum = 0, 50, 1300, 46300.
    expected = [0.0, 114.0, 199.996, 200.0, 1340.0, 5e6 * 0.025 - 46300.0]
    np.testing.assert_allclose(s.maintenance_margin(notional), expected, rtol=1e-14, atol=1e-9)
    assert list(s.tier_index(notional)) == [0, 0, 0, 1, 2, 3]
    assert s.initial_margin(28500.0, 1.5, 20.0) == 1425.0
    assert s.max_size(100.0) == 250000.0
    assert s.size_limit == INF


def test_generic_and_coin_m_json(corpus_dir):
    symbol, g = mc.load_tier_schedule_json(str(corpus_dir / "generic_okx_style.json"))
    assert symbol == "ADA-USDT-SWAP" and g.basis == "quantity"
    assert g.tiers()["cap"][-1] == INF
    assert g.maintenance_rate([7000.0])[0] == 0.015
    coin = mc.load_binance_brackets(str(corpus_dir / "binance_coinm.json"))
    assert coin["BTCUSD"].tiers()["floor"][1] == 5
    assert coin["BTCUSD"].tiers()["maintenance_amount"][2] == pytest.approx(0.055, abs=1e-15)
    with pytest.raises(ValueError, match="quantity is missing, but must be given for a quantity-basis schedule"):
        g.maintenance_margin([1.0])


@pytest.mark.parametrize("text, message", [
    ("42", "parse_binance_brackets(x.json): (root) is a number, but must be an array or an object"),
    ("[]", "parse_binance_brackets(x.json): (root) is empty, but must be a non-empty array"),
    ('[{"symbol": 7, "brackets": []}]', "parse_binance_brackets(x.json): /0/symbol is a number, but must be a string"),
    ("", "parse_binance_brackets(x.json): the JSON text at line 1, column 1 is malformed, but must be valid JSON"),
])
def test_loader_errors_arrive_as_value_error_with_the_library_message(text, message):
    with pytest.raises(ValueError) as e:
        mc.parse_binance_brackets(text, "x.json")
    assert str(e.value) == message


def test_schedule_validation_errors():
    with pytest.raises(ValueError) as e:
        mc.TierSchedule([1], [2], [3], [0.01])
    assert str(e.value) == "tier_schedule: floor of tier 1 is 1, but must be 0"
    with pytest.raises(ValueError, match="the size of cap is 2, but must be 1"):
        mc.TierSchedule([0], [1, 2], [3], [0.01])
    with pytest.raises(ValueError, match='basis is "coins", but must be "notional" or "quantity"'):
        mc.TierSchedule([0], [INF], [10], [0.01], basis="coins")


def calculator_book() -> mc.Book:
    # The account of tests/calculator/calculator.cpp: cross long BTC, cross short ETH, isolated long BTC
    # (symbol 2 is a second BTC contract, so its mark can differ).
    return mc.Book(["BTC", "ETH", "BTC2"], {"BTC": btc(), "ETH": eth(), "BTC2": btc()},
                   wallet_balance=[10000.0], account=[0, 0, 0], symbol=[0, 1, 2], quantity=[1.5, -20.0, 2.0],
                   entry_price=[20000.0, 1500.0, 21000.0], leverage=[20.0, 10.0, 25.0],
                   isolated=[0, 0, 1], isolated_margin=[0.0, 0.0, 1800.0])


MARKS = np.array([19000.0, 1600.0, 20500.0])


def test_remark_returns_numpy_columns_derived_by_hand():
    b = calculator_book()
    assert (b.accounts, b.pools, b.positions) == (1, 2, 3)
    r = b.remark(MARKS)
    # Cross pool: 10,000 + 1.5 (19,000 - 20,000) - 20 (1,600 - 1,500) = 6,500; IM 28,500/20 + 32,000/10 = 4,625;
    # MM 0.004 x 28,500 + (0.0065 x 32,000 - 15) = 114 + 193 = 307.
    # Isolated pool: 1,800 + 2 (20,500 - 21,000) = 800; IM 41,000/25 = 1,640; MM 0.004 x 41,000 = 164; call 840.
    np.testing.assert_allclose(r["equity"], [6500.0, 800.0], rtol=1e-15)
    np.testing.assert_allclose(r["initial_margin"], [4625.0, 1640.0], rtol=1e-15)
    np.testing.assert_allclose(r["maintenance_margin"], [307.0, 164.0], rtol=1e-14)
    np.testing.assert_allclose(r["call_amount"], [0.0, 840.0], atol=1e-9)
    # Ratios 307/6,500 = 0.047 and 164/800 = 0.205, both below the 0.5 warning level.
    assert r["status"].dtype == np.uint8 and list(r["status"]) == [0, 0]
    assert r["counts"]["healthy"] == 2
    assert r["total_call_amount"] == pytest.approx(840.0)
    assert list(b.pool_account()) == [0, 0]


def test_remark_marks_a_pool_into_liquidation():
    b = calculator_book()
    # Isolated long at 20,000: equity 1,800 - 2,000 < 0 -> liquidation (status 4).
    r = b.remark(np.array([19000.0, 1600.0, 20000.0]))
    assert mc.MARGIN_STATUS[r["status"][1]] == "liquidation"


def test_report_gives_the_hand_derived_liquidation_and_bankruptcy_prices():
    rep = calculator_book().report(0, MARKS)
    assert len(rep["positions"]) == 3
    assert rep["equity"] == pytest.approx(6500.0 + 800.0)
    iso = rep["positions"][2]
    # Isolated long, tier 1: 1,800 + 2 (P - 21,000) = 0.004 x 2P  =>  P = 40,200 / 1.992; bankruptcy 20,100.
    assert iso["liquidation_downside"]["status"] == "found"
    assert iso["liquidation_downside"]["price"] == pytest.approx(40200.0 / 1.992, rel=1e-12)
    assert iso["bankruptcy_downside"]["price"] == pytest.approx(20100.0, rel=1e-12)
    assert rep["positions"][0]["liquidation_upside"]["status"] == "unreachable"
    assert rep["cross"]["equity"] == pytest.approx(6500.0)


def test_book_from_csv(corpus_dir):
    b = mc.Book.from_csv(str(corpus_dir / "book.csv"), {"BTCUSDT": btc(), "ETHUSDT": eth()})
    assert b.symbols == ["BTCUSDT", "ETHUSDT"]
    assert b.account_ids == ["alice", "bob", "carol"]
    assert (b.accounts, b.positions) == (3, 5)
    r = b.remark([19000.0, 1600.0])
    # alice's cross pool is the calculator account's cross pool: 6,500.
    assert r["equity"][0] == pytest.approx(6500.0)
    # bob's isolated leg: 1,800 + 2 (19,000 - 21,000) = -2,200 -> liquidation.
    assert r["equity"][1] == pytest.approx(-2200.0) and r["status"][1] == 4
    # carol is in hedge mode: the report takes the hedge-mode calculator.
    assert b.report(2, [19000.0, 1600.0])["equity"] == pytest.approx(5000.0 + 3 * -1000.0 - 1 * -2000.0)
    with pytest.raises(ValueError, match='the schedule of symbol "ETHUSDT" is missing'):
        mc.Book.from_csv(str(corpus_dir / "book.csv"), {"BTCUSDT": btc()})


def test_book_errors_name_the_row():
    with pytest.raises(ValueError) as e:
        mc.Book(["BTC"], {"BTC": btc()}, [1000.0], [0, 0], [0, 0], [1.0, 1.0], [100.0, 100.0], [5.0, 0.0])
    assert str(e.value) == "book: positions[1].leverage is 0, but must be finite and > 0"
    with pytest.raises(ValueError) as e:
        mc.Book(["BTC"], {"BTC": btc()}, [1000.0], [9], [0], [1.0], [100.0], [5.0])
    assert str(e.value) == "book: positions[0].account is 9, but must be < 1, the number of accounts"
    b = calculator_book()
    with pytest.raises(ValueError, match=r"remark: the size of marks is 2, but must be >= 3 \(one mark per symbol\)"):
        b.remark([1.0, 2.0])
    with pytest.raises(ValueError, match="the dimension of marks is 2, but must be 1"):
        b.remark(np.ones((3, 1)))


def test_remark_reads_numpy_without_copy_and_writes_fresh_arrays():
    b = calculator_book()
    marks = np.array(MARKS)
    r1 = b.remark(marks)
    r2 = b.remark(marks)
    assert r1["equity"] is not r2["equity"]
    assert r1["equity"].flags["OWNDATA"] or r1["equity"].base is not None
    # A strided or integer input is converted, not rejected.
    r3 = b.remark(np.array([19000, 1600, 20500]))
    np.testing.assert_array_equal(r3["equity"], r1["equity"])


def test_batch_liquidation_prices_match_binances_formula(corpus_dir):
    s = mc.load_binance_brackets(str(corpus_dir / "binance_usdm.json"))["BTCUSDT"]
    # tests/reference/liquidation_binance.out: isolated long 100 @ 30,000 with 40,000 margin; top tiers
    # 9,000 @ 40,000 long with 150M and short with 200M (tier indices 2, 8, 9 at the liquidation price).
    price, status, tier = mc.liquidation_prices(s, [100.0, 9000.0, -9000.0, 0.0], [30000.0, 40000.0, 40000.0, 1.0],
                                                [40000.0, 150e6, 200e6, 1.0], [30000.0, 40000.0, 40000.0, 1.0])
    np.testing.assert_allclose(price[:3], [29885.858585858587, 26956.103703703702, 49114.54074074074], rtol=1e-12)
    assert list(tier[:3]) == [2, 8, 9]
    assert [mc.LIQUIDATION_STATUS[x] for x in status] == ["found", "found", "found", "invalid_input"]
    with pytest.raises(ValueError) as e:
        mc.liquidation_prices(s, [1.0, 2.0], [1.0], [1.0, 1.0], [1.0, 1.0])
    assert str(e.value) == "batch_liquidation_prices: the size of entry_price is 1, but must be 2 (the size of quantity)"
