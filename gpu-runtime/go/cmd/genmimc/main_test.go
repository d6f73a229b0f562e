package main

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/mimc"
)

// root is the repository root seen from this package's directory.
const root = "../../../.."

// TestCommittedFiles fails when the committed Solidity library or vectors
// differ from what this program generates now (a gnark-crypto upgrade, a
// template edit, a changed commitment or dataset).
func TestCommittedFiles(t *testing.T) {
	sol, vec, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]byte{SolidityPath: sol, VectorsPath: vec} {
		got, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatalf("%v: regenerate with `go run ./cmd/genmimc` (from gpu-runtime/go)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what cmd/genmimc generates: regenerate with `go run ./cmd/genmimc` (from gpu-runtime/go)", path)
		}
	}
}

// TestVersionIsGoMod: the version in the generated header is the gnark-crypto
// version go.mod requires.
func TestVersionIsGoMod(t *testing.T) {
	v, err := GnarkCryptoVersion()
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "\t"+gnarkCryptoModule+" "+v+"\n") {
		t.Fatalf("build info says %s %s, which go.mod does not require", gnarkCryptoModule, v)
	}
}

// TestSolidityHasEveryConstant: every gnark-crypto round constant appears in
// the rendered library, in order, exactly once per round.
func TestSolidityHasEveryConstant(t *testing.T) {
	sol, err := Solidity("vTEST")
	if err != nil {
		t.Fatal(err)
	}
	consts := mimc.GetConstants()
	pos := 0
	for i := range consts {
		lit := "e := add(add(e, h), " + hex32(&consts[i]) + ")"
		k := strings.Index(sol[pos:], lit)
		if k < 0 {
			t.Fatalf("round %d: constant %s missing or out of order", i, hex32(&consts[i]))
		}
		pos += k + len(lit)
	}
	if n := strings.Count(sol, "e := add(add(e, h), "); n != Rounds {
		t.Fatalf("%d rounds rendered, want %d", n, Rounds)
	}
	if !strings.Contains(sol, "uint256 internal constant R = "+fr.Modulus().String()+";") {
		t.Fatal("modulus missing")
	}
	// 3r < 2^256: the unreduced sum e + h + c_i of three values < r cannot overflow.
	three := new(big.Int).Mul(fr.Modulus(), big.NewInt(3))
	if three.BitLen() > 256 {
		t.Fatal("3r >= 2^256: the unreduced round sum would overflow")
	}
}

// TestVectorsAreGnarkCrypto re-hashes every vector with one Write of the
// concatenated encodings (mimc.Sum itself panics in v0.19.0: its zero digest
// has no byte order).
func TestVectorsAreGnarkCrypto(t *testing.T) {
	_, raw, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	var f VectorsFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) == 0 || len(f.Images) == 0 {
		t.Fatal("no vectors")
	}
	for i, v := range f.Vectors {
		var msg []byte
		for _, s := range v.Elements {
			e, ok := new(big.Int).SetString(s, 10)
			if !ok {
				t.Fatalf("vector %d: bad element %q", i, s)
			}
			var b [fr.Bytes]byte
			msg = append(msg, e.FillBytes(b[:])...)
		}
		h := mimc.NewMiMC()
		if _, err := h.Write(msg); err != nil {
			t.Fatal(err)
		}
		if got := new(big.Int).SetBytes(h.Sum(nil)).String(); got != v.Hash {
			t.Fatalf("vector %d: mimc.Sum = %s, file says %s", i, got, v.Hash)
		}
	}
}
