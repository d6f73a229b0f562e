package prover

import (
	"errors"
	"fmt"
)

// ErrorCode classifies every failure of the runtime. The table is defined
// once, here, and mirrored by the Java enum io.procura.runtime.ErrorCode
// (same names, same ordinals); TestErrorCodesMatchJavaEnum and the Java
// ErrorCodeTest keep the two in sync. Codes cross the JNI boundary as int32.
type ErrorCode int32

const (
	// CodeOK means success; it never appears in an *Error.
	CodeOK ErrorCode = iota
	// CodeInvalidArgument: a buffer of the wrong length, a value out of range
	// (e.g. a public input or binding not reduced modulo r).
	CodeInvalidArgument
	// CodeInvalidKey: key bytes that are not a Procura key envelope, fail their
	// checksum, belong to another circuit, or do not decode.
	CodeInvalidKey
	// CodeInvalidHandle: a key handle that is unknown, freed, or of the wrong kind.
	CodeInvalidHandle
	// CodeInvalidProof: proof words that are not reduced or not points of the
	// right BN254 subgroups.
	CodeInvalidProof
	// CodeUnsatisfied: the witness does not satisfy the circuit.
	CodeUnsatisfied
	// CodeSetupFailed: the Groth16 setup failed.
	CodeSetupFailed
	// CodeExportFailed: the Solidity verifier could not be generated.
	CodeExportFailed
	// CodeInternal: an unexpected failure, including a recovered Go panic.
	CodeInternal
	// CodeNativeUnavailable: the native library cannot be loaded on this
	// platform. Raised by the Java side only; listed here to keep one table.
	CodeNativeUnavailable
	// CodeBackendUnavailable: the GPU prover was required (PROCURA_PROVER=gpu)
	// but no usable CUDA device, ICICLE backend or GPU worker was found.
	CodeBackendUnavailable
)

var codeNames = [...]string{
	CodeOK:                 "OK",
	CodeInvalidArgument:    "INVALID_ARGUMENT",
	CodeInvalidKey:         "INVALID_KEY",
	CodeInvalidHandle:      "INVALID_HANDLE",
	CodeInvalidProof:       "INVALID_PROOF",
	CodeUnsatisfied:        "UNSATISFIED",
	CodeSetupFailed:        "SETUP_FAILED",
	CodeExportFailed:       "EXPORT_FAILED",
	CodeInternal:           "INTERNAL",
	CodeNativeUnavailable:  "NATIVE_UNAVAILABLE",
	CodeBackendUnavailable: "BACKEND_UNAVAILABLE",
}

// String returns the code's name as spelled by the Java enum constant.
func (c ErrorCode) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("ErrorCode(%d)", int32(c))
}

// ErrorCodes returns every code in ordinal order.
func ErrorCodes() []ErrorCode {
	out := make([]ErrorCode, len(codeNames))
	for i := range out {
		out[i] = ErrorCode(i)
	}
	return out
}

// Error is the error type of this package: a code plus a human-readable message.
type Error struct {
	Code ErrorCode
	Msg  string
}

func (e *Error) Error() string { return e.Code.String() + ": " + e.Msg }

func errorf(code ErrorCode, format string, args ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the ErrorCode carried by err (CodeOK for nil, CodeInternal
// for errors that are not *Error).
func CodeOf(err error) ErrorCode {
	if err == nil {
		return CodeOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
