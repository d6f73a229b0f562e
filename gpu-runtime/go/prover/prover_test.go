package prover

import (
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/dataset"
)

const (
	keysDir   = "../../src/main/resources/io/procura/runtime/keys"
	javaEnum  = "../../src/main/java/io/procura/runtime/ErrorCode.java"
	modelFile = "../../../data/digits-model.json"
	imageFile = "../../../data/digits.csv.gz"
)

var (
	keysOnce sync.Once
	testPK   *ProvingKey
	testVK   *VerifyingKey
	keysErr  error
)

// committedKeys loads the committed development keys once (setup takes ~20 s).
func committedKeys(tb testing.TB) (*ProvingKey, *VerifyingKey) {
	tb.Helper()
	keysOnce.Do(func() {
		var pkb, vkb []byte
		if pkb, keysErr = os.ReadFile(filepath.Join(keysDir, "digits.pk")); keysErr != nil {
			return
		}
		if vkb, keysErr = os.ReadFile(filepath.Join(keysDir, "digits.vk")); keysErr != nil {
			return
		}
		if testPK, keysErr = UnmarshalProvingKey(pkb); keysErr != nil {
			return
		}
		testVK, keysErr = UnmarshalVerifyingKey(vkb)
	})
	if keysErr != nil {
		tb.Fatal(keysErr)
	}
	return testPK, testVK
}

func firstImage(tb testing.TB) (*digits.Model, dataset.Image) {
	tb.Helper()
	m, err := dataset.LoadModel(modelFile)
	if err != nil {
		tb.Fatal(err)
	}
	imgs, err := dataset.LoadImages(imageFile)
	if err != nil {
		tb.Fatal(err)
	}
	return m, imgs[0]
}

func wantCode(t *testing.T, err error, code ErrorCode) {
	t.Helper()
	if CodeOf(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestProofVerifiesOnlyForItsOwnPublicInputs(t *testing.T) {
	pk, vk := committedKeys(t)
	model, img := firstImage(t)
	binding := big.NewInt(123456789)
	p, err := ProveDigits(pk, model, &img.Pixels, binding)
	if err != nil {
		t.Fatal(err)
	}
	if p.PredictedClass != model.Predict(&img.Pixels) || p.PublicInputs[2].Int64() != int64(p.PredictedClass) {
		t.Fatalf("class %d does not match the model's prediction", p.PredictedClass)
	}
	if p.PublicInputs[0].Cmp(CommitModel(model)) != 0 || p.PublicInputs[1].Cmp(CommitImage(&img.Pixels)) != 0 {
		t.Fatal("public commitments differ from the native commitments")
	}
	ok, err := VerifyDigits(vk, p.Proof, p.PublicInputs)
	if err != nil || !ok {
		t.Fatalf("valid proof rejected: %v", err)
	}
	for k := range DigitsPublicInputs {
		tampered := p.PublicInputs
		tampered[k] = new(big.Int).Add(tampered[k], big.NewInt(1))
		ok, err := VerifyDigits(vk, p.Proof, tampered)
		if err != nil || ok {
			t.Fatalf("proof accepted with public input %d changed (err %v)", k, err)
		}
	}
	// A re-randomised or altered proof: swap A and C (both valid G1 points).
	swapped := p.Proof
	swapped[0], swapped[1], swapped[6], swapped[7] = p.Proof[6], p.Proof[7], p.Proof[0], p.Proof[1]
	if ok, err := VerifyDigits(vk, swapped, p.PublicInputs); err != nil || ok {
		t.Fatalf("altered proof accepted (err %v)", err)
	}
}

func TestMalformedInputsAreErrorsNotPanics(t *testing.T) {
	pk, vk := committedKeys(t)
	model, img := firstImage(t)
	p, err := ProveDigits(pk, model, &img.Pixels, big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}

	_, err = ProveDigits(pk, model, &img.Pixels, ScalarFieldModulus())
	wantCode(t, err, CodeInvalidArgument)
	_, err = ProveDigits(pk, model, &img.Pixels, big.NewInt(-1))
	wantCode(t, err, CodeInvalidArgument)

	notReduced := p.Proof
	notReduced[3] = new(big.Int).Lsh(big.NewInt(1), 255)
	_, err = VerifyDigits(vk, notReduced, p.PublicInputs)
	wantCode(t, err, CodeInvalidProof)

	offCurve := p.Proof
	offCurve[1] = new(big.Int).Add(offCurve[1], big.NewInt(1))
	_, err = VerifyDigits(vk, offCurve, p.PublicInputs)
	wantCode(t, err, CodeInvalidProof)

	badInput := p.PublicInputs
	badInput[3] = ScalarFieldModulus()
	_, err = VerifyDigits(vk, p.Proof, badInput)
	wantCode(t, err, CodeInvalidArgument)

	vkb, _ := vk.MarshalBinary()
	pkb, _ := pk.MarshalBinary()
	_, err = UnmarshalVerifyingKey([]byte("not a key at all"))
	wantCode(t, err, CodeInvalidKey)
	_, err = UnmarshalVerifyingKey(vkb[:len(vkb)-1])
	wantCode(t, err, CodeInvalidKey)
	corrupted := append([]byte(nil), vkb...)
	corrupted[len(corrupted)-5] ^= 0xff
	_, err = UnmarshalVerifyingKey(corrupted)
	wantCode(t, err, CodeInvalidKey)
	_, err = UnmarshalVerifyingKey(pkb)
	wantCode(t, err, CodeInvalidKey)
	_, err = UnmarshalProvingKey(vkb)
	wantCode(t, err, CodeInvalidKey)
	_, err = UnmarshalProvingKey(nil)
	wantCode(t, err, CodeInvalidKey)
}

func TestKeysRoundTripThroughTheirEncoding(t *testing.T) {
	_, vk := committedKeys(t)
	b, err := vk.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalVerifyingKey(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := back.MarshalBinary()
	if string(b) != string(b2) || back.Circuit() != DigitsCircuitID {
		t.Fatal("verifying key does not round-trip")
	}
}

func TestCommitmentsSeparateModelsImagesAndDomains(t *testing.T) {
	var px [digits.ImageBytes]byte
	var m digits.Model
	base := CommitImage(&px)
	px[63] = 1
	if CommitImage(&px).Cmp(base) == 0 {
		t.Fatal("image commitment ignores the last pixel")
	}
	mb := CommitModel(&m)
	m.Biases[9] = -1
	if CommitModel(&m).Cmp(mb) == 0 {
		t.Fatal("model commitment ignores the last bias")
	}
	if base.Cmp(ScalarFieldModulus()) >= 0 || mb.Sign() <= 0 {
		t.Fatal("commitment not in [1, r)")
	}
}

func TestExportedVerifierIsPlainGroth16(t *testing.T) {
	_, vk := committedKeys(t)
	sol, err := ExportSolidityVerifier(vk, DigitsVerifierContract)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"contract DigitsVerifier {", "uint256[8] calldata proof", "uint256[4] calldata input", "pragma solidity " + SolidityPragma} {
		if !strings.Contains(sol, want) {
			t.Fatalf("verifier lacks %q", want)
		}
	}
	if strings.Contains(sol, "commitments") && strings.Contains(sol, "uint256[2] calldata commitmentPok") {
		t.Fatal("verifier expects BSB22 commitments")
	}
}

// TestErrorCodesMatchJavaEnum keeps this package's ErrorCode table and the Java
// enum io.procura.runtime.ErrorCode in sync: same names in the same order.
func TestErrorCodesMatchJavaEnum(t *testing.T) {
	src, err := os.ReadFile(javaEnum)
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`).ReplaceAllString(string(src), "")
	start := strings.Index(body, "enum ErrorCode")
	if start < 0 {
		t.Fatal("no enum ErrorCode in " + javaEnum)
	}
	body = body[start:]
	body = body[strings.Index(body, "{")+1:]
	body = body[:strings.Index(body, ";")]
	var javaNames []string
	for _, c := range regexp.MustCompile(`\b([A-Z][A-Z0-9_]*)\s*(\(|,|$)`).FindAllStringSubmatch(body, -1) {
		javaNames = append(javaNames, c[1])
	}
	var goNames []string
	for _, c := range ErrorCodes() {
		goNames = append(goNames, c.String())
	}
	if strings.Join(javaNames, ",") != strings.Join(goNames, ",") {
		t.Fatalf("Java enum %v != Go table %v", javaNames, goNames)
	}
}

func BenchmarkProveDigits(b *testing.B) {
	pk, _ := committedKeys(b)
	model, img := firstImage(b)
	binding := big.NewInt(42)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ProveDigits(pk, model, &img.Pixels, binding); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadProvingKey(b *testing.B) {
	pkb, err := os.ReadFile(filepath.Join(keysDir, "digits.pk"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := UnmarshalProvingKey(pkb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadProvingKeyRaw loads the same digits key from gnark's raw (uncompressed) encoding, which skips
// the square roots that decompressing every point costs.
func BenchmarkLoadProvingKeyRaw(b *testing.B) {
	pk, _ := committedKeys(b)
	raw, err := pk.MarshalBinaryRaw()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(raw)), "bytes")
	for b.Loop() {
		if _, err := UnmarshalProvingKey(raw); err != nil {
			b.Fatal(err)
		}
	}
}
