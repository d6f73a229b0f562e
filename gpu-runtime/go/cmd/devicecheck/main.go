// Command devicecheck proves every registered circuit, smallest first, on the CPU and through the GPU worker in the
// same run, verifies every proof on the CPU, and writes the figures as JSON: what gpu-runtime/device-check.sh runs on a
// lent GPU machine (and, as a dry run, here, where the worker finds no GPU and says why).
//
// Usage: devicecheck -worker PATH -out FILE [-budget 240s] [-max-constraints 4200000] [-circuits a,b]
//
// Each circuit: compile, a single-party setup (fine for a benchmark, never for a market), one CPU proof, then two GPU
// proofs (the first carries the key to the device). A circuit whose estimated time (from the previous one, scaled by
// its constraint count) would pass the budget is skipped and listed with the reason.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

type result struct {
	Circuit          string  `json:"circuit"`
	Constraints      int     `json:"constraints"`
	SetupSeconds     float64 `json:"setupSeconds"`
	CPUProveSeconds  float64 `json:"cpuProveSeconds"`
	CPUProofVerified bool    `json:"cpuProofVerified"`
	GPUBackend       string  `json:"gpuBackend,omitempty"`
	GPUFirstSeconds  float64 `json:"gpuFirstProveSeconds,omitempty"`
	GPUWarmSeconds   float64 `json:"gpuWarmProveSeconds,omitempty"`
	GPUDeviceSeconds float64 `json:"gpuDeviceSeconds,omitempty"`
	GPUProofVerified bool    `json:"gpuProofVerified"`
	Fallback         string  `json:"fallback,omitempty"`
	CPUOverGPU       float64 `json:"cpuOverGpuWarm,omitempty"`
}

type report struct {
	Started  string               `json:"started"`
	Host     string               `json:"host"`
	CPUs     int                  `json:"cpus"`
	Worker   string               `json:"worker"`
	Backend  prover.BackendStatus `json:"backend"`
	Results  []result             `json:"results"`
	Skipped  []map[string]string  `json:"skipped"`
	Seconds  float64              `json:"seconds"`
	Problems []string             `json:"problems"`
}

func main() {
	exe, _ := os.Executable()
	worker := flag.String("worker", filepath.Join(filepath.Dir(exe), "procura-gpu-worker"), "the GPU worker")
	out := flag.String("out", "device-check.json", "where to write the figures")
	budget := flag.Duration("budget", 240*time.Second, "stop starting circuits that would end after this")
	maxConstraints := flag.Int("max-constraints", 4_200_000, "skip circuits larger than this")
	only := flag.String("circuits", "", "comma-separated circuit names (default: all)")
	flag.Parse()
	start := time.Now()
	host, _ := os.Hostname()
	rep := report{Started: start.UTC().Format(time.RFC3339), Host: host, CPUs: runtime.NumCPU(), Worker: *worker,
		Results: []result{}, Skipped: []map[string]string{}, Problems: []string{}}
	status, err := prover.ConfigureBackend("auto", *worker)
	rep.Backend = status
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	fmt.Printf("devicecheck: proving on %s (%s)\n", status.Backend, status.Detail)

	var names []string
	for _, n := range strings.Split(*only, ",") {
		names = append(names, strings.TrimSpace(n))
	}
	var list []circuits.Circuit
	for _, c := range circuits.All() {
		if *only == "" || slices.Contains(names, c.Name()) {
			list = append(list, c)
		}
	}
	type sized struct {
		c circuits.Circuit
		n int
	}
	var todo []sized
	for _, c := range list {
		cs, err := prover.ConstraintSystem(c.ID())
		if err != nil {
			rep.Problems = append(rep.Problems, c.Name()+": "+err.Error())
			continue
		}
		todo = append(todo, sized{c, cs.GetNbConstraints()})
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].n < todo[j].n })

	var perConstraint float64 // seconds per constraint of the last whole circuit
	for _, t := range todo {
		skip := ""
		if t.n > *maxConstraints {
			skip = fmt.Sprintf("%d constraints > -max-constraints %d", t.n, *maxConstraints)
		} else if est := time.Duration(perConstraint * float64(t.n) * float64(time.Second)); perConstraint > 0 && time.Since(start)+est > *budget {
			skip = fmt.Sprintf("estimated %s would pass the %s budget (%s used)", est.Round(time.Second), *budget, time.Since(start).Round(time.Second))
		}
		if skip != "" {
			rep.Skipped = append(rep.Skipped, map[string]string{"circuit": t.c.Name(), "reason": skip})
			fmt.Printf("devicecheck: %s skipped: %s\n", t.c.Name(), skip)
			continue
		}
		began := time.Now()
		r, err := check(t.c, t.n)
		if err != nil {
			rep.Problems = append(rep.Problems, t.c.Name()+": "+err.Error())
			fmt.Printf("devicecheck: %s: %v\n", t.c.Name(), err)
			continue
		}
		perConstraint = time.Since(began).Seconds() / float64(t.n)
		rep.Results = append(rep.Results, r)
		b, _ := json.Marshal(r)
		fmt.Printf("devicecheck: %s\n", b)
	}
	rep.Seconds = time.Since(start).Seconds()
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "devicecheck:", err)
		os.Exit(1)
	}
	fmt.Printf("devicecheck: %d circuits, %d skipped, %d problems, %.0f s; figures in %s\n", len(rep.Results),
		len(rep.Skipped), len(rep.Problems), rep.Seconds, *out)
	if len(rep.Problems) > 0 {
		os.Exit(3)
	}
}

func check(c circuits.Circuit, n int) (result, error) {
	r := result{Circuit: c.Name(), Constraints: n}
	payload := samplePayload(c)
	t := time.Now()
	pk, vk, err := prover.Setup(c.ID())
	if err != nil {
		return r, err
	}
	r.SetupSeconds = time.Since(t).Seconds()
	binding := big.NewInt(int64(n))
	t = time.Now()
	cpu, err := prover.Prove(pk, payload, binding)
	if err != nil {
		return r, err
	}
	r.CPUProveSeconds = time.Since(t).Seconds()
	if r.CPUProofVerified, err = prover.Verify(vk, cpu.Words, cpu.Public); err != nil || !r.CPUProofVerified {
		return r, fmt.Errorf("the CPU proof does not verify (%v)", err)
	}
	if prover.CurrentBackend().Backend != prover.BackendGPU {
		return r, nil
	}
	for i := range 2 {
		t = time.Now()
		p, origin, err := prover.ProveOn(pk, vk, payload, binding)
		if err != nil {
			return r, err
		}
		took := time.Since(t).Seconds()
		r.GPUBackend, r.Fallback = string(origin.Backend), origin.Fallback
		if origin.Backend != prover.BackendGPU {
			return r, fmt.Errorf("the GPU did not prove: %s", origin.Fallback)
		}
		// ProveOn verified it already; once more here, on its own
		if r.GPUProofVerified, err = prover.Verify(vk, p.Words, p.Public); err != nil || !r.GPUProofVerified {
			return r, fmt.Errorf("a GPU proof does not verify (%v)", err)
		}
		if i == 0 {
			r.GPUFirstSeconds = took
		} else {
			r.GPUWarmSeconds, r.GPUDeviceSeconds = took, float64(origin.DeviceNanos)/1e9
			r.CPUOverGPU = r.CPUProveSeconds / took
		}
	}
	return r, nil
}

// samplePayload: deterministic bytes of the circuit's payload length (every circuit is total over its encoding).
func samplePayload(c circuits.Circuit) []byte {
	n := c.PayloadBytes()
	if n < 0 {
		n = 64
	}
	b := make([]byte, n)
	rand.New(rand.NewSource(int64(n))).Read(b)
	return b
}
