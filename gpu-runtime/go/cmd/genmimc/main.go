// Command genmimc generates the Solidity twin of gnark-crypto's BN254 MiMC
// (package github.com/consensys/gnark-crypto/ecc/bn254/fr/mimc) and the test
// vectors that cross-check it, the way gnark exports the Groth16 verifier:
//
//	contracts/src/hash/MiMCBN254.sol          library MiMCBN254 (round constants from mimc.GetConstants)
//	contracts/test/fixtures/mimc-vectors.json vectors computed with gnark-crypto and prover.CommitImage/CommitModel
//
// Usage (from gpu-runtime/go): go run ./cmd/genmimc [-root ../..] [-sol PATH] [-vectors PATH]
//
// Procura never hand-writes cryptography a library provides; gnark-crypto has
// no Solidity MiMC, so this program renders one from gnark-crypto's own round
// constants. TestCommittedFiles fails when the committed files differ from what
// this program generates (e.g. after a gnark-crypto upgrade), and
// contracts/test/unit/MiMC.t.sol checks the Solidity against the vectors.
//
// The algorithm (gnark-crypto v0.19.0 ecc/bn254/fr/mimc/mimc.go, checksum and
// encrypt), all arithmetic mod r, the BN254 scalar field order:
//
//	h := 0
//	for each element m (a canonical field element, m < r):
//	    e := m
//	    for i in 0..109: e := (e + h + c_i)^5
//	    e := e + h                      // encryption of m under key h
//	    h := e + h + m                  // Miyaguchi–Preneel feed-forward
//	return h
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/template"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/mimc"
	"golang.org/x/crypto/sha3"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/circuits/rollup"
	"github.com/procura/procura/gpu-runtime/go/gadgets"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

// Paths relative to the repository root.
const (
	SolidityPath = "contracts/src/hash/MiMCBN254.sol"
	VectorsPath  = "contracts/test/fixtures/mimc-vectors.json"
)

// gnarkCryptoModule is the module whose constants and hash the output mirrors.
const gnarkCryptoModule = "github.com/consensys/gnark-crypto"

// Rounds is gnark-crypto's BN254 MiMC round count (mimcNbRounds, unexported);
// Generate fails if mimc.GetConstants returns another number of constants.
const Rounds = 110

// SampleImageRows are the rows of data/digits.csv.gz whose commitments go into
// the vectors (row 0 is the image of contracts/test/fixtures/digits-proof.json).
var SampleImageRows = []int{0, 1}

func main() {
	root := flag.String("root", "../..", "repository root (default: from gpu-runtime/go)")
	solPath := flag.String("sol", "", "output Solidity library (default <root>/"+SolidityPath+")")
	vecPath := flag.String("vectors", "", "output JSON vectors (default <root>/"+VectorsPath+")")
	flag.Parse()
	if *solPath == "" {
		*solPath = filepath.Join(*root, SolidityPath)
	}
	if *vecPath == "" {
		*vecPath = filepath.Join(*root, VectorsPath)
	}
	sol, vec, err := Generate(*root)
	if err != nil {
		log.Fatal(err)
	}
	for path, data := range map[string][]byte{*solPath: sol, *vecPath: vec} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s (%d bytes)", path, len(data))
	}
}

// Generate renders the Solidity library and the JSON vectors; root is the
// repository root (it reads the bundled model and images under data/).
func Generate(root string) (sol, vectors []byte, err error) {
	version, err := GnarkCryptoVersion()
	if err != nil {
		return nil, nil, err
	}
	s, err := Solidity(version)
	if err != nil {
		return nil, nil, err
	}
	v, err := Vectors(root, version)
	if err != nil {
		return nil, nil, err
	}
	return []byte(s), v, nil
}

// GnarkCryptoVersion returns the gnark-crypto version linked into this binary
// (from the build info), so the generated header names the constants' source.
func GnarkCryptoVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("genmimc: no build info: cannot tell which gnark-crypto version is linked")
	}
	for _, d := range info.Deps {
		if d.Path == gnarkCryptoModule {
			if d.Replace != nil {
				return "", fmt.Errorf("genmimc: %s is replaced by %s %s: generate from a released version", d.Path, d.Replace.Path, d.Replace.Version)
			}
			return d.Version, nil
		}
	}
	return "", fmt.Errorf("genmimc: %s not in the build info", gnarkCryptoModule)
}

// hex32 renders v as a 0x-prefixed 64-digit hex literal.
func hex32(v *big.Int) string { return fmt.Sprintf("0x%064x", v) }

type solData struct {
	Version   string
	Modulus   string
	Rounds    int
	LastRound int
	Constants []string
}

// solTemplate writes ´ for the backticks of the Solidity comments (a Go raw string cannot hold them).
var solTemplate = template.Must(template.New("sol").Parse(strings.ReplaceAll(`// SPDX-License-Identifier: Apache-2.0
// Generated by gpu-runtime/go/cmd/genmimc from gnark-crypto {{.Version}}'s constants; do not edit.
// Regenerate with ´go run ./cmd/genmimc´ (from gpu-runtime/go); its TestCommittedFiles fails on drift, and
// contracts/test/unit/MiMC.t.sol checks this library against vectors computed with gnark-crypto.
pragma solidity 0.8.28;

/// @title MiMCBN254
/// @notice gnark-crypto's MiMC hash over the BN254 scalar field (github.com/consensys/gnark-crypto {{.Version}},
///         package ecc/bn254/fr/mimc: NewMiMC, Write of 32-byte big-endian elements, Sum), i.e. the hash that
///         gnark's std/hash/mimc computes in circuits. {{.Rounds}} rounds of x^5 with the round constants of
///         mimc.GetConstants (keccak256 chain from the seed "seed"), compressed with Miyaguchi–Preneel
///         (XOR replaced by field addition). All values are integers mod R, the BN254 scalar field order:
///             h = 0
///             for each element m:  e = m;  for i in 0..{{.LastRound}}: e = (e + h + c_i)^5;  e = e + h;  h = e + h + m
///             return h
/// @dev The rounds are unrolled in inline assembly: e + h + c_i is summed without reduction (each term < R and
///      3R < 2^256), then squared twice and multiplied with mulmod.
library MiMCBN254 {
    /// @notice The BN254 scalar field order r; every element hashed and every result is in [0, R).
    uint256 internal constant R = {{.Modulus}};

    /// @notice Element ´index´ of the hashed sequence (or argument ´index´ of absorb) is ´value´ >= R.
    error MiMCBN254_NotInField(uint256 index, uint256 value);

    /// @notice The MiMC hash of a sequence of field elements, equal to gnark-crypto's
    ///         mimc.NewMiMC() + Write(32-byte big-endian encoding of each element) + Sum.
    /// @param elements The sequence; each must be a canonical field element (< R). The empty sequence hashes to 0.
    /// @return h The hash, in [0, R).
    function hash(uint256[] memory elements) internal pure returns (uint256 h) {
        uint256 n = elements.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 m = elements[i];
            if (m >= R) revert MiMCBN254_NotInField(i, m);
            h = _absorb(h, m);
        }
    }

    /// @notice One Miyaguchi–Preneel step: the hash state after absorbing ´element´ into ´state´, so that
    ///         hash([x_0, ..., x_n]) == absorb(...absorb(absorb(0, x_0), x_1)..., x_n). Lets a caller hash a
    ///         fixed-length sequence without a memory array, or precompute the state after a constant prefix.
    /// @param state The state so far (0 initially, else a previous result), < R (else reverts with index 0).
    /// @param element The next element, < R (else reverts with index 1).
    /// @return The new state, in [0, R).
    function absorb(uint256 state, uint256 element) internal pure returns (uint256) {
        if (state >= R) revert MiMCBN254_NotInField(0, state);
        if (element >= R) revert MiMCBN254_NotInField(1, element);
        return _absorb(state, element);
    }

    /// @dev Miyaguchi–Preneel step for h, m < R (unchecked): E_h(m) + h + m where E_h(m) is the {{.Rounds}}-round
    ///      MiMC encryption of m under key h (gnark-crypto's digest.encrypt) and already ends with + h.
    function _absorb(uint256 h, uint256 m) private pure returns (uint256 out) {
        assembly ("memory-safe") {
            let r := R
            let e := m
{{- range $i, $c := .Constants}}
            // round {{$i}}: e = (e + h + c_{{$i}})^5
            e := add(add(e, h), {{$c}})
            {
                let s := mulmod(e, e, r)
                e := mulmod(mulmod(s, s, r), e, r)
            }
{{- end}}
            e := addmod(e, h, r)
            out := addmod(addmod(e, h, r), m, r)
        }
    }
}
`, "´", "`")))

// Solidity renders contracts/src/hash/MiMCBN254.sol from mimc.GetConstants.
func Solidity(version string) (string, error) {
	consts := mimc.GetConstants()
	if len(consts) != Rounds {
		return "", fmt.Errorf("genmimc: gnark-crypto has %d MiMC constants, want %d: review the template", len(consts), Rounds)
	}
	r := fr.Modulus()
	d := solData{Version: version, Modulus: r.String(), Rounds: Rounds, LastRound: Rounds - 1}
	for i := range consts {
		if consts[i].Sign() < 0 || consts[i].Cmp(r) >= 0 {
			return "", fmt.Errorf("genmimc: constant %d is not reduced mod r", i)
		}
		d.Constants = append(d.Constants, hex32(&consts[i]))
	}
	var buf bytes.Buffer
	if err := solTemplate.Execute(&buf, d); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// Vector is one element sequence and its gnark-crypto MiMC hash (decimal strings).
type Vector struct {
	Elements []string `json:"elements"`
	Hash     string   `json:"hash"`
}

// ImageVector is a 64-byte digits image and its commitment (prover.CommitImage).
type ImageVector struct {
	Source     string `json:"source"`
	Pixels     []int  `json:"pixels"`
	Commitment string `json:"commitment"`
}

// ModelVector is the bundled model's commitment (prover.CommitModel) with the
// sequence it hashes: ModelTag then the 31-byte chunks of EncodeModel.
type ModelVector struct {
	Source     string   `json:"source"`
	Elements   []string `json:"elements"`
	Commitment string   `json:"commitment"`
}

// VectorsFile is the JSON layout of contracts/test/fixtures/mimc-vectors.json.
type VectorsFile struct {
	Comment     string         `json:"comment"`
	GnarkCrypto string         `json:"gnarkCrypto"`
	Modulus     string         `json:"modulus"`
	ImageTag    string         `json:"imageTag"`
	ModelTag    string         `json:"modelTag"`
	Vectors     []Vector       `json:"vectors"`
	Images      []ImageVector  `json:"images"`
	Model       ModelVector    `json:"model"`
	RollupTag   string         `json:"rollupPayloadTag"`
	Rollup      []RollupVector `json:"rollup"`
}

// RollupVector is a rollup-batch payload (package rollup) with its commitment
// (rollup.PayloadCommitment, the circuit's fixed input) and the two roots the
// circuit outputs.
type RollupVector struct {
	Source     string `json:"source"`
	Depth      int    `json:"depth"`
	Transfers  int    `json:"transfers"`
	Payload    string `json:"payload"`
	Commitment string `json:"commitment"`
	OldRoot    string `json:"oldRoot"`
	NewRoot    string `json:"newRoot"`
}

// HashElements is gnark-crypto's MiMC of the sequence: NewMiMC, Write of each
// element's 32-byte big-endian encoding, Sum. Every element must be < r.
func HashElements(elements []*big.Int) (*big.Int, error) {
	h := mimc.NewMiMC()
	for i, v := range elements {
		if v.Sign() < 0 || v.Cmp(fr.Modulus()) >= 0 {
			return nil, fmt.Errorf("genmimc: element %d is not in [0, r)", i)
		}
		var b [fr.Bytes]byte
		v.FillBytes(b[:])
		if _, err := h.Write(b[:]); err != nil {
			return nil, fmt.Errorf("genmimc: element %d: %w", i, err)
		}
	}
	return new(big.Int).SetBytes(h.Sum(nil)), nil
}

// pseudoRandom returns keccak256(label) mod r: deterministic "random" elements.
func pseudoRandom(label string) *big.Int {
	k := sha3.NewLegacyKeccak256()
	k.Write([]byte(label))
	v := new(big.Int).SetBytes(k.Sum(nil))
	return v.Mod(v, fr.Modulus())
}

func decimals(vs []*big.Int) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// Sequences returns the element sequences of the vectors: lengths 1, 2, 4 and
// 8 with the edge values 0, 1 and r-1, pseudo-random elements, and the tag
// followed by 31-byte-chunk-sized values.
func Sequences() [][]*big.Int {
	r := fr.Modulus()
	rm1 := new(big.Int).Sub(r, big.NewInt(1))
	maxChunk := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 8*gadgets.ChunkBytes), big.NewInt(1))
	n := big.NewInt
	rnd := func(k int) *big.Int { return pseudoRandom(fmt.Sprintf("procura.mimc.vector.%d", k)) }
	return [][]*big.Int{
		{n(0)},
		{n(1)},
		{rm1},
		{rnd(0)},
		{n(0), rm1},
		{rm1, n(0)},
		{n(1), n(2)},
		{n(0), n(0), n(0), n(0)},
		{rm1, rm1, rm1, rm1},
		{n(0), n(1), rm1, rnd(1)},
		{digits.ImageTag, maxChunk, maxChunk, n(0xffff)},
		{rnd(2), rnd(3), rnd(4), rnd(5), rnd(6), rnd(7), rnd(8), rnd(9)},
	}
}

// Vectors renders contracts/test/fixtures/mimc-vectors.json.
func Vectors(root, version string) ([]byte, error) {
	model, images, err := artifacts.LoadModelAndImages(root)
	if err != nil {
		return nil, err
	}
	f := VectorsFile{
		Comment: "Generated by gpu-runtime/go/cmd/genmimc with gnark-crypto's ecc/bn254/fr/mimc; do not edit. " +
			"vectors: MiMC(elements); images: prover.CommitImage(pixels) = MiMC(imageTag, 31-byte big-endian chunks of the 64 pixels); " +
			"model: prover.CommitModel(" + artifacts.ModelPath + ") = MiMC(elements); rollup: rollup-batch payloads (hex) with " +
			"rollup.PayloadCommitment = MiMC(rollupPayloadTag, 31-byte chunks of the payload) and the circuit's old and new roots. " +
			"Big integers are decimal strings.",
		GnarkCrypto: version,
		Modulus:     fr.Modulus().String(),
		ImageTag:    digits.ImageTag.String(),
		ModelTag:    digits.ModelTag.String(),
	}
	for _, seq := range Sequences() {
		h, err := HashElements(seq)
		if err != nil {
			return nil, err
		}
		f.Vectors = append(f.Vectors, Vector{Elements: decimals(seq), Hash: h.String()})
	}

	type sample struct {
		source string
		pixels [digits.ImageBytes]byte
	}
	var samples []sample
	for _, row := range SampleImageRows {
		if row >= len(images) {
			return nil, fmt.Errorf("genmimc: %s has no row %d", artifacts.ImagesPath, row)
		}
		samples = append(samples, sample{fmt.Sprintf("%s row %d (label %d)", artifacts.ImagesPath, row, images[row].Label), images[row].Pixels})
	}
	var full sample
	full.source = "synthetic: every pixel 255 (two maximal 31-byte chunks)"
	for i := range full.pixels {
		full.pixels[i] = 0xff
	}
	samples = append(samples, full)
	for _, s := range samples {
		c := prover.CommitImage(&s.pixels)
		// The commitment must be the plain MiMC of [ImageTag, chunks...] the Solidity checker rebuilds.
		want, err := HashElements(append([]*big.Int{digits.ImageTag}, gadgets.PackBytesNative(s.pixels[:])...))
		if err != nil {
			return nil, err
		}
		if c.Cmp(want) != 0 {
			return nil, fmt.Errorf("genmimc: prover.CommitImage is no longer MiMC(ImageTag, PackBytesNative(pixels))")
		}
		px := make([]int, len(s.pixels))
		for i, b := range s.pixels {
			px[i] = int(b)
		}
		f.Images = append(f.Images, ImageVector{Source: s.source, Pixels: px, Commitment: c.String()})
	}

	elems := append([]*big.Int{digits.ModelTag}, gadgets.PackBytesNative(digits.EncodeModel(model))...)
	mc := prover.CommitModel(model)
	if want, err := HashElements(elems); err != nil || want.Cmp(mc) != 0 {
		return nil, fmt.Errorf("genmimc: prover.CommitModel is no longer MiMC(ModelTag, PackBytesNative(EncodeModel(m))) (%v)", err)
	}
	f.Model = ModelVector{Source: artifacts.ModelPath, Elements: decimals(elems), Commitment: mc.String()}

	f.RollupTag = rollup.PayloadTag.String()
	p := rollup.SizeClasses[1].Params // rollup-2^16
	sampled := &rollup.Batch{Params: p, Balances: make([]uint64, p.Accounts()), Transfers: make([]rollup.Transfer, p.Transfers)}
	for i := range sampled.Balances {
		sampled.Balances[i] = pseudoRandom(fmt.Sprintf("procura.rollup.balance.%d", i)).Uint64() % 1000
	}
	for t := range sampled.Transfers {
		x := pseudoRandom(fmt.Sprintf("procura.rollup.transfer.%d", t))
		sampled.Transfers[t] = rollup.Transfer{From: uint32(x.Uint64()), To: uint32(x.Uint64() >> 32), Amount: new(big.Int).Rsh(x, 64).Uint64() % 800}
	}
	allOnes := make([]byte, p.PayloadBytes())
	for i := range allOnes {
		allOnes[i] = 0xff
	}
	saturated, err := rollup.Decode(p, allOnes)
	if err != nil {
		return nil, err
	}
	for _, b := range []struct {
		source string
		batch  *rollup.Batch
	}{{"pseudo-random balances below 1000 and transfers (keccak of labels)", sampled}, {"synthetic: every byte 0xff", saturated}} {
		payload := b.batch.Encode()
		elems := append([]*big.Int{rollup.PayloadTag}, gadgets.PackBytesNative(payload)...)
		c := rollup.PayloadCommitment(payload)
		if want, err := HashElements(elems); err != nil || want.Cmp(c) != 0 {
			return nil, fmt.Errorf("genmimc: rollup.PayloadCommitment is no longer MiMC(PayloadTag, PackBytesNative(payload)) (%v)", err)
		}
		f.Rollup = append(f.Rollup, RollupVector{
			Source: b.source, Depth: p.Depth, Transfers: p.Transfers, Payload: fmt.Sprintf("0x%x", payload),
			Commitment: c.String(), OldRoot: rollup.Root(p.Depth, b.batch.Balances).String(),
			NewRoot: rollup.Root(p.Depth, b.batch.Apply()).String(),
		})
	}

	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
