package prover

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// tinyCircuit is a test-only circuit (a few constraints) whose keys the fuzz
// targets mutate: small enough that every iteration decodes, proves and
// verifies in milliseconds.
type tinyCircuit struct {
	X frontend.Variable `gnark:",public"`
	Y frontend.Variable
	Z frontend.Variable
}

func (c *tinyCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.Y, c.Z), c.X)
	api.AssertIsDifferent(c.Y, 0)
	return nil
}

const tinyCircuitID = "procura.test.tiny.v1"

var (
	tinyOnce sync.Once
	tinyCS   constraint.ConstraintSystem
	tinyErr  error
	tinyPK   *ProvingKey
	tinyVK   *VerifyingKey
)

func tinySystem() (constraint.ConstraintSystem, error) {
	tinyOnce.Do(func() {
		tinyCS, tinyErr = frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &tinyCircuit{})
	})
	return tinyCS, tinyErr
}

func init() {
	circuitSystems[tinyCircuitID] = tinySystem
}

var tinyKeysOnce sync.Once

// tinyKeys runs the tiny circuit's setup once per test binary.
func tinyKeys(tb testing.TB) (*ProvingKey, *VerifyingKey) {
	tb.Helper()
	tinyKeysOnce.Do(func() {
		cs, err := tinySystem()
		if err != nil {
			tb.Fatal(err)
		}
		pk, vk, err := groth16.Setup(cs)
		if err != nil {
			tb.Fatal(err)
		}
		tinyPK = &ProvingKey{circuit: tinyCircuitID, pk: pk.(*groth16bn254.ProvingKey)}
		tinyVK = &VerifyingKey{circuit: tinyCircuitID, vk: vk.(*groth16bn254.VerifyingKey)}
	})
	return tinyPK, tinyVK
}

// payloadOf returns gnark's encoding inside a key envelope.
func payloadOf(tb testing.TB, sealed []byte, kind byte) []byte {
	tb.Helper()
	_, payload, err := open(kind, sealed)
	if err != nil {
		tb.Fatal(err)
	}
	return payload
}

func rawPayload(tb testing.TB, pk *ProvingKey) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := pk.pk.WriteRawTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// proveTiny proves the tiny statement 6 = 2·3 with pk; a key that was accepted
// must never make gnark's prover panic.
func proveTiny(t *testing.T, pk *ProvingKey) {
	cs, err := tinySystem()
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(&tinyCircuit{X: 6, Y: 2, Z: 3}, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = groth16.Prove(cs, pk.pk, w) // an error is fine; a panic is not
}

// Keys whose SHA-256 is right but whose counts or length prefixes are crafted
// used to load and then kill the process inside a gnark goroutine at prove
// (index out of range), or kill it while loading (a length prefix of 2^32
// points: "fatal error: runtime: out of memory"). Each is now CodeInvalidKey.
func TestCraftedProvingKeysAreInvalidKeyNotACrash(t *testing.T) {
	pkb, err := os.ReadFile(filepath.Join(keysDir, "digits.pk"))
	if err != nil {
		t.Fatal(err)
	}
	good := payloadOf(t, pkb, kindProvingKey)
	if _, err := UnmarshalProvingKey(seal(kindProvingKey, DigitsCircuitID, good)); err != nil {
		t.Fatalf("the committed key must load: %v", err)
	}
	pk, _ := committedKeys(t)
	nbWires := uint64(len(pk.pk.InfinityA))
	const domainBytes = 8 + 5*32 + 1
	// offsets in the compressed encoding: domain, three G1 points, then A's length prefix;
	// at the end: wire count, two infinity counts, two flag arrays, commitment count
	offA := domainBytes + 3*32
	offWires := len(good) - 4 - 2*int(nbWires) - 8 - 8 - 8
	edit := func(off int, b []byte) []byte {
		out := bytes.Clone(good)
		copy(out[off:], b)
		return out
	}
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	u64 := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

	// re-encodings of the decoded key with inconsistent counts (what the prover indexes by)
	reencode := func(mutate func(k *groth16bn254.ProvingKey)) []byte {
		var k groth16bn254.ProvingKey
		if _, err := k.UnsafeReadFrom(bytes.NewReader(good)); err != nil {
			t.Fatal(err)
		}
		mutate(&k)
		var buf bytes.Buffer
		if _, err := k.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	cases := map[string][]byte{
		"domain of 2^63 points":        edit(0, u64(1<<63)),
		"A claims 2^32-1 points":       edit(offA, u32(^uint32(0))),
		"A claims one point too many":  edit(offA, u32(uint32(len(pk.pk.G1.A)+1))),
		"2^40 wires":                   edit(offWires, u64(1<<40)),
		"infinity count off by one":    reencode(func(k *groth16bn254.ProvingKey) { k.NbInfinityA++ }),
		"one A point missing":          reencode(func(k *groth16bn254.ProvingKey) { k.G1.A = k.G1.A[1:] }),
		"one Z point missing":          reencode(func(k *groth16bn254.ProvingKey) { k.G1.Z = k.G1.Z[1:] }),
		"B2 shorter than B":            reencode(func(k *groth16bn254.ProvingKey) { k.G2.B = k.G2.B[1:] }),
		"flags and count both shifted": reencode(func(k *groth16bn254.ProvingKey) { k.InfinityA[0] = !k.InfinityA[0] }),
		"truncated":                    good[:len(good)/2],
		"trailing byte":                append(bytes.Clone(good), 0),
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := UnmarshalProvingKey(seal(kindProvingKey, DigitsCircuitID, payload))
			wantCode(t, err, CodeInvalidKey)
		})
	}
	t.Run("a key of another circuit", func(t *testing.T) {
		_, err := UnmarshalProvingKey(seal(kindProvingKey, "procura.unknown.v1", good))
		wantCode(t, err, CodeInvalidKey)
	})
	t.Run("the tiny circuit's key under the digits id", func(t *testing.T) {
		tiny, _ := tinyKeys(t)
		b, err := tiny.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		_, err = UnmarshalProvingKey(seal(kindProvingKey, DigitsCircuitID, payloadOf(t, b, kindProvingKey)))
		wantCode(t, err, CodeInvalidKey)
	})
}

func TestCraftedVerifyingKeysAreInvalidKey(t *testing.T) {
	vkb, err := os.ReadFile(filepath.Join(keysDir, "digits.vk"))
	if err != nil {
		t.Fatal(err)
	}
	good := payloadOf(t, vkb, kindVerifyingKey)
	// compressed: alpha, beta (G1, 32 each), beta2, gamma2 (G2, 64), delta (32), delta2 (64), then K's length
	offK := 32 + 32 + 64 + 64 + 32 + 64
	for name, payload := range map[string][]byte{
		"K claims 2^32-1 points": append(append(bytes.Clone(good[:offK]), 0xff, 0xff, 0xff, 0xff), good[offK+4:]...),
		"committed wires claim 2^32-1 entries": func() []byte {
			out := bytes.Clone(good)
			copy(out[len(out)-8:], []byte{0xff, 0xff, 0xff, 0xff})
			return out
		}(),
		"truncated": good[:len(good)-1],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := UnmarshalVerifyingKey(seal(kindVerifyingKey, DigitsCircuitID, payload))
			wantCode(t, err, CodeInvalidKey)
		})
	}
}

// Both of gnark's encodings load: the compressed one (committed keys) and the raw one (larger, faster to load).
func TestRawAndCompressedEncodingsLoadAlike(t *testing.T) {
	pk, _ := tinyKeys(t)
	compressed, err := pk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for name, sealed := range map[string][]byte{
		"compressed": compressed,
		"raw":        seal(kindProvingKey, tinyCircuitID, rawPayload(t, pk)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := UnmarshalProvingKey(sealed)
			if err != nil {
				t.Fatal(err)
			}
			if !got.pk.G1.Alpha.Equal(&pk.pk.G1.Alpha) || len(got.pk.G1.A) != len(pk.pk.G1.A) {
				t.Fatal("decoded key differs")
			}
			proveTiny(t, got)
		})
	}
}

// FuzzUnmarshalProvingKey feeds mutated key payloads (sealed with a correct
// checksum, so the mutations reach gnark's decoder) to the loader: it must
// return an error or a key that proves without panicking, never crash.
// CI runs it for a bounded time (gpu-runtime/pom.xml).
func FuzzUnmarshalProvingKey(f *testing.F) {
	pk, _ := tinyKeys(f)
	compressed, err := pk.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(payloadOf(f, compressed, kindProvingKey))
	f.Add(rawPayload(f, pk))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := UnmarshalProvingKey(seal(kindProvingKey, tinyCircuitID, payload))
		if err != nil {
			if CodeOf(err) != CodeInvalidKey {
				t.Fatalf("want CodeInvalidKey, got %v", err)
			}
			return
		}
		proveTiny(t, got)
	})
}

// FuzzUnmarshalVerifyingKey does the same for verifying keys: an accepted key
// verifies (or refuses) a proof without panicking.
func FuzzUnmarshalVerifyingKey(f *testing.F) {
	pk, vk := tinyKeys(f)
	sealed, err := vk.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(payloadOf(f, sealed, kindVerifyingKey))
	cs, err := tinySystem()
	if err != nil {
		f.Fatal(err)
	}
	w, err := frontend.NewWitness(&tinyCircuit{X: 6, Y: 2, Z: 3}, ecc.BN254.ScalarField())
	if err != nil {
		f.Fatal(err)
	}
	proof, err := groth16.Prove(cs, pk.pk, w)
	if err != nil {
		f.Fatal(err)
	}
	public, err := w.Public()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := UnmarshalVerifyingKey(seal(kindVerifyingKey, tinyCircuitID, payload))
		if err != nil {
			if CodeOf(err) != CodeInvalidKey {
				t.Fatalf("want CodeInvalidKey, got %v", err)
			}
			return
		}
		_ = groth16.Verify(proof, got.vk, public)
	})
}

// The envelope's length prefix: above the bound (what Java can hand over) or different from the payload it
// carries, a key is INVALID_KEY before anything is decoded; a payload above the old 1 GiB bound but below
// 2^31 − 1 (the raw rollup-2^22 proving key is 1.35 GB) passes the envelope.
func TestEnvelopeLengthPrefix(t *testing.T) {
	payload := []byte("payload")
	sealed := seal(kindProvingKey, DigitsCircuitID, payload)
	lengthAt := len(keyMagic) + 2 + len(DigitsCircuitID)
	withLength := func(n uint64) []byte {
		b := bytes.Clone(sealed)
		binary.BigEndian.PutUint64(b[lengthAt:], n)
		return b
	}
	for name, b := range map[string][]byte{
		"above the bound":   withLength(maxKeyBytes + 1),
		"2^64 - 1":          withLength(^uint64(0)),
		"one byte too many": withLength(uint64(len(payload)) + 1),
		"one byte too few":  withLength(uint64(len(payload)) - 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := open(kindProvingKey, b)
			wantCode(t, err, CodeInvalidKey)
		})
	}
	if _, got, err := open(kindProvingKey, sealed); err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("a well-formed envelope: %v", err)
	}
	if maxKeyBytes < 1_346_690_687 {
		t.Fatalf("the bound %d refuses the raw rollup-2^22 proving key (1,346,690,687 bytes)", maxKeyBytes)
	}
}
