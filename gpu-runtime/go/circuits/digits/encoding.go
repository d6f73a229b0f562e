package digits

import (
	"encoding/binary"
	"fmt"
	"math/big"
)

const (
	// Classes is the number of output classes (digits 0..9).
	Classes = 10
	// Features is the number of input pixels (an 8x8 image).
	Features = 64
	// ModelBytes is the length of EncodeModel's output: 2 bytes per weight, 4 per bias.
	ModelBytes = Classes*Features*2 + Classes*4
	// ImageBytes is the length of the image encoding: one byte per pixel.
	ImageBytes = Features
	// WeightOffset maps a signed 16-bit weight to offset binary: w + 2^15 ∈ [0, 2^16).
	WeightOffset = 1 << 15
	// BiasOffset maps a signed 32-bit bias to offset binary: b + 2^31 ∈ [0, 2^32).
	BiasOffset = 1 << 31
	// ComparisonBits bounds |logit_c - logit_j| + 1 ≤ 2^33 < 2^ComparisonBits.
	ComparisonBits = 34
)

var (
	// ModelTag is the MiMC domain-separation tag of model commitments: the
	// big-endian integer of the ASCII bytes "procura.digits.model.v1".
	ModelTag = new(big.Int).SetBytes([]byte("procura.digits.model.v1"))
	// ImageTag is the MiMC domain-separation tag of image commitments: the
	// big-endian integer of the ASCII bytes "procura.digits.image.v1".
	ImageTag = new(big.Int).SetBytes([]byte("procura.digits.image.v1"))
)

// Model is a linear classifier over the 64 pixels: logit_j = Σ_i Weights[j][i]·pixel_i + Biases[j].
// The Go integer types carry the ranges the circuit enforces.
type Model struct {
	Weights [Classes][Features]int16
	Biases  [Classes]int32
}

// EncodeModel returns the 1320-byte canonical encoding of m (see the package
// doc): weights then biases, each in offset binary, big-endian. It is both the
// commitment preimage and the wire format of models across the JNI boundary.
func EncodeModel(m *Model) []byte {
	out := make([]byte, 0, ModelBytes)
	for j := range Classes {
		for i := range Features {
			out = binary.BigEndian.AppendUint16(out, uint16(int32(m.Weights[j][i])+WeightOffset))
		}
	}
	for j := range Classes {
		out = binary.BigEndian.AppendUint32(out, uint32(int64(m.Biases[j])+BiasOffset))
	}
	return out
}

// DecodeModel parses the 1320-byte encoding written by EncodeModel. Every
// byte string of that length is a valid model; any other length is an error.
func DecodeModel(b []byte) (*Model, error) {
	if len(b) != ModelBytes {
		return nil, fmt.Errorf("digits: model encoding must be %d bytes, got %d", ModelBytes, len(b))
	}
	m := new(Model)
	off := 0
	for j := range Classes {
		for i := range Features {
			m.Weights[j][i] = int16(int32(binary.BigEndian.Uint16(b[off:])) - WeightOffset)
			off += 2
		}
	}
	for j := range Classes {
		m.Biases[j] = int32(int64(binary.BigEndian.Uint32(b[off:])) - BiasOffset)
		off += 4
	}
	return m, nil
}

// Logits returns logit_j = Σ_i Weights[j][i]·pixels[i] + Biases[j] as exact
// int64 values (|logit_j| < 2^32 for any bytes pixels).
func (m *Model) Logits(pixels *[ImageBytes]byte) [Classes]int64 {
	var l [Classes]int64
	for j := range Classes {
		acc := int64(m.Biases[j])
		for i := range Features {
			acc += int64(m.Weights[j][i]) * int64(pixels[i])
		}
		l[j] = acc
	}
	return l
}

// Predict returns argmax_j logit_j, the lowest index winning ties: the class
// the circuit accepts as PredictedClass.
func (m *Model) Predict(pixels *[ImageBytes]byte) int {
	l := m.Logits(pixels)
	best := 0
	for j := 1; j < Classes; j++ {
		if l[j] > l[best] {
			best = j
		}
	}
	return best
}
