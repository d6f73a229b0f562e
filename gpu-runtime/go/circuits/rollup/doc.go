// Package rollup is the Procura "rollup batch" circuit: N token transfers
// applied, in order, to a Merkle tree of 2^Depth balances.
//
// # Statement
//
// Public inputs, in this order (fixed inputs ‖ outputs ‖ binding):
//
//	PayloadCommitment, OldRoot, NewRoot, Binding
//
// PayloadCommitment is fixed by the requester (and recomputed on chain from the
// payload by the circuit's payload checker); OldRoot and NewRoot are outputs:
// the root of the balances in the payload and the root after the batch. A
// consumer contract accepts the result only when OldRoot is its current root,
// and then advances to NewRoot (the example `BatchRollup` does).
//
// Private inputs: the balances, and per transfer its sender, receiver and
// amount, both accounts' balances and Merkle paths, and BindingSquared.
//
// The circuit proves that
//
//  1. PayloadCommitment = MiMC(PayloadTag, pack(payload)) for the payload bytes
//     below (every byte range-checked);
//  2. OldRoot is the root of the tree whose leaves are MiMC(LeafTag, balance_i),
//     an inner node being MiMC(left, right);
//  3. transfer t moves `amount` from account `from mod 2^Depth` to account
//     `to mod 2^Depth` when amount ≤ the sender's balance and the receiver's
//     balance plus amount stays below 2^64; otherwise it is a no-op (an
//     overdrawing or overflowing transfer, never an unsatisfiable constraint);
//     a transfer to oneself changes nothing either way;
//  4. NewRoot is the root after the N transfers, each applied to the tree the
//     previous one left (both accounts' leaves are checked against that tree's
//     root before and updated after: five Merkle paths per transfer);
//  5. Binding·Binding = BindingSquared (a constrained binding, as every Procura
//     circuit has).
//
// The statement is total over its payload encoding: every byte string of the
// right length (Params.PayloadBytes) has a witness. A payload of another length
// is an argument error, not a circuit.
//
// # Payload encoding (Java and Solidity rely on it)
//
// 2^Depth balances as 8-byte big-endian unsigned integers, then N transfers of
// 16 bytes each: from (4 bytes), to (4 bytes), amount (8 bytes), big-endian.
// pack splits the payload into 31-byte chunks read as big-endian integers (as
// the digits circuit does); MiMC is gnark's std/hash/mimc over BN254 with its
// out-of-circuit twin in gnark-crypto's ecc/bn254/fr/mimc (each element written
// as 32 big-endian bytes). PayloadTag and LeafTag separate the domains.
//
// # Size classes
//
// A tree of 16 accounts (Depth 4) and N transfers costs 17,549 + 15,488·N
// constraints (TestConstraintCountsOfTheSizeClasses measures it): SizeClasses
// picks N = 3, 16, 67 and 270 for about 2^16, 2^18, 2^20 and 2^22, after a
// class of 4 accounts and one transfer (about 2^14) for demos and tests.
// They register themselves as plug-in circuits "rollup-2^14" … "rollup-2^22"
// (package circuits).
//
// The keys of these circuits come from single-party setups: UNSAFE for
// production (whoever ran the setup can forge proofs); use an MPC ceremony.
package rollup
