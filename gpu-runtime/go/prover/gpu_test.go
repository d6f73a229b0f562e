package prover

import (
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	workerOnce sync.Once
	workerBin  string
	workerErr  error
)

// gpuWorker builds cmd/gpuworker (without the icicle tag: only its test devices prove) once per test run.
func gpuWorker(t *testing.T) string {
	t.Helper()
	workerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "procura-gpuworker-")
		if err != nil {
			workerErr = err
			return
		}
		workerBin = filepath.Join(dir, "gpuworker")
		out, err := exec.Command("go", "build", "-o", workerBin, "../cmd/gpuworker").CombinedOutput()
		if err != nil {
			workerErr = err
			workerBin = string(out)
		}
	})
	if workerErr != nil {
		t.Fatalf("building the GPU worker: %v\n%s", workerErr, workerBin)
	}
	return workerBin
}

// withWorker configures the backend with the worker proving on test device `device` (PROCURA_GPU_WORKER_TEST).
func withWorker(t *testing.T, mode, device string) BackendStatus {
	t.Helper()
	bin := gpuWorker(t)
	t.Setenv("PROCURA_GPU_WORKER_TEST", device)
	t.Cleanup(func() { _, _ = ConfigureBackend("cpu", "") })
	s, err := ConfigureBackend(mode, bin)
	if err != nil && mode != "gpu" {
		t.Fatal(err)
	}
	return s
}

func TestAGPUProofIsMadeByTheWorkerAndCheckedOnTheCPU(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	s := withWorker(t, "auto", "cpu")
	if s.Backend != BackendGPU || !strings.Contains(s.Detail, "test device") {
		t.Fatalf("backend %+v, want the worker's test device", s)
	}
	payload := rollupPayload(c)
	for i := range 2 { // the key is sent once, then reused
		proof, origin, err := ProveOn(pk, vk, payload, big.NewInt(int64(7+i)))
		if err != nil {
			t.Fatal(err)
		}
		if origin.Backend != BackendGPU || origin.Fallback != "" || origin.DeviceNanos <= 0 {
			t.Fatalf("proof %d: origin %+v, want a GPU proof", i, origin)
		}
		if ok, err := Verify(vk, proof.Words, proof.Public); err != nil || !ok {
			t.Fatalf("the GPU proof does not verify: %v", err)
		}
	}
}

func TestAFailingGPUFallsBackToTheCPUForThatProof(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	t.Setenv("PROCURA_GPU_TIMEOUT", "3s")
	for _, tc := range []struct{ device, reason string }{
		{"wrong", "does not verify"},
		{"crash", "died during prove"},
		{"hang", "did not answer prove within 3s"},
	} {
		t.Run(tc.device, func(t *testing.T) {
			if s := withWorker(t, "auto", tc.device); s.Backend != BackendGPU {
				t.Fatalf("backend %+v", s)
			}
			proof, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(11))
			if err != nil {
				t.Fatal(err)
			}
			if origin.Backend != BackendCPU || !strings.Contains(origin.Fallback, tc.reason) {
				t.Fatalf("origin %+v, want a CPU proof after %q", origin, tc.reason)
			}
			if tc.device == "crash" && !strings.Contains(origin.Fallback, "CUDA error 700") {
				t.Fatalf("the worker's last words are missing: %s", origin.Fallback)
			}
			if ok, err := Verify(vk, proof.Words, proof.Public); err != nil || !ok {
				t.Fatalf("the fallback proof does not verify: %v", err)
			}
		})
	}
}

func TestTheGPUIsGivenUpAfterRepeatedFailures(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	withWorker(t, "auto", "crash")
	for i := range maxGPUFailures {
		if _, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(int64(i))); err != nil || origin.Backend != BackendCPU {
			t.Fatalf("proof %d: %+v %v", i, origin, err)
		}
	}
	s := CurrentBackend()
	if s.Backend != BackendCPU || !strings.Contains(s.Detail, "given up after 3 failed proofs") {
		t.Fatalf("backend %+v, want the GPU given up", s)
	}
	_, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(99))
	if err != nil || origin.Backend != BackendCPU || origin.Fallback != "" {
		t.Fatalf("after giving up: %+v %v, want a plain CPU proof", origin, err)
	}
}

func TestWithoutAUsableGPUAutoProvesOnTheCPUAndGPUIsRefused(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	for _, device := range []string{"noprobe", ""} { // "": the untagged worker's own device, which is none
		s := withWorker(t, "auto", device)
		if s.Backend != BackendCPU || !strings.Contains(s.Detail, "no usable GPU") {
			t.Fatalf("%q: backend %+v", device, s)
		}
		if _, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(5)); err != nil || origin.Backend != BackendCPU {
			t.Fatalf("%q: %+v %v", device, origin, err)
		}
	}
	withWorker(t, "gpu", "noprobe")
	if _, err := ConfigureBackend("gpu", gpuWorker(t)); err == nil || !strings.Contains(err.Error(), "BACKEND_UNAVAILABLE") {
		t.Fatalf("gpu required without a GPU: %v", err)
	}
	if s, err := ConfigureBackend("auto", filepath.Join(t.TempDir(), "missing")); err != nil || s.Backend != BackendCPU ||
		!strings.Contains(s.Detail, "starting the GPU worker") {
		t.Fatalf("a missing worker: %+v %v", s, err)
	}
	if _, err := ConfigureBackend("fastest", ""); err == nil {
		t.Fatal("an unknown mode was accepted")
	}
	if s, _ := ConfigureBackend("cpu", gpuWorker(t)); s.Backend != BackendCPU {
		t.Fatalf("cpu chosen: %+v", s)
	}
}

func TestAGPUProofNeedsAVerifyingKeyOfItsCircuit(t *testing.T) {
	pk, _, c := rollupKeys(t)
	withWorker(t, "auto", "cpu")
	_, origin, err := ProveOn(pk, nil, rollupPayload(c), big.NewInt(3))
	if err != nil || origin.Backend != BackendCPU || !strings.Contains(origin.Fallback, "no verifying key") {
		t.Fatalf("%+v %v", origin, err)
	}
	if _, _, err := ProveOn(pk, nil, []byte{1, 2}, big.NewInt(3)); err == nil {
		t.Fatal("a short payload was accepted")
	}
}

// The worker built with the icicle tag (gpu-runtime/icicle/build-worker.sh; the Maven build passes its path in
// PROCURA_ICICLE_WORKER) on a machine without a GPU: no backend folder, a bogus one, an empty one. Each time the
// runtime proves on the CPU and says why; a required GPU is refused.
func TestTheICICLEWorkerWithoutAGPUFallsBackToTheCPU(t *testing.T) {
	bin := os.Getenv("PROCURA_ICICLE_WORKER")
	if bin == "" {
		t.Skip("PROCURA_ICICLE_WORKER is not set: build the tagged worker with gpu-runtime/icicle/build-worker.sh " +
			"and point PROCURA_ICICLE_WORKER at it (the Maven build does)")
	}
	pk, vk, c := rollupKeys(t)
	t.Setenv("PROCURA_GPU_WORKER_TEST", "")
	t.Cleanup(func() { _, _ = ConfigureBackend("cpu", "") })
	for _, tc := range []struct{ dir, reason string }{
		{"", "ICICLE_BACKEND_INSTALL_DIR is not set"},
		{filepath.Join(t.TempDir(), "no-such-backend"), "no-such-backend"},
		{t.TempDir(), "no CUDA device"},
	} {
		t.Setenv("ICICLE_BACKEND_INSTALL_DIR", tc.dir)
		s, err := ConfigureBackend("auto", bin)
		if err != nil || s.Backend != BackendCPU || !strings.Contains(s.Detail, tc.reason) {
			t.Fatalf("backend dir %q: %+v %v, want the CPU because %q", tc.dir, s, err, tc.reason)
		}
		t.Logf("backend dir %q: %s", tc.dir, s.Detail)
		proof, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(21))
		if err != nil || origin.Backend != BackendCPU {
			t.Fatalf("backend dir %q: %+v %v", tc.dir, origin, err)
		}
		if ok, err := Verify(vk, proof.Words, proof.Public); err != nil || !ok {
			t.Fatalf("backend dir %q: the proof does not verify: %v", tc.dir, err)
		}
		if _, err := ConfigureBackend("gpu", bin); err == nil || !strings.Contains(err.Error(), "BACKEND_UNAVAILABLE") {
			t.Fatalf("backend dir %q: a required GPU was not refused: %v", tc.dir, err)
		}
	}
}

// The worker inherits no descriptor of its parent beyond stdin, stdout, stderr and its two pipes (a JVM's listening
// socket must not stay open in it); it reports the descriptors it holds as its device name under "fds".
func TestTheWorkerKeepsNoInheritedDescriptor(t *testing.T) {
	bin := gpuWorker(t)
	leak, err := os.CreateTemp(t.TempDir(), "inherited")
	if err != nil {
		t.Fatal(err)
	}
	defer leak.Close()
	cmd := exec.Command(bin)
	cmd.ExtraFiles = []*os.File{leak, leak, leak} // fd 3, 4 (not pipes: the worker stops at once), 5: must be closed
	cmd.Env = append(os.Environ(), "PROCURA_GPU_WORKER_TEST=fds")
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "fds: 0 1 2 3 4\n") {
		t.Fatalf("the worker kept descriptors it inherited: %s", out)
	}
}

func TestAVerifyingKeyOfAnotherSetupIsNotUsedAndCostsTheGPUNothing(t *testing.T) {
	pk, _, c := rollupKeys(t)
	_, other, err := Setup(c.ID())
	if err != nil {
		t.Fatal(err)
	}
	withWorker(t, "auto", "cpu")
	for i := range maxGPUFailures + 1 {
		_, origin, err := ProveOn(pk, other, rollupPayload(c), big.NewInt(int64(i)))
		if err != nil || origin.Backend != BackendCPU || !strings.Contains(origin.Fallback, "does not belong") {
			t.Fatalf("proof %d: %+v %v", i, origin, err)
		}
	}
	if s := CurrentBackend(); s.Backend != BackendGPU {
		t.Fatalf("a mismatched check key gave the GPU up: %+v", s)
	}
}

func TestARequiredGPUGivenUpSaysWhyOnEveryCPUProof(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	withWorker(t, "gpu", "crash")
	for i := range maxGPUFailures + 2 {
		_, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(int64(i)))
		if err != nil || origin.Backend != BackendCPU || origin.Fallback == "" {
			t.Fatalf("proof %d: %+v %v, want a CPU proof that says why", i, origin, err)
		}
		if i >= maxGPUFailures && !strings.Contains(origin.Fallback, "given up") {
			t.Fatalf("proof %d after giving up: %q", i, origin.Fallback)
		}
	}
}

func TestAFreedKeyStopsTheWorkerAndTheNextProofStartsAnother(t *testing.T) {
	pk, vk, c := rollupKeys(t)
	withWorker(t, "auto", "cpu")
	if _, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(1)); err != nil || origin.Backend != BackendGPU {
		t.Fatalf("%+v %v", origin, err)
	}
	workerMu.Lock()
	first := worker
	workerMu.Unlock()
	ForgetKey(pk)
	workerMu.Lock()
	stopped := worker == nil
	workerMu.Unlock()
	if !stopped || !first.broken {
		t.Fatal("the worker holding the freed key is still running")
	}
	if _, origin, err := ProveOn(pk, vk, rollupPayload(c), big.NewInt(2)); err != nil || origin.Backend != BackendGPU {
		t.Fatalf("after a restart: %+v %v", origin, err)
	}
}
