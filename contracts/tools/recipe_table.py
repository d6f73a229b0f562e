#!/usr/bin/env python3
"""Independent implementation of the on-chain integer recipe for T and Q (MECHANISM.md §3, §6;
ProcurementMarket contract notes), in Python's unbounded integers. Writes test/fixtures/payment-recipe.json,
which the forge test PaymentRecipe.t.sol checks the contract against (and the Java PaymentRule tests may
read too). Regenerate with: python3 tools/recipe_table.py"""
import json
import os

WAD = 10**18


def wad_pow(x, e):
    r = WAD
    while e:
        if e & 1:
            r = r * x // WAD
        e >>= 1
        if e:
            x = x * x // WAD
    return r


def total_prize_wad(m, p):
    return WAD + m * p


def committee_prize_wad(m, p):
    if p == 0 or m == 0:
        return WAD
    return m * p * WAD // (WAD - wad_pow(WAD - p, m))


MS = [0, 1, 2, 4, 9, 16, 29, 49, 100, 999]
PS = [0, 1, 10**12, 16306 * 10**12, 117450 * 10**12, 236830 * 10**12, 331570 * 10**12,
      426310 * 10**12, 449690 * 10**12, 5 * 10**17, 999999999999999999, WAD]

rows = [{"m": m, "p": str(p), "totalPrizeWad": str(total_prize_wad(m, p)),
         "committeePrizeWad": str(committee_prize_wad(m, p))} for m in MS for p in PS]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "payment-recipe.json")
with open(out, "w") as f:
    json.dump({"source": "tools/recipe_table.py (MECHANISM.md §3/§6 integer recipe)",
               "m": MS, "p": [str(p) for p in PS],
               "totalPrizeWad": [str(total_prize_wad(m, p)) for m in MS for p in PS],
               "committeePrizeWad": [str(committee_prize_wad(m, p)) for m in MS for p in PS],
               "rows": rows}, f, indent=1)
    f.write("\n")
print(f"wrote {len(rows)} rows to {os.path.normpath(out)}")
