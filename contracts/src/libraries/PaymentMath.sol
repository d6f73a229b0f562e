// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IProcurementMarket} from "../interfaces/IProcurementMarket.sol";

/// @title PaymentMath
/// @notice The designated uniform committee's prizes in integer fixed point (docs/MECHANISM.md §3; Bahrani–Neuder–Weinberg,
///         *Adversarial procurement in blockchains*, Def. 3.1, Lem. 3.4): T = 1 + m p and Q = m p / (1 − (1 − p)^m),
///         both in WAD (1e18 = one proof's price). Shared, bit for bit, with Java `io.procura.mechanism.PaymentRule`:
///           T_wad = WAD + m*p
///           q_wad = (WAD - p)^m by `wadPow` (right-to-left squaring, every product rounded down)
///           Q_wad = (p == 0 || m == 0) ? WAD : floor(m*p*WAD / (WAD - q_wad))
/// @dev Pure and internal: inlined into the market; `PaymentRecipe` exposes them as `totalPrizeWad`,
///      `committeePrizeWad` and `wadPow`. Reverts `Market_InvalidMixingProbability` when p > 1e18; panics on overflow of m*p.
library PaymentMath {
    /// @notice 1.0 in fixed point (18 decimals).
    uint256 internal constant WAD = 1e18;

    /// @notice T in WAD: 1e18 + m*p. `m` committee size (n − 1), `p` mixing probability scaled 1e18.
    function totalPrizeWad(uint256 m, uint256 p) internal pure returns (uint256) {
        if (p > WAD) revert IProcurementMarket.Market_InvalidMixingProbability(p);
        return WAD + m * p;
    }

    /// @notice Q in WAD: m*p / (1 − (1 − p)^m), 1e18 when p == 0 or m == 0.
    function committeePrizeWad(uint256 m, uint256 p) internal pure returns (uint256) {
        if (p > WAD) revert IProcurementMarket.Market_InvalidMixingProbability(p);
        if (p == 0 || m == 0) return WAD;
        uint256 q = wadPow(WAD - p, m);
        // q <= WAD - p < WAD, so the divisor is >= p > 0.
        return Math.mulDiv(m * p, WAD, WAD - q);
    }

    /// @notice x^e in WAD by exponentiation by squaring, least significant bit first, each product rounded down:
    ///         r = WAD; while (e != 0) { if (e & 1 == 1) r = r*x/WAD; e >>= 1; if (e != 0) x = x*x/WAD; }
    /// @dev `x` <= 1e18 in Procura's use; larger values may overflow and panic.
    function wadPow(uint256 x, uint256 e) internal pure returns (uint256 r) {
        r = WAD;
        while (e != 0) {
            if (e & 1 == 1) r = (r * x) / WAD;
            e >>= 1;
            if (e != 0) x = (x * x) / WAD;
        }
    }
}
