// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title CommitteeLedger
/// @notice Per-prover record of committee deliveries whose share is not credited yet ("owed"), built so that
///         recording a delivery almost never writes a fresh storage word. The market pays committee shares one call
///         per deliverer after settlement (pull), so every committee delivery is remembered per (slot, prover).
/// @dev One word per prover: bits 192..255 hold `base + 1` (0: never used), bit 191 is the sticky "overflow used"
///      flag, bits 0..190 flag the slots `base .. base + 190` (bit i set: slot base + i owed). A delivery for a slot
///      past the window slides the window up when every flag it drops is clear (those shares were credited);
///      otherwise, and for a slot below the window, the flag goes to an overflow mapping (a fresh storage word) and
///      the sticky flag makes every later lookup consult it too. That happens only when a prover leaves a share
///      uncredited for 191 slots, or delivers to a slot opened 191 slots before one it already delivered to. Once
///      used the word never returns to zero, so an active prover's deliveries update a warm, non-zero word (about 5k
///      gas instead of 22k for a fresh one). Every operation is O(1).
library CommitteeLedger {
    /// @notice Number of slots one prover's window covers.
    uint256 internal constant WINDOW = 191;
    uint256 private constant BITS = (uint256(1) << WINDOW) - 1;
    uint256 private constant OVERFLOW_USED = uint256(1) << WINDOW;
    uint256 private constant BASE_SHIFT = 192;

    /// @notice Owed flags of every prover.
    struct Ledger {
        mapping(address prover => uint256 word) windows;
        mapping(address prover => mapping(uint256 slotId => bool)) overflow;
    }

    /// @notice Whether `prover` has an owed delivery in `slotId`.
    function isOwed(Ledger storage l, address prover, uint256 slotId) internal view returns (bool) {
        return _isOwed(l, prover, slotId, l.windows[prover]);
    }

    /// @notice Flags `slotId` owed for `prover` unless it already is; returns false (and changes nothing) then.
    function trySetOwed(Ledger storage l, address prover, uint256 slotId) internal returns (bool) {
        uint256 word = l.windows[prover];
        if (_isOwed(l, prover, slotId, word)) return false;
        _set(l, prover, slotId, word);
        return true;
    }

    /// @dev `isOwed` with the prover's window word already read.
    function _isOwed(Ledger storage l, address prover, uint256 slotId, uint256 word) private view returns (bool) {
        (bool inWindow, uint256 bit) = _position(word, slotId);
        if (inWindow && word & bit != 0) return true;
        return word & OVERFLOW_USED != 0 && l.overflow[prover][slotId];
    }

    function _set(Ledger storage l, address prover, uint256 slotId, uint256 word) private {
        uint256 base1 = word >> BASE_SHIFT;
        uint256 s1 = slotId + 1;
        if (base1 == 0) {
            l.windows[prover] = (s1 << BASE_SHIFT) | 1; // first use: the window starts at this slot
            return;
        }
        if (s1 >= base1) {
            uint256 off = s1 - base1;
            if (off < WINDOW) {
                l.windows[prover] = word | (uint256(1) << off);
                return;
            }
            uint256 bits = word & BITS;
            uint256 shift = off - (WINDOW - 1); // slide so that this slot becomes the window's last
            if (shift >= WINDOW ? bits == 0 : bits & ((uint256(1) << shift) - 1) == 0) {
                bits = shift >= WINDOW ? 0 : bits >> shift;
                l.windows[prover] =
                    ((base1 + shift) << BASE_SHIFT) | (word & OVERFLOW_USED) | bits | (uint256(1) << (WINDOW - 1));
                return;
            }
        }
        l.overflow[prover][slotId] = true;
        if (word & OVERFLOW_USED == 0) l.windows[prover] = word | OVERFLOW_USED;
    }

    /// @notice Clears the owed flag of `slotId` for `prover`. The caller checked that it is owed.
    function clearOwed(Ledger storage l, address prover, uint256 slotId) internal {
        uint256 word = l.windows[prover];
        (bool inWindow, uint256 bit) = _position(word, slotId);
        if (inWindow && word & bit != 0) {
            l.windows[prover] = word & ~bit;
        } else {
            l.overflow[prover][slotId] = false;
        }
    }

    /// @dev Whether `slotId` lies in the word's window, and its bit there.
    function _position(uint256 word, uint256 slotId) private pure returns (bool inWindow, uint256 bit) {
        uint256 base1 = word >> BASE_SHIFT;
        uint256 s1 = slotId + 1;
        if (base1 == 0 || s1 < base1 || s1 - base1 >= WINDOW) return (false, 0);
        return (true, uint256(1) << (s1 - base1));
    }
}
