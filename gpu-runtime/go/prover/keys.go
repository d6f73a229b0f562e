package prover

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// ProvingKey is a Groth16 proving key over BN254 for one circuit.
type ProvingKey struct {
	circuit string
	pk      *groth16bn254.ProvingKey
	// gpuID names the key in the GPU worker (0 until first sent; guarded by workerMu).
	gpuID uint64
}

// VerifyingKey is a Groth16 verifying key over BN254 for one circuit.
type VerifyingKey struct {
	circuit string
	vk      *groth16bn254.VerifyingKey
}

// Circuit returns the circuit identifier the key belongs to (e.g. DigitsCircuitID).
func (k *ProvingKey) Circuit() string { return k.circuit }

// Circuit returns the circuit identifier the key belongs to (e.g. DigitsCircuitID).
func (k *VerifyingKey) Circuit() string { return k.circuit }

// Key envelope (all integers big-endian):
//
//	magic    8 bytes  "PROCURA\x01"
//	kind     1 byte   1 = proving key, 2 = verifying key
//	idLen    1 byte   length of the circuit identifier
//	id       idLen    ASCII circuit identifier, e.g. "procura.digits.v1"
//	length   8 bytes  payload length
//	sha256  32 bytes  SHA-256 of the payload
//	payload           gnark's compressed encoding (WriteTo) of the key
//
// The checksum lets garbage or truncated bytes be rejected before gnark's
// decoder sees them (it trusts length prefixes inside the payload).
var keyMagic = []byte("PROCURA\x01")

const (
	kindProvingKey   byte = 1
	kindVerifyingKey byte = 2
	// maxKeyBytes bounds accepted key payloads: the largest array Java can hand
	// over (2^31 − 1 bytes). The raw proving key of the largest size class,
	// rollup-2^22, is 1.35 GB (an earlier 1 GiB bound refused it). Within the
	// bound nothing is allocated from the header's length (the payload must
	// already be that long) and every field is bounded by the circuit's shape.
	maxKeyBytes = 1<<31 - 1
)

// MarshalBinary returns the envelope encoding of k. Errors: CodeInternal.
func (k *ProvingKey) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := k.pk.WriteTo(&buf); err != nil {
		return nil, errorf(CodeInternal, "serialise proving key: %v", err)
	}
	return seal(kindProvingKey, k.circuit, buf.Bytes()), nil
}

// MarshalBinaryRaw returns the envelope encoding of k with gnark's raw
// (uncompressed) point encoding: twice the bytes, but loading skips the square
// root each compressed point costs (docs/BENCHMARKS.md). UnmarshalProvingKey
// reads both. Errors: CodeInternal.
func (k *ProvingKey) MarshalBinaryRaw() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := k.pk.WriteRawTo(&buf); err != nil {
		return nil, errorf(CodeInternal, "serialise proving key: %v", err)
	}
	return seal(kindProvingKey, k.circuit, buf.Bytes()), nil
}

// MarshalBinary returns the envelope encoding of k. Errors: CodeInternal.
func (k *VerifyingKey) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := k.vk.WriteTo(&buf); err != nil {
		return nil, errorf(CodeInternal, "serialise verifying key: %v", err)
	}
	return seal(kindVerifyingKey, k.circuit, buf.Bytes()), nil
}

// UnmarshalProvingKey parses bytes written by ProvingKey.MarshalBinary: the
// envelope and its SHA-256 checksum, then gnark's encoding of the key, field by
// field, against the shape that the named circuit's constraint system fixes
// (domain, wire and point counts; see shape.go). Nothing in the file is
// trusted: a length prefix is checked before anything is allocated for it, and
// counts that would make gnark's prover index out of range are refused here,
// so a crafted key is an error, never a crash of the process. It skips the
// subgroup checks of the key's points (3x faster: a proving key only affects
// the proofs its holder makes, and a wrong point yields proofs that fail
// verification). Errors: CodeInvalidKey (also for an unknown circuit).
func UnmarshalProvingKey(b []byte) (*ProvingKey, error) {
	id, payload, err := open(kindProvingKey, b)
	if err != nil {
		return nil, err
	}
	shape, err := shapeOf(id)
	if err != nil {
		return nil, err
	}
	pk, err := decodeProvingKey(payload, shape)
	if err != nil {
		return nil, err
	}
	return &ProvingKey{circuit: id, pk: pk}, nil
}

// UnmarshalVerifyingKey parses bytes written by VerifyingKey.MarshalBinary,
// checking the envelope, checksum, that every point lies in its subgroup and
// that the key has the named circuit's number of public inputs, as
// UnmarshalProvingKey does for proving keys. Errors: CodeInvalidKey (also for a
// key that uses BSB22 commitments, which Procura's plain
// verifyProof(uint256[8], uint256[n]) cannot check, and for an unknown circuit).
func UnmarshalVerifyingKey(b []byte) (*VerifyingKey, error) {
	id, payload, err := open(kindVerifyingKey, b)
	if err != nil {
		return nil, err
	}
	shape, err := shapeOf(id)
	if err != nil {
		return nil, err
	}
	vk, err := decodeVerifyingKey(payload, shape)
	if err != nil {
		return nil, err
	}
	return &VerifyingKey{circuit: id, vk: vk}, nil
}

func seal(kind byte, id string, payload []byte) []byte {
	sum := sha256.Sum256(payload)
	out := make([]byte, 0, len(keyMagic)+2+len(id)+8+32+len(payload))
	out = append(out, keyMagic...)
	out = append(out, kind, byte(len(id)))
	out = append(out, id...)
	out = binary.BigEndian.AppendUint64(out, uint64(len(payload)))
	out = append(out, sum[:]...)
	return append(out, payload...)
}

func open(kind byte, b []byte) (string, []byte, error) {
	kindName := map[byte]string{kindProvingKey: "proving key", kindVerifyingKey: "verifying key"}[kind]
	bad := func(format string, args ...any) (string, []byte, error) {
		return "", nil, errorf(CodeInvalidKey, "%s: %s", kindName, fmt.Sprintf(format, args...))
	}
	if len(b) < len(keyMagic)+2 || !bytes.Equal(b[:len(keyMagic)], keyMagic) {
		return bad("not a Procura key (bad magic)")
	}
	if b[len(keyMagic)] != kind {
		return bad("wrong key kind %d", b[len(keyMagic)])
	}
	idLen := int(b[len(keyMagic)+1])
	rest := b[len(keyMagic)+2:]
	if len(rest) < idLen+8+32 {
		return bad("truncated header")
	}
	id := string(rest[:idLen])
	rest = rest[idLen:]
	n := binary.BigEndian.Uint64(rest)
	rest = rest[8:]
	sum := rest[:32]
	payload := rest[32:]
	if n > maxKeyBytes {
		return bad("payload of %d bytes is above the %d-byte bound", n, maxKeyBytes)
	}
	if uint64(len(payload)) != n {
		return bad("payload is %d bytes, header says %d", len(payload), n)
	}
	if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
		return bad("checksum mismatch (corrupted key)")
	}
	return id, payload, nil
}
