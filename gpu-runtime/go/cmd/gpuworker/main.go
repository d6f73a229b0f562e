// Command gpuworker is Procura's GPU prover process: the native runtime starts it, sends proving keys and payloads on
// file descriptor 3 and reads Groth16 proofs on descriptor 4 (package prover, gpuworker.go). Built with the icicle tag
// it proves with ICICLE on CUDA device 0 (gpu-runtime/icicle/build-worker.sh); without it, only the test devices of
// PROCURA_GPU_WORKER_TEST exist. It exits when descriptor 3 closes.
package main

import (
	"fmt"
	"os"

	"github.com/procura/procura/gpu-runtime/go/prover"
)

func main() {
	in, out := os.NewFile(3, "requests"), os.NewFile(4, "responses")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "gpuworker: started by the Procura runtime only (requests on fd 3, responses on fd 4)")
		os.Exit(2)
	}
	if err := prover.ServeWorker(in, out, prover.WorkerDevice()); err != nil {
		fmt.Fprintln(os.Stderr, "gpuworker:", err)
		os.Exit(1)
	}
}
