package prover

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/circuits/rollup"
)

var (
	rollupOnce sync.Once
	rollupPK   *ProvingKey
	rollupVK   *VerifyingKey
	rollupErr  error
)

// rollupKeys sets up the smallest rollup class once (about 2^14 constraints: a second).
func rollupKeys(t *testing.T) (*ProvingKey, *VerifyingKey, circuits.Circuit) {
	t.Helper()
	c, ok := circuits.ByName("rollup-2^14")
	if !ok {
		t.Fatal("rollup-2^14 is not registered")
	}
	rollupOnce.Do(func() { rollupPK, rollupVK, rollupErr = Setup(c.ID()) })
	if rollupErr != nil {
		t.Fatal(rollupErr)
	}
	return rollupPK, rollupVK, c
}

func rollupPayload(c circuits.Circuit) []byte {
	p := c.(*rollup.Plugin).P
	b := &rollup.Batch{Params: p, Balances: make([]uint64, p.Accounts()), Transfers: make([]rollup.Transfer, p.Transfers)}
	for i := range b.Balances {
		b.Balances[i] = uint64(100 * (i + 1))
	}
	for t := range b.Transfers {
		b.Transfers[t] = rollup.Transfer{From: uint32(t), To: uint32(t + 5), Amount: uint64(50 + 100*t)}
	}
	return b.Encode()
}

func TestPluginCircuitsProveAndVerifyThroughTheGenericAPI(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	// the keys survive their envelope and its shape checks
	pkb, err := pk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if pk, err = UnmarshalProvingKey(pkb); err != nil {
		t.Fatal(err)
	}
	vkb, err := vk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if vk, err = UnmarshalVerifyingKey(vkb); err != nil {
		t.Fatal(err)
	}
	payload := rollupPayload(c)
	proof, err := Prove(pk, payload, big.NewInt(1234))
	if err != nil {
		t.Fatal(err)
	}
	if len(proof.Public) != 4 || proof.Public[0].Cmp(rollup.PayloadCommitment(payload)) != 0 || proof.Public[3].Int64() != 1234 {
		t.Fatalf("public inputs %v", proof.Public)
	}
	if ok, err := Verify(vk, proof.Words, proof.Public); err != nil || !ok {
		t.Fatalf("valid proof: %v %v", ok, err)
	}
	forged := append([]*big.Int(nil), proof.Public...)
	forged[2] = new(big.Int).Add(forged[2], big.NewInt(1)) // another new root
	if ok, err := Verify(vk, proof.Words, forged); err != nil || ok {
		t.Fatalf("a forged output verified: %v %v", ok, err)
	}
	_, err = Verify(vk, proof.Words, proof.Public[:3])
	wantCode(t, err, CodeInvalidArgument)
	_, err = Prove(pk, payload[:len(payload)-1], big.NewInt(1))
	wantCode(t, err, CodeInvalidArgument)
	_, err = Prove(pk, payload, ScalarFieldModulus())
	wantCode(t, err, CodeInvalidArgument)
	digitsPK, _ := committedKeys(t)
	_, err = Prove(digitsPK, payload, big.NewInt(1)) // a digits key: a 64-pixel payload, not a batch
	wantCode(t, err, CodeInvalidArgument)
	tiny, _ := tinyKeys(t) // a key of no registered circuit
	_, err = Prove(tiny, payload, big.NewInt(1))
	wantCode(t, err, CodeInvalidKey)

	sol, err := ExportSolidityVerifier(vk, "RollupVerifier")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sol, "contract RollupVerifier") || !strings.Contains(sol, "uint256[4] calldata input") {
		t.Fatal("the exported verifier is not a plain 4-input Groth16 verifier")
	}
}

// The committed plug-in development keys, their committed Solidity verifiers and proof fixtures belong together.
func TestCommittedPluginArtifactsMatch(t *testing.T) {
	for _, a := range []struct{ name, keyName, contract string }{
		{"rollup-2^14", "rollup-2-14", "RollupVerifier"},
		{"digits-mlp", "digits-mlp", "DigitsMlpVerifier"},
	} {
		t.Run(a.name, func(t *testing.T) { checkCommittedArtifacts(t, a.name, a.keyName, a.contract) })
	}
}

func checkCommittedArtifacts(t *testing.T, name, keyName, contract string) {
	pkb, err := os.ReadFile(filepath.Join(keysDir, keyName+".pk"))
	if err != nil {
		t.Fatal(err)
	}
	vkb, err := os.ReadFile(filepath.Join(keysDir, keyName+".vk"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := UnmarshalProvingKey(pkb)
	if err != nil {
		t.Fatal(err)
	}
	vk, err := UnmarshalVerifyingKey(vkb)
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Payload string   `json:"payload"`
		Proof   []string `json:"proof"`
		Inputs  []string `json:"inputs"`
	}
	fixture := map[string]string{"rollup-2^14": "rollup-proof.json", "digits-mlp": "digits-mlp-proof.json"}[name]
	raw, err := os.ReadFile("../../../contracts/test/fixtures/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	var words [ProofWords]*big.Int
	for k := range words {
		words[k], _ = new(big.Int).SetString(fx.Proof[k], 10)
	}
	var public []*big.Int
	for _, s := range fx.Inputs {
		v, _ := new(big.Int).SetString(s, 10)
		public = append(public, v)
	}
	if ok, err := Verify(vk, words, public); err != nil || !ok {
		t.Fatalf("the fixture does not verify with the committed key: %v %v", ok, err)
	}
	payload, err := hex.DecodeString(strings.TrimPrefix(fx.Payload, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	proof, err := Prove(pk, payload, public[len(public)-1])
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := Verify(vk, proof.Words, proof.Public); !ok {
		t.Fatal("the committed proving key does not prove for the committed verifying key")
	}
	sol, err := ExportSolidityVerifier(vk, contract)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../../contracts/src/verifiers/" + contract + ".sol")
	if err != nil {
		t.Fatal(err)
	}
	sol = strings.Replace(sol, "gpu-runtime/go/cmd/setup", "gpu-runtime/go/cmd/circuit (setup -circuit "+name+")", 1)
	if sol != string(committed) {
		t.Fatalf("contracts/src/verifiers/%s.sol is not the verifier of the committed %s.vk", contract, keyName)
	}
}

// BenchmarkProvePlugin proves the plug-in circuits natively, on the payloads ProveBenchmark (JMH, through JNI)
// uses: image 0 for digits-mlp, the sample batch for the rollups (bundled keys where there are some, else a
// setup outside the timer). gpu-runtime/bench-jni.sh interleaves the two.
// BenchmarkProvePlugin proves the plug-in circuits natively (gpu-runtime/bench-jni.sh compares them with JNI).
// PROCURA_BENCH_CIRCUITS (comma-separated names) replaces the default three, for the large rollup classes
// (bench-jni-large.sh); keys come from the bundle, else from the user's cache (`procura circuit setup`), else a
// fresh Setup (outside the timer).
func BenchmarkProvePlugin(b *testing.B) {
	_, img := firstImage(b)
	names := []string{"digits-mlp", "rollup-2^14", "rollup-2^16"}
	if env := os.Getenv("PROCURA_BENCH_CIRCUITS"); env != "" {
		names = strings.Split(env, ",")
	}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			c, ok := circuits.ByName(name)
			if !ok {
				b.Fatal(name)
			}
			pk := benchKey(b, c)
			payload := img.Pixels[:]
			if s, ok := c.(interface{ SamplePayload() []byte }); ok && name != "digits-mlp" {
				payload = s.SamplePayload()
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := Prove(pk, payload, big.NewInt(42)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchKey loads c's proving key from the bundle or the user's cache (as the Java side's Circuit.cacheDir
// names it: $XDG_CACHE_HOME or ~/.cache, then procura/circuits/<id>/<keyName>.pk), else runs a Setup.
func benchKey(b *testing.B, c circuits.Circuit) *ProvingKey {
	keyName := strings.ReplaceAll(c.Name(), "^", "-") + ".pk"
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	for _, file := range []string{filepath.Join(keysDir, keyName), filepath.Join(cache, "procura", "circuits", c.ID(), keyName)} {
		if raw, err := os.ReadFile(file); err == nil {
			pk, err := UnmarshalProvingKey(raw)
			if err != nil {
				b.Fatal(err)
			}
			return pk
		}
	}
	pk, _, err := Setup(c.ID())
	if err != nil {
		b.Fatal(err)
	}
	return pk
}

// The digits circuit through the generic API proves what ProveDigits proves, with the same keys.
func TestDigitsThroughTheGenericAPIMatchesProveDigits(t *testing.T) {
	pk, vk := committedKeys(t)
	model, img := firstImage(t)
	p, err := Prove(pk, img.Pixels[:], big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	want := DigitsAssignment(model, &img.Pixels, big.NewInt(7))
	if p.Public[0].Cmp(want.ModelCommitment.(*big.Int)) != 0 || p.Public[2].Int64() != int64(want.PredictedClass.(int)) {
		t.Fatalf("public inputs %v", p.Public)
	}
	var ins [DigitsPublicInputs]*big.Int
	copy(ins[:], p.Public)
	if ok, err := VerifyDigits(vk, p.Words, ins); err != nil || !ok {
		t.Fatalf("VerifyDigits refuses a generic proof: %v %v", ok, err)
	}
}
