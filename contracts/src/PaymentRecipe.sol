// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {PaymentMath} from "./libraries/PaymentMath.sol";

/// @title PaymentRecipe
/// @notice The market's integer payment recipe (`PaymentMath`, inlined into `ProcurementMarket`) as a stand-alone
///         pure contract, for clients and cross-checks that want the prizes the market computes without opening a
///         slot: T = 1 + m p and Q = m p / (1 − (1 − p)^m) in WAD (Bahrani–Neuder–Weinberg, *Adversarial procurement
///         in blockchains*, Def. 3.1, Lem. 3.4). The market itself does not call it (EIP-170 leaves the market no room
///         for these views); deploy it anywhere, it holds no state.
/// @dev Reverts `IProcurementMarket.Market_InvalidMixingProbability` when p > 1e18; panics on overflow of m*p.
contract PaymentRecipe {
    /// @notice T in WAD: 1e18 + m*p.
    /// @param m Committee size (n - 1).
    /// @param p Mixing probability scaled 1e18.
    function totalPrizeWad(uint256 m, uint256 p) external pure returns (uint256) {
        return PaymentMath.totalPrizeWad(m, p);
    }

    /// @notice Q in WAD: m*p / (1 - (1-p)^m), 1e18 when p == 0 or m == 0.
    /// @param m Committee size (n - 1).
    /// @param p Mixing probability scaled 1e18.
    function committeePrizeWad(uint256 m, uint256 p) external pure returns (uint256) {
        return PaymentMath.committeePrizeWad(m, p);
    }

    /// @notice x^e in WAD by exponentiation by squaring, least significant bit first, each product rounded down.
    /// @param x Base in WAD (<= 1e18 in Procura's use; larger values may overflow and panic).
    /// @param e Exponent.
    function wadPow(uint256 x, uint256 e) external pure returns (uint256) {
        return PaymentMath.wadPow(x, e);
    }
}
