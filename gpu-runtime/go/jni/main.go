// Command jni is the JNI entry point of Procura's native runtime, built with
//
//	CGO_ENABLED=1 CGO_CFLAGS="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux" \
//	  go build -buildmode=c-shared -o libprocura_native.so ./jni
//
// It holds only thin //export shims over package prover and the JNI glue in
// glue.c, which implements the native methods of io.procura.runtime.NativeBridge.
//
// Boundary rules (after besu-native's gnark module):
//   - byte arrays and integer handles in, byte arrays out: C copies every Java
//     array into C memory before calling Go, and Go returns results in C memory
//     (C.malloc / caller-provided buffers) that C copies back and frees; no Go
//     pointer is ever kept by C or Java;
//   - keys live in a Go-side handle table, addressed by int64 handles;
//   - every export recovers panics and returns a prover.ErrorCode (0 = OK) plus
//     a malloc'd ASCII message, which glue.c throws as
//     io.procura.runtime.ProverException.
package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"unsafe"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

func main() {}

// Key kinds, as passed by NativeBridge.loadKey.
const (
	kindProvingKey   = 1
	kindVerifyingKey = 2
)

var (
	handlesMu  sync.Mutex
	handles    = map[int64]any{}
	nextHandle int64
)

func newHandle(v any) int64 {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	nextHandle++
	handles[nextHandle] = v
	return nextHandle
}

func lookup[T any](h int64, what string) (T, error) {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	v, ok := handles[h].(T)
	if !ok {
		var zero T
		return zero, &prover.Error{Code: prover.CodeInvalidHandle, Msg: fmt.Sprintf("handle %d is not a live %s", h, what)}
	}
	return v, nil
}

// asciiMessage keeps messages printable ASCII so that JNI's NewStringUTF
// (modified UTF-8) accepts them whatever the error text contains.
func asciiMessage(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

// guard runs f, converting its error or a recovered panic into a code and a
// C-allocated message (freed by glue.c).
func guard(errMsg **C.char, f func() error) (code C.int32_t) {
	// f runs on a fresh goroutine, not on the one cgo made for this call: that one is locked to the calling (JVM)
	// thread, and every time it blocks and wakes (gnark's prover waits on its worker goroutines thousands of
	// times per proof) the scheduler must hand its P over and wake that very thread, which made small proofs
	// about 15% slower through the library than in a Go binary (docs/BENCHMARKS.md). The locked goroutine now
	// blocks once, on done.
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- &prover.Error{Code: prover.CodeInternal,
					Msg: fmt.Sprintf("panic in native runtime: %v", r)}
			}
		}()
		done <- f()
	}()
	err := <-done
	if err == nil {
		return 0
	}
	msg := err.Error()
	var pe *prover.Error
	if errors.As(err, &pe) {
		msg = pe.Msg
	}
	*errMsg = C.CString(asciiMessage(msg))
	return C.int32_t(prover.CodeOf(err))
}

func goBytes(p *C.uchar, n C.int32_t) []byte {
	if n <= 0 || p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

func out(p *C.uchar, n int) []byte { return unsafe.Slice((*byte)(unsafe.Pointer(p)), n) }

func invalid(format string, args ...any) error {
	return &prover.Error{Code: prover.CodeInvalidArgument, Msg: fmt.Sprintf(format, args...)}
}

func put32(dst []byte, v *big.Int) { v.FillBytes(dst[:32]) }

// wordsOf reads 32-byte big-endian words.
func wordsOf(b []byte) []*big.Int {
	out := make([]*big.Int, len(b)/32)
	for k := range out {
		out[k] = new(big.Int).SetBytes(b[32*k : 32*k+32])
	}
	return out
}

// proofWordsOf reads the 8 words of a proof (the caller checked the length).
func proofWordsOf(b []byte) (words [prover.ProofWords]*big.Int) {
	copy(words[:], wordsOf(b))
	return words
}

// putWords writes the proof words then the public inputs, 32 bytes each, into dst.
func putWords(dst []byte, proof [prover.ProofWords]*big.Int, public []*big.Int) {
	for k, w := range proof {
		put32(dst[32*k:], w)
	}
	for k, in := range public {
		put32(dst[32*(prover.ProofWords+k):], in)
	}
}

func setBool(dst *C.int32_t, v bool) {
	*dst = 0
	if v {
		*dst = 1
	}
}

//export procuraSetupDigits
func procuraSetupDigits(pkOut, vkOut *C.int64_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		pk, vk, err := prover.SetupDigits()
		if err != nil {
			return err
		}
		*pkOut = C.int64_t(newHandle(pk))
		*vkOut = C.int64_t(newHandle(vk))
		return nil
	})
}

//export procuraLoadKey
func procuraLoadKey(kind C.int32_t, data *C.uchar, n C.int32_t, handle *C.int64_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		b := goBytes(data, n)
		switch kind {
		case kindProvingKey:
			pk, err := prover.UnmarshalProvingKey(b)
			if err != nil {
				return err
			}
			*handle = C.int64_t(newHandle(pk))
		case kindVerifyingKey:
			vk, err := prover.UnmarshalVerifyingKey(b)
			if err != nil {
				return err
			}
			*handle = C.int64_t(newHandle(vk))
		default:
			return invalid("unknown key kind %d", int32(kind))
		}
		return nil
	})
}

//export procuraKeyBytes
func procuraKeyBytes(h C.int64_t, res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		handlesMu.Lock()
		v := handles[int64(h)]
		handlesMu.Unlock()
		var b []byte
		var err error
		switch k := v.(type) {
		case *prover.ProvingKey:
			b, err = k.MarshalBinary()
		case *prover.VerifyingKey:
			b, err = k.MarshalBinary()
		default:
			return &prover.Error{Code: prover.CodeInvalidHandle, Msg: fmt.Sprintf("handle %d is not a live key", int64(h))}
		}
		if err != nil {
			return err
		}
		*res = (*C.uchar)(C.CBytes(b))
		*resLen = C.int32_t(len(b))
		return nil
	})
}

//export procuraFreeHandle
func procuraFreeHandle(h C.int64_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		handlesMu.Lock()
		v, ok := handles[int64(h)]
		delete(handles, int64(h))
		handlesMu.Unlock()
		if !ok {
			return &prover.Error{Code: prover.CodeInvalidHandle, Msg: fmt.Sprintf("handle %d is not live", int64(h))}
		}
		if pk, isPK := v.(*prover.ProvingKey); isPK {
			prover.ForgetKey(pk) // the GPU worker lets go of it too
		}
		return nil
	})
}

//export procuraCommitModel
func procuraCommitModel(data *C.uchar, n C.int32_t, res *C.uchar, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		m, err := digits.DecodeModel(goBytes(data, n))
		if err != nil {
			return invalid("%v", err)
		}
		put32(out(res, 32), prover.CommitModel(m))
		return nil
	})
}

func pixelsOf(data *C.uchar, n C.int32_t) (*[digits.ImageBytes]byte, error) {
	if n != digits.ImageBytes {
		return nil, invalid("image must be %d pixel bytes, got %d", digits.ImageBytes, int32(n))
	}
	var px [digits.ImageBytes]byte
	copy(px[:], goBytes(data, n))
	return &px, nil
}

//export procuraCommitImage
func procuraCommitImage(data *C.uchar, n C.int32_t, res *C.uchar, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		px, err := pixelsOf(data, n)
		if err != nil {
			return err
		}
		put32(out(res, 32), prover.CommitImage(px))
		return nil
	})
}

// procuraProveDigits writes 8 proof words then 4 public inputs, 32 bytes
// big-endian each (384 bytes), into res.
//
//export procuraProveDigits
func procuraProveDigits(h C.int64_t, model *C.uchar, modelLen C.int32_t, pixels *C.uchar, pixelsLen C.int32_t,
	binding *C.uchar, bindingLen C.int32_t, res *C.uchar, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		pk, err := lookup[*prover.ProvingKey](int64(h), "proving key")
		if err != nil {
			return err
		}
		m, err := digits.DecodeModel(goBytes(model, modelLen))
		if err != nil {
			return invalid("%v", err)
		}
		px, err := pixelsOf(pixels, pixelsLen)
		if err != nil {
			return err
		}
		if bindingLen != 32 {
			return invalid("binding must be 32 big-endian bytes, got %d", int32(bindingLen))
		}
		p, err := prover.ProveDigits(pk, m, px, new(big.Int).SetBytes(goBytes(binding, bindingLen)))
		if err != nil {
			return err
		}
		putWords(out(res, 32*(prover.ProofWords+prover.DigitsPublicInputs)), p.Proof, p.PublicInputs[:])
		return nil
	})
}

//export procuraVerifyDigits
func procuraVerifyDigits(h C.int64_t, proof *C.uchar, proofLen C.int32_t, inputs *C.uchar, inputsLen C.int32_t,
	ok *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		vk, err := lookup[*prover.VerifyingKey](int64(h), "verifying key")
		if err != nil {
			return err
		}
		if proofLen != 32*prover.ProofWords {
			return invalid("proof must be %d bytes, got %d", 32*prover.ProofWords, int32(proofLen))
		}
		if inputsLen != 32*prover.DigitsPublicInputs {
			return invalid("public inputs must be %d bytes, got %d", 32*prover.DigitsPublicInputs, int32(inputsLen))
		}
		var ins [prover.DigitsPublicInputs]*big.Int
		copy(ins[:], wordsOf(goBytes(inputs, inputsLen)))
		valid, err := prover.VerifyDigits(vk, proofWordsOf(goBytes(proof, proofLen)), ins)
		if err != nil {
			return err
		}
		setBool(ok, valid)
		return nil
	})
}

//export procuraExportSolidity
func procuraExportSolidity(h C.int64_t, res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		vk, err := lookup[*prover.VerifyingKey](int64(h), "verifying key")
		if err != nil {
			return err
		}
		sol, err := prover.ExportSolidityVerifier(vk, prover.DigitsVerifierContract)
		if err != nil {
			return err
		}
		*res = (*C.uchar)(C.CBytes([]byte(sol)))
		*resLen = C.int32_t(len(sol))
		return nil
	})
}

//export procuraScalarFieldModulus
func procuraScalarFieldModulus(res *C.uchar) {
	put32(out(res, 32), prover.ScalarFieldModulus())
}

// procuraErrorCodes returns the ErrorCode table as comma-separated names in
// ordinal order (malloc'd; freed by glue.c).
//
//export procuraErrorCodes
func procuraErrorCodes() *C.char {
	var names []string
	for _, c := range prover.ErrorCodes() {
		names = append(names, c.String())
	}
	return C.CString(strings.Join(names, ","))
}

// --- plug-in circuits (package circuits), through the generic prover API ---

// procuraCircuits returns the registered plug-in circuits as JSON (malloc'd):
// [{"id","name","fixedInputs","outputs","payloadBytes"}, ...].
//
//export procuraCircuits
func procuraCircuits(res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		type entry struct {
			ID           string `json:"id"`
			Name         string `json:"name"`
			FixedInputs  int    `json:"fixedInputs"`
			Outputs      int    `json:"outputs"`
			PayloadBytes int    `json:"payloadBytes"`
		}
		var all []entry
		for _, c := range circuits.All() {
			all = append(all, entry{c.ID(), c.Name(), c.FixedInputs(), c.Outputs(), c.PayloadBytes()})
		}
		b, err := json.Marshal(all)
		if err != nil {
			return err
		}
		*res = (*C.uchar)(C.CBytes(b))
		*resLen = C.int32_t(len(b))
		return nil
	})
}

// procuraSetupCircuit runs the (single-party, UNSAFE for production) setup of
// the plug-in circuit whose id is given as UTF-8 bytes.
//
//export procuraSetupCircuit
func procuraSetupCircuit(id *C.uchar, idLen C.int32_t, pkOut, vkOut *C.int64_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		pk, vk, err := prover.Setup(string(goBytes(id, idLen)))
		if err != nil {
			return err
		}
		*pkOut = C.int64_t(newHandle(pk))
		*vkOut = C.int64_t(newHandle(vk))
		return nil
	})
}

// procuraKeyCircuit returns the circuit id a key belongs to (malloc'd UTF-8).
//
//export procuraKeyCircuit
func procuraKeyCircuit(h C.int64_t, res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		k, err := lookup[interface{ Circuit() string }](int64(h), "key")
		if err != nil {
			return err
		}
		id := k.Circuit()
		*res = (*C.uchar)(C.CBytes([]byte(id)))
		*resLen = C.int32_t(len(id))
		return nil
	})
}

//export procuraVerify
func procuraVerify(h C.int64_t, proof *C.uchar, proofLen C.int32_t, inputs *C.uchar, inputsLen C.int32_t,
	ok *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		vk, err := lookup[*prover.VerifyingKey](int64(h), "verifying key")
		if err != nil {
			return err
		}
		if proofLen != 32*prover.ProofWords {
			return invalid("proof must be %d bytes, got %d", 32*prover.ProofWords, int32(proofLen))
		}
		if inputsLen%32 != 0 || inputsLen > 32*64 {
			return invalid("public inputs must be whole 32-byte words (at most 64), got %d bytes", int32(inputsLen))
		}
		valid, err := prover.Verify(vk, proofWordsOf(goBytes(proof, proofLen)), wordsOf(goBytes(inputs, inputsLen)))
		if err != nil {
			return err
		}
		setBool(ok, valid)
		return nil
	})
}

// procuraFixedInputs returns the fixed inputs (32 bytes each, malloc'd) that a
// requester gives with payload for the plug-in circuit whose id is given.
//
//export procuraFixedInputs
func procuraFixedInputs(id *C.uchar, idLen C.int32_t, payload *C.uchar, payloadLen C.int32_t,
	res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		c, ok := circuits.Lookup(string(goBytes(id, idLen)))
		if !ok {
			return invalid("unknown circuit %q", string(goBytes(id, idLen)))
		}
		fixed, err := c.Fixed(goBytes(payload, payloadLen))
		if err != nil {
			return invalid("%s payload: %v", c.Name(), err)
		}
		b := make([]byte, 32*len(fixed))
		for k, v := range fixed {
			put32(b[32*k:], v)
		}
		*res = (*C.uchar)(C.CBytes(b))
		*resLen = C.int32_t(len(b))
		return nil
	})
}

// procuraExportSolidityNamed renders the Solidity verifier of a verifying key
// as contract `name` (UTF-8; malloc'd result).
//
//export procuraExportSolidityNamed
func procuraExportSolidityNamed(h C.int64_t, name *C.uchar, nameLen C.int32_t, res **C.uchar, resLen *C.int32_t,
	errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		vk, err := lookup[*prover.VerifyingKey](int64(h), "verifying key")
		if err != nil {
			return err
		}
		contract := string(goBytes(name, nameLen))
		if !validContractName(contract) {
			return invalid("%q is not a Solidity contract name", contract)
		}
		sol, err := prover.ExportSolidityVerifier(vk, contract)
		if err != nil {
			return err
		}
		*res = (*C.uchar)(C.CBytes([]byte(sol)))
		*resLen = C.int32_t(len(sol))
		return nil
	})
}

func validContractName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// procuraKeyBytesRaw returns a proving key's envelope with gnark's raw
// (uncompressed) encoding: about twice the bytes, about 30x faster to load.
//
//export procuraKeyBytesRaw
func procuraKeyBytesRaw(h C.int64_t, res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		pk, err := lookup[*prover.ProvingKey](int64(h), "proving key")
		if err != nil {
			return err
		}
		b, err := pk.MarshalBinaryRaw()
		if err != nil {
			return err
		}
		*res = (*C.uchar)(C.CBytes(b))
		*resLen = C.int32_t(len(b))
		return nil
	})
}

// procuraProveOn proves a plug-in circuit on the configured backend
// (prover.ProveOn: a GPU proof is checked against the verifying key vk, 0 for
// none, and the CPU proves when the GPU fails). The malloc'd result: 1 byte
// backend (0 CPU, 1 GPU), 8 bytes device nanoseconds, 4 bytes length of the
// fallback reason, the reason (UTF-8), then 8 proof words and the public
// inputs, 32 bytes big-endian each.
//
//export procuraProveOn
func procuraProveOn(pkH, vkH C.int64_t, payload *C.uchar, payloadLen C.int32_t, binding *C.uchar, bindingLen C.int32_t,
	res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		pk, err := lookup[*prover.ProvingKey](int64(pkH), "proving key")
		if err != nil {
			return err
		}
		var vk *prover.VerifyingKey
		if vkH != 0 {
			if vk, err = lookup[*prover.VerifyingKey](int64(vkH), "verifying key"); err != nil {
				return err
			}
		}
		if bindingLen != 32 {
			return invalid("binding must be 32 big-endian bytes, got %d", int32(bindingLen))
		}
		p, origin, err := prover.ProveOn(pk, vk, goBytes(payload, payloadLen), new(big.Int).SetBytes(goBytes(binding, bindingLen)))
		if err != nil {
			return err
		}
		reason := []byte(origin.Fallback)
		head := 1 + 8 + 4 + len(reason)
		b := make([]byte, head+32*(prover.ProofWords+len(p.Public)))
		if origin.Backend == prover.BackendGPU {
			b[0] = 1
		}
		binary.BigEndian.PutUint64(b[1:9], uint64(origin.DeviceNanos))
		binary.BigEndian.PutUint32(b[9:13], uint32(len(reason)))
		copy(b[13:], reason)
		putWords(b[head:], p.Words, p.Public)
		*res = (*C.uchar)(C.CBytes(b))
		*resLen = C.int32_t(len(b))
		return nil
	})
}

// procuraConfigureBackend chooses the prover backend (prover.ConfigureBackend;
// empty mode and path read PROCURA_PROVER and PROCURA_GPU_WORKER) and returns
// "mode\nbackend\ndetail" (malloc'd UTF-8).
//
//export procuraConfigureBackend
func procuraConfigureBackend(mode *C.uchar, modeLen C.int32_t, path *C.uchar, pathLen C.int32_t,
	res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error {
		s, err := prover.ConfigureBackend(string(goBytes(mode, modeLen)), string(goBytes(path, pathLen)))
		if err != nil {
			return err
		}
		return putStatus(s, res, resLen)
	})
}

// procuraCurrentBackend returns the backend in use as "mode\nbackend\ndetail" (malloc'd UTF-8).
//
//export procuraCurrentBackend
func procuraCurrentBackend(res **C.uchar, resLen *C.int32_t, errMsg **C.char) C.int32_t {
	return guard(errMsg, func() error { return putStatus(prover.CurrentBackend(), res, resLen) })
}

func putStatus(s prover.BackendStatus, res **C.uchar, resLen *C.int32_t) error {
	b := []byte(s.Mode + "\n" + string(s.Backend) + "\n" + s.Detail)
	*res = (*C.uchar)(C.CBytes(b))
	*resLen = C.int32_t(len(b))
	return nil
}
