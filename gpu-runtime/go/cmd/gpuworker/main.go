// Command gpuworker is Procura's GPU prover process: the native runtime starts it, sends proving keys and payloads on
// file descriptor 3 and reads Groth16 proofs on descriptor 4 (package prover, gpuworker.go). Built with the icicle tag
// it proves with ICICLE on CUDA device 0 (gpu-runtime/icicle/build-worker.sh); without it, only the test devices of
// PROCURA_GPU_WORKER_TEST exist. It exits when descriptor 3 closes.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/procura/procura/gpu-runtime/go/prover"
)

func main() {
	var st syscall.Stat_t
	if syscall.Fstat(3, &st) != nil || syscall.Fstat(4, &st) != nil {
		fmt.Fprintln(os.Stderr, "gpuworker: started by the Procura runtime only (requests on fd 3, responses on fd 4)")
		os.Exit(2)
	}
	closeInherited()
	if os.Getenv("PROCURA_GPU_WORKER_TEST") == "fds" { // for the test that nothing inherited stays open
		fmt.Println(openDescriptors())
		return
	}
	in, out := os.NewFile(3, "requests"), os.NewFile(4, "responses")
	if err := prover.ServeWorker(in, out, prover.WorkerDevice()); err != nil {
		fmt.Fprintln(os.Stderr, "gpuworker:", err)
		os.Exit(1)
	}
}

// closeInherited closes every descriptor above 4: a JVM does not open all its sockets and files close-on-exec, and a
// worker must not keep the coordinator's port or a database connection open. It runs first, before the Go runtime
// opens descriptors of its own.
func closeInherited() {
	const sysCloseRange = 436 // close_range(2), Linux 5.9
	if _, _, errno := syscall.Syscall(sysCloseRange, 5, ^uintptr(0), 0); errno == 0 {
		return
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 4 {
			_ = syscall.Close(fd)
		}
	}
}

// openDescriptors lists the open descriptors, "fds: 0 1 2 …", without the Go runtime's own (the one reading
// /proc/self/fd, and the poller's anon_inode descriptors that reading it creates).
func openDescriptors() string {
	dir := "/proc/self/fd"
	entries, _ := os.ReadDir(dir)
	var fds []int
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // gone: the descriptor that read the directory
		}
		if fd, err := strconv.Atoi(e.Name()); err == nil && !strings.HasSuffix(target, "/fd") &&
			!strings.HasPrefix(target, "anon_inode:") {
			fds = append(fds, fd)
		}
	}
	sort.Ints(fds)
	parts := make([]string, len(fds))
	for i, fd := range fds {
		parts[i] = strconv.Itoa(fd)
	}
	return "fds: " + strings.Join(parts, " ")
}
