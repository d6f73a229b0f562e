// Package dataset reads the digits data Procura ships under data/: the
// quantised linear model (data/digits-model.json, format
// "procura-digits-linear-v1") and the 8x8 UCI digits images
// (data/digits.csv.gz: 65 comma-separated integers per row, 64 pixels in
// 0..16 then the label).
package dataset

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
)

// ModelFormat is the only accepted value of the model file's "format" field.
const ModelFormat = digits.ModelFormat

// LoadModel reads a model JSON file (digits.ParseModel). It returns an error
// if the format, shapes (10 x 64 weights, 10 biases) or ranges (weights in
// [-2^15, 2^15), biases in [-2^31, 2^31)) are wrong.
func LoadModel(path string) (*digits.Model, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := digits.ParseModel(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Image is one labelled digit: Index is its 0-based row in the CSV file.
type Image struct {
	Index  int
	Pixels [digits.ImageBytes]byte
	Label  int
}

// LoadImages reads a gzip-compressed CSV of digits (65 integers per row).
// Pixels must be in [0, 255] and labels in [0, 9].
func LoadImages(path string) ([]Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Image
	sc := bufio.NewScanner(gz)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) != digits.Features+1 {
			return nil, fmt.Errorf("%s:%d: want %d values, got %d", path, line, digits.Features+1, len(fields))
		}
		img := Image{Index: len(out)}
		for i, s := range fields {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			if i < digits.Features {
				if v < 0 || v > 255 {
					return nil, fmt.Errorf("%s:%d: pixel %d = %d is not a byte", path, line, i, v)
				}
				img.Pixels[i] = byte(v)
			} else {
				if v < 0 || v >= digits.Classes {
					return nil, fmt.Errorf("%s:%d: label %d out of range", path, line, v)
				}
				img.Label = v
			}
		}
		out = append(out, img)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
