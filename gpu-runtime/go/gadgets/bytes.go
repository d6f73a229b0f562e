package gadgets

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	mimcnative "github.com/consensys/gnark-crypto/ecc/bn254/fr/mimc"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/bits"
)

// ChunkBytes is the number of bytes packed into one BN254 scalar field element
// by PackBytes: 31 bytes = 248 bits < 254 bits, so every chunk is a canonical
// field element and the packing is injective on byte strings of a fixed length.
const ChunkBytes = 31

// UintBytesBE range-checks v to nbBytes*8 bits (bits.ToBinary: one boolean
// constraint per bit plus one recomposition constraint) and returns its bytes,
// most significant first, as linear combinations of those bits (no further
// constraints). The circuit is unsatisfiable if v >= 2^(8*nbBytes).
func UintBytesBE(api frontend.API, v frontend.Variable, nbBytes int) []frontend.Variable {
	b := bits.ToBinary(api, v, bits.WithNbDigits(8*nbBytes))
	out := make([]frontend.Variable, nbBytes)
	for k := 0; k < nbBytes; k++ {
		// byte k (big-endian) holds bits [8*(nbBytes-1-k), 8*(nbBytes-k)).
		lo := 8 * (nbBytes - 1 - k)
		acc := frontend.Variable(0)
		for i := 0; i < 8; i++ {
			acc = api.Add(acc, api.Mul(b[lo+i], 1<<i))
		}
		out[k] = acc
	}
	return out
}

// PackBytes packs a byte string (each entry already known to be in [0, 256))
// into ceil(len/ChunkBytes) field elements: chunk c is the big-endian integer of
// bytes [31c, min(31c+31, len)). Only linear combinations are built, so this
// adds no constraints. It is the in-circuit twin of PackBytesNative.
func PackBytes(api frontend.API, bs []frontend.Variable) []frontend.Variable {
	var out []frontend.Variable
	for start := 0; start < len(bs); start += ChunkBytes {
		end := min(start+ChunkBytes, len(bs))
		acc := frontend.Variable(0)
		for _, b := range bs[start:end] {
			acc = api.Add(api.Mul(acc, 256), b)
		}
		out = append(out, acc)
	}
	return out
}

// PackBytesNative is the out-of-circuit twin of PackBytes: it splits bs into
// 31-byte chunks (the last one possibly shorter) and returns each chunk as a
// big-endian unsigned integer, always smaller than 2^248 and hence than the
// BN254 scalar field modulus.
func PackBytesNative(bs []byte) []*big.Int {
	var out []*big.Int
	for start := 0; start < len(bs); start += ChunkBytes {
		end := min(start+ChunkBytes, len(bs))
		out = append(out, new(big.Int).SetBytes(bs[start:end]))
	}
	return out
}

// AssertInRange asserts 0 <= v < 2^nbBits where v is read as an integer in
// [0, r) (r the scalar field modulus), by decomposing v into nbBits boolean
// digits (nbBits+1 constraints). Used with an offset it compares signed values:
// for integers a, b with |a-b| < 2^nbBits < r/2, AssertInRange(a-b) holds iff
// a >= b, because a negative difference wraps to r-|a-b| >= 2^nbBits.
func AssertInRange(api frontend.API, v frontend.Variable, nbBits int) {
	if nbBits <= 0 || nbBits >= api.Compiler().FieldBitLen()-1 {
		panic(fmt.Sprintf("gadgets.AssertInRange: nbBits %d out of (0, %d)", nbBits, api.Compiler().FieldBitLen()-1))
	}
	bits.ToBinary(api, v, bits.WithNbDigits(nbBits))
}

// HashNative is gnark-crypto's BN254 MiMC of the elements (each written as 32
// big-endian bytes, then Sum): the out-of-circuit twin of gnark's
// std/hash/mimc that every Procura commitment uses. Every element must be in
// [0, r); it panics otherwise (a programming error: callers hash tags and
// packed chunks, all below 2^248).
func HashNative(xs ...*big.Int) *big.Int {
	h := mimcnative.NewMiMC()
	for _, x := range xs {
		if x.Sign() < 0 || x.Cmp(fr.Modulus()) >= 0 {
			panic(fmt.Sprintf("gadgets.HashNative: %v is not in [0, r)", x))
		}
		var b [fr.Bytes]byte
		x.FillBytes(b[:])
		if _, err := h.Write(b[:]); err != nil {
			panic(err)
		}
	}
	return new(big.Int).SetBytes(h.Sum(nil))
}
