package prover

import (
	"encoding/gob"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Backend names the prover that made a proof: gnark on the CPU, or ICICLE on a
// GPU through the GPU worker (gpuworker.go).
type Backend string

const (
	// BackendCPU is gnark's Groth16 prover on the CPU.
	BackendCPU Backend = "cpu"
	// BackendGPU is gnark's ICICLE prover on a CUDA device, in the GPU worker.
	BackendGPU Backend = "gpu"
)

// BackendStatus says which backend proves now, and why.
type BackendStatus struct {
	// Mode is the configured choice: "auto" (the GPU when one is usable), "cpu" or "gpu" (required).
	Mode string
	// Backend is the one that proves now.
	Backend Backend
	// Detail names the device, or says why the CPU proves.
	Detail string
}

// ProofOrigin says how one proof was made.
type ProofOrigin struct {
	// Backend made the proof.
	Backend Backend
	// Fallback is why a GPU proof was abandoned and the CPU proved instead ("" if it was not).
	Fallback string
	// DeviceNanos is the time the GPU worker spent proving (0 on the CPU).
	DeviceNanos int64
}

// maxGPUFailures is how many GPU proofs in a row may fail before the GPU is
// given up for the rest of the process (each failed one is proven on the CPU).
const maxGPUFailures = 3

var (
	statusMu   sync.Mutex
	status     = BackendStatus{Mode: "cpu", Backend: BackendCPU, Detail: "not configured (ConfigureBackend)"}
	workerPath string
	failures   int

	workerMu sync.Mutex // one request at a time to the one worker
	worker   *workerProc
	keyIDs   atomic.Uint64
)

// ConfigureBackend chooses the prover for ProveOn. mode is "auto", "cpu" or
// "gpu" ("" reads PROCURA_PROVER, default "auto"); workerPath is the GPU worker
// executable ("" reads PROCURA_GPU_WORKER). For auto and gpu the worker is
// started and asked whether a CUDA device is usable (the detection of
// gpu_icicle.go); auto falls back to the CPU when none is, gpu fails.
// Errors: CodeInvalidArgument (an unknown mode), CodeBackendUnavailable (gpu
// required and not usable).
func ConfigureBackend(mode, path string) (BackendStatus, error) {
	if mode == "" {
		mode = os.Getenv("PROCURA_PROVER")
	}
	if mode == "" {
		mode = "auto"
	}
	if mode != "auto" && mode != "cpu" && mode != "gpu" {
		return CurrentBackend(), errorf(CodeInvalidArgument, "prover backend %q is not auto, cpu or gpu", mode)
	}
	if path == "" {
		path = os.Getenv("PROCURA_GPU_WORKER")
	}
	workerMu.Lock()
	defer workerMu.Unlock()
	stopWorker()
	next := BackendStatus{Mode: mode, Backend: BackendCPU}
	switch {
	case mode == "cpu":
		next.Detail = "the CPU was chosen (PROCURA_PROVER=cpu)"
	case path == "":
		next.Detail = "no GPU worker is installed (PROCURA_GPU_WORKER)"
	default:
		device, err := startAndProbe(path)
		if err != nil {
			next.Detail = "no usable GPU: " + err.Error()
		} else {
			next.Backend, next.Detail = BackendGPU, device
		}
	}
	if mode == "cpu" {
		path = ""
	}
	statusMu.Lock()
	status, workerPath, failures = next, path, 0
	statusMu.Unlock()
	if mode == "gpu" && next.Backend != BackendGPU {
		return next, errorf(CodeBackendUnavailable, "the GPU prover is required (PROCURA_PROVER=gpu) but %s", next.Detail)
	}
	return next, nil
}

// CurrentBackend returns the backend ProveOn uses now.
func CurrentBackend() BackendStatus {
	statusMu.Lock()
	defer statusMu.Unlock()
	return status
}

// ProveOn proves like Prove, on the configured backend. A GPU proof is
// checked against vk on the CPU before it is returned; when the GPU fails (the
// worker reports an error, dies, hangs past PROCURA_GPU_TIMEOUT, default 10m,
// or returns a proof that does not verify) or vk is missing, the proof is made
// on the CPU and ProofOrigin.Fallback says why. Errors: those of Prove.
func ProveOn(pk *ProvingKey, vk *VerifyingKey, payload []byte, binding *big.Int) (*Proof, ProofOrigin, error) {
	var origin ProofOrigin
	assignment, public, err := assign(pk, payload, binding)
	if err != nil {
		return nil, origin, err
	}
	if s := CurrentBackend(); s.Backend == BackendGPU {
		if vk == nil || vk.circuit != pk.circuit {
			origin.Fallback = "no verifying key of " + pk.circuit + " to check a GPU proof with"
		} else if !pairs(pk, vk) {
			origin.Fallback = "the verifying key given to check the GPU proof does not belong to the proving key"
		} else {
			words, nanos, err := proveOnWorker(pk, payload, binding)
			if errors.Is(err, errGPUNotInUse) {
				origin.Fallback = CurrentBackend().Detail
			} else if err == nil {
				// the public inputs are this process's own, never the worker's
				valid, verr := Verify(vk, words, public)
				if verr == nil && valid {
					gpuSucceeded()
					return &Proof{Words: words, Public: public}, ProofOrigin{Backend: BackendGPU, DeviceNanos: nanos}, nil
				}
				err = errors.New("the GPU proof does not verify on the CPU")
				if verr != nil {
					err = fmt.Errorf("the GPU proof is malformed: %v", verr)
				}
			}
			if origin.Fallback == "" {
				origin.Fallback = err.Error()
				if gpuFailed(origin.Fallback) {
					stopGivenUpWorker()
				}
			}
		}
	} else if s.Mode == "gpu" {
		// the GPU was required and has been given up: every CPU proof says why
		origin.Fallback = s.Detail
	}
	proof, err := proveAssigned(pk, assignment, public) // the witness assigned above, not a second time
	origin.Backend = BackendCPU
	return proof, origin, err
}

func gpuSucceeded() {
	statusMu.Lock()
	failures = 0
	statusMu.Unlock()
}

// gpuFailed counts a failed GPU proof and reports whether the GPU was given up now.
func gpuFailed(reason string) bool {
	statusMu.Lock()
	defer statusMu.Unlock()
	failures++
	if failures >= maxGPUFailures && status.Backend == BackendGPU {
		status.Backend = BackendCPU
		status.Detail = fmt.Sprintf("the GPU was given up after %d failed proofs in a row (the last: %s)", failures, reason)
		return true
	}
	return false
}

// stopGivenUpWorker stops the worker unless the GPU is in use again (a ConfigureBackend in between started a new one).
func stopGivenUpWorker() {
	workerMu.Lock()
	defer workerMu.Unlock()
	if CurrentBackend().Backend != BackendGPU {
		stopWorker()
	}
}

// errGPUNotInUse: the backend moved off the GPU while a proof waited for the worker.
var errGPUNotInUse = errors.New("the GPU is not in use any more")

// pairs reports whether vk is the verifying key of pk (the points a Groth16 setup writes into both agree).
func pairs(pk *ProvingKey, vk *VerifyingKey) bool {
	p, v := pk.pk, vk.vk
	return p.G1.Alpha.Equal(&v.G1.Alpha) && p.G1.Beta.Equal(&v.G1.Beta) && p.G1.Delta.Equal(&v.G1.Delta) &&
		p.G2.Beta.Equal(&v.G2.Beta) && p.G2.Delta.Equal(&v.G2.Delta)
}

// proveOnWorker sends pk (once per worker) and the payload to the worker,
// starting it again if it died.
func proveOnWorker(pk *ProvingKey, payload []byte, binding *big.Int) ([ProofWords]*big.Int, int64, error) {
	var words [ProofWords]*big.Int
	workerMu.Lock()
	defer workerMu.Unlock()
	statusMu.Lock()
	path, inUse := workerPath, status.Backend == BackendGPU
	statusMu.Unlock()
	if !inUse {
		return words, 0, errGPUNotInUse
	}
	if worker == nil {
		if _, err := startAndProbe(path); err != nil {
			return words, 0, fmt.Errorf("restarting the GPU worker: %v", err)
		}
	}
	if pk.gpuID == 0 {
		pk.gpuID = keyIDs.Add(1)
	}
	if !worker.loaded[pk.gpuID] {
		if err := loadOnWorker(pk); err != nil {
			return words, 0, err
		}
	}
	resp, err := worker.call(workerRequest{Op: "prove", KeyID: pk.gpuID, Payload: payload, Binding: binding.Bytes()},
		gpuTimeout())
	if err != nil {
		return words, 0, err
	}
	if resp.Err != "" {
		return words, 0, errors.New("the GPU worker: " + resp.Err)
	}
	for k, b := range resp.Words {
		words[k] = new(big.Int).SetBytes(b)
	}
	return words, resp.Nanos, nil
}

// loadOnWorker hands pk to the worker through a private temporary file (keys
// of the large classes are over a gigabyte: no copy through the pipe).
func loadOnWorker(pk *ProvingKey) error {
	raw, err := pk.MarshalBinaryRaw()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "procura-gpu-key-*")
	if err != nil {
		return fmt.Errorf("a temporary file for the proving key: %v", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("writing the proving key for the GPU worker: %v", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	resp, err := worker.call(workerRequest{Op: "load", KeyID: pk.gpuID, KeyPath: f.Name()}, gpuTimeout())
	if err != nil {
		return err
	}
	if resp.Err != "" {
		return errors.New("the GPU worker could not load the proving key: " + resp.Err)
	}
	worker.loaded[pk.gpuID] = true
	return nil
}

func gpuTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("PROCURA_GPU_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Minute
}

// startAndProbe starts the worker at path (workerMu held) and asks for its device.
func startAndProbe(path string) (string, error) {
	w, err := startWorker(path)
	if err != nil {
		return "", err
	}
	resp, err := w.call(workerRequest{Op: "probe"}, 2*time.Minute)
	if err == nil && resp.Err != "" {
		err = errors.New(resp.Err)
	}
	if err != nil {
		w.stop()
		return "", err
	}
	worker = w
	return resp.Device, nil
}

func stopWorker() {
	if worker != nil {
		worker.stop()
		worker = nil
	}
}

// workerProc is a running GPU worker.
type workerProc struct {
	cmd    *exec.Cmd
	reqW   *os.File
	respR  *os.File
	enc    *gob.Encoder
	dec    *gob.Decoder
	output *tail
	loaded map[uint64]bool
	exited chan struct{}
	broken bool
}

func startWorker(path string) (*workerProc, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	out := &tail{}
	cmd := exec.Command(path)
	cmd.ExtraFiles = []*os.File{reqR, respW} // fd 3 and 4 in the worker
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second // a grandchild holding the output pipes must not hold Wait
	if err := cmd.Start(); err != nil {
		for _, f := range []*os.File{reqR, reqW, respR, respW} {
			f.Close()
		}
		return nil, fmt.Errorf("starting the GPU worker %s: %v", path, err)
	}
	reqR.Close()
	respW.Close()
	w := &workerProc{cmd: cmd, reqW: reqW, respR: respR, enc: gob.NewEncoder(reqW), dec: gob.NewDecoder(respR),
		output: out, loaded: map[uint64]bool{}, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(w.exited)
	}()
	return w, nil
}

// call sends one request and waits for its answer; on a broken pipe, a dead
// worker or the timeout the worker is stopped (the next GPU proof starts another).
func (w *workerProc) call(req workerRequest, timeout time.Duration) (workerResponse, error) {
	type result struct {
		resp workerResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		if err := w.enc.Encode(&req); err != nil {
			done <- result{err: err}
			return
		}
		var resp workerResponse
		err := w.dec.Decode(&resp)
		done <- result{resp, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			w.stop()
			return r.resp, fmt.Errorf("the GPU worker died during %s (%v)%s", req.Op, r.err, w.lastWords())
		}
		return r.resp, nil
	case <-time.After(timeout):
		w.stop()
		return workerResponse{}, fmt.Errorf("the GPU worker did not answer %s within %s; stopped", req.Op, timeout)
	}
}

// stop closes the worker's requests (it exits at their end) and kills it if it does not go within 5 s.
func (w *workerProc) stop() {
	if w.broken {
		return
	}
	w.broken = true
	w.reqW.Close()
	select {
	case <-w.exited:
	case <-time.After(5 * time.Second):
		_ = w.cmd.Process.Kill()
		select {
		case <-w.exited:
		case <-time.After(5 * time.Second):
			// stuck in the driver (uninterruptible): let it go rather than hold every caller
		}
	}
	w.respR.Close()
	if worker == w {
		worker = nil
	}
}

func (w *workerProc) lastWords() string {
	if s := strings.TrimSpace(w.output.String()); s != "" {
		return "; its last output: " + s
	}
	return ""
}

// tail keeps the last 4 KiB written to it (the worker's stdout and stderr).
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// ForgetKey releases what the GPU worker holds for pk when its handle is freed: gnark's ICICLE prover keeps a key's
// device buffers for the key's life and has no call to free them, so the worker that loaded it is stopped (its exit
// frees host and device memory); the next GPU proof starts a fresh one and loads the keys still in use.
func ForgetKey(pk *ProvingKey) {
	if pk == nil {
		return
	}
	workerMu.Lock()
	defer workerMu.Unlock()
	if worker != nil && pk.gpuID != 0 && worker.loaded[pk.gpuID] {
		stopWorker()
	}
}
