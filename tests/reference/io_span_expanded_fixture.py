#!/usr/bin/env python3
"""Writes tests/io/corpus/span_mcmillan.pa2: a SPAN risk parameter file in CME's expanded unpacked
format ("U2"), written field by field from CME's public layout ("SPAN Risk Parameter File Layouts
for the Positional Formats": Type 0, Type 2 - Expanded, Type 8 - Expanded). The arrays are
L. G. McMillan's ("Options as a Strategic Investment", ch. 34, pp. 668-671) S&P 500 futures and
long Dec 410 call rows, as losses (his P/L negated); the composite deltas (1 and 0.55) are fixture
values. A second product "ES" repeats the futures digits with decimal locator 1 (values / 10).

Run: python3 tests/reference/io_span_expanded_fixture.py > tests/io/corpus/span_mcmillan.pa2
(Python 3.11; standard library only).
"""

FUT = [0, 0, 3330, 3330, -3330, -3330, 6670, 6670, -6670, -6670, 10000, 10000, -10000, -10000, 7000, -7000]
CALL = [460, -610, 2640, 1730, -1270, -2340, 5210, 4540, -2540, -3430, 8060, 7640, -3380, -3990, 3130, -1500]


def put(rec, start, text):
    """Writes text at 1-based position start of the record (a list of characters)."""
    for i, ch in enumerate(text):
        rec[start - 1 + i] = ch


def record(length, *fields):
    """A record of `length` blanks with each (position, text) of `fields` written in."""
    rec = [" "] * length
    for start, text in fields:
        put(rec, start, text)
    return rec


def signed(v, digits=5):
    return f"{abs(v):0{digits}d}" + ("-" if v < 0 else "+")


def key(rec, rid, commodity, ptype, right, fmonth, omonth, strike):
    put(rec, 1, rid)
    put(rec, 3, "CME")
    put(rec, 6, f"{commodity:<10}")
    put(rec, 16, f"{commodity:<10}")
    put(rec, 26, ptype)
    put(rec, 29, right)
    put(rec, 30, fmonth)
    put(rec, 39, omonth)
    put(rec, 48, strike)


def contract(commodity, ptype, right, fmonth, omonth, strike, losses, delta):
    r81 = record(123)
    key(r81, "81", commodity, ptype, right, fmonth, omonth, strike)
    for k in range(9):
        put(r81, 55 + 6 * k, signed(losses[k]))
    r82 = record(126)
    key(r82, "82", commodity, ptype, right, fmonth, omonth, strike)
    for k in range(7):
        put(r82, 55 + 6 * k, signed(losses[9 + k]))
    put(r82, 97, signed(round(delta * 10000)))
    return ["".join(r81).rstrip(), "".join(r82).rstrip()]


lines = [
    "".join(record(132, (1, "0 "), (3, "CME"), (9, "19981015"), (17, "S"), (18, "F"), (36, "U2"))).rstrip(),
    "".join(record(132, (1, "1 "), (3, "CME"), (8, "01"))).rstrip(),
    "".join(record(132, (1, "2 "), (3, "CME"), (7, "SP"), (13, "0"), (14, "USD$P"), (23, f"{'SP':<10}FUT0+"),
                   (39, f"{'SP':<10}OOF0+"), (55, f"{'ES':<10}FUT1+"))).rstrip(),
]
lines += contract("SP", "FUT", " ", "199812", "", "", [-x for x in FUT], 1.0)
lines += contract("SP", "OOF", "C", "199812", "199812", "0004100", [-x for x in CALL], 0.55)
lines += contract("ES", "FUT", " ", "199812", "", "", [-x for x in FUT], 1.0)
print("\r\n".join(lines), end="\r\n")
