// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Command bench measures the provider against a FOG server the way users run
// it: the real Terraform and OpenTofu CLIs apply, re-plan and destroy N
// fog_image resources, each with a fog_host_image_assignment, in three shapes
// of configuration (a block per resource, count, for_each over a map of
// hosts), and a plain sequential loop of curl requests does the same work
// (what users do without the provider). It then measures the provider's CPU
// against a floor (bench/provider: a provider of the same resource shapes
// that does nothing), a small configuration on a large server, and the
// fog_hosts decode. It prints one table row per run (wall time, CPU, FOG
// requests per route) and ends with machine-readable lines:
//
//	refresh_requests n=<N>: <FOG requests of the no-op plan>
//	apply_speedup_vs_curl n=<N>: <curl loop wall time / terraform apply wall time>
//	hosts_decode n=10000: <CPU ms> ms <peak heap MB> MB
//	apply_requests_per_pair n=<N>: <FOG requests of the apply / N>
//	destroy_requests_per_pair n=<N>: <FOG requests of the destroy / N>
//	apply_speedup_vs_baseline n=<N>: <apply wall time with the baseline commit's provider / with this tree's>
//	destroy_speedup_vs_baseline n=<N>: <the same for the destroy>
//	provider_cpu_over_floor_ms_per_resource n=<resources> cli=<terraform|tofu>: <ms>
//	refresh_requests managed=20 server_hosts=5000: <FOG requests of the no-op plan>
//	refresh_ms managed=20 server_hosts=3000: <wall time of the no-op plan>
//
// By default the server is the FOG emulator (cmd/fog-emulator, started here
// with -latency and -workers, its /_emulator/ counters reset around each
// run). With FOG_SERVER_URL, FOG_API_TOKEN and FOG_USER_TOKEN set, the
// table's runs go to that real server through a local counting proxy
// instead; Terraform's own cost, the CPU runs and the large-server runs are
// always measured against the emulator.
//
// Run it from the repository root: `make bench`, or
// `go run ./bench -n 10,100 -runs apply,plan` (go run ./bench -h: every option).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	sizes         []int
	runs          map[string]bool // apply, plan, destroy
	tools         map[string]bool // terraform, curl
	configs       []string        // configBlocks, configCount, configForEach; the first gives the machine-readable figures
	clis          []string        // cliTerraform, cliTofu; the first gives the request and speed-up figures
	cliPaths      map[string]string
	cpuPairs      int           // images (each with an assignment) of the provider-against-floor CPU runs; 0: none
	cpuRuns       int           // how many times each
	cpuLatency    time.Duration // the emulator's latency in the CPU runs (0: Terraform's and the provider's CPU alone)
	profileDir    string        // CPU profiles of the provider's CPU runs
	fixedOnly     bool          // only the runs without latency (Terraform's own cost), for comparing shapes
	loudLogs      bool          // the CPU runs keep the logs Terraform discards (the provider before it silenced them)
	largeServer   bool          // the large-server refresh runs (issue 16)
	baseline      string        // the commit the large-server runs compare with
	latency       time.Duration
	workers       int
	parallelism   int // 0: Terraform's default
	maxConcurrent int // 0: the provider's default
	terraform     string
	decode        bool
	keep          bool
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		sizes   = flag.String("n", "10,100,500", "numbers of fog_image resources (each with a fog_host_image_assignment), comma-separated")
		runs    = flag.String("runs", "apply,plan,destroy", "operations to measure, comma-separated")
		tools   = flag.String("tools", "terraform,curl", "what to measure: terraform (the provider), curl (a sequential loop doing the same work)")
		configs = flag.String("configs", "blocks,count,for_each", "shapes of the Terraform configuration, comma-separated: blocks (one resource block per image and per assignment), count (one block of each, with count), for_each (one block of each, for_each over a map of hosts); the first gives the machine-readable figures")
		clis    = flag.String("clis", "terraform,tofu", "CLIs to run, comma-separated: terraform (Terraform 1.5.7), tofu (OpenTofu 1.12.6); the first gives the request and speed-up figures")
		tofu    = flag.String("tofu", "", "OpenTofu CLI; default: scripts/install-clis.sh tofu")
		noLarge = flag.Bool("no-large-server", false, "skip the large-server refresh runs")
		o       options
		tfPath  = flag.String("terraform", "", "Terraform CLI; default: scripts/install-clis.sh terraform")
		noDec   = flag.Bool("no-decode", false, "skip the fog_hosts decode benchmark")
		workDir = flag.String("work", "", "work directory (default: a temporary one, removed at the end)")
	)
	flag.DurationVar(&o.latency, "latency", 70*time.Millisecond, "emulator: time each request holds a worker")
	flag.IntVar(&o.workers, "workers", 10, "emulator: worker pool size (php-fpm children)")
	flag.IntVar(&o.parallelism, "parallelism", 0, "terraform -parallelism (0: Terraform's default, 10)")
	flag.IntVar(&o.maxConcurrent, "max-concurrent-requests", 0, "provider max_concurrent_requests (0: the provider's default)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
	flag.IntVar(&o.cpuPairs, "cpu-n", 250, "images (each with an assignment: twice as many resources) of the provider-against-floor CPU runs, 0 to skip them")
	flag.DurationVar(&o.cpuLatency, "cpu-latency", 0, "emulator latency of the CPU runs (the machine-readable figure is printed only at 0)")
	flag.IntVar(&o.cpuRuns, "cpu-runs", 3, "runs of each provider in the CPU comparison (the median counts)")
	flag.BoolVar(&o.fixedOnly, "fixed-only", false, "run Terraform only against the emulator without latency (Terraform's own cost: enough to compare shapes and CLIs)")
	flag.BoolVar(&o.loudLogs, "cpu-loud-logs", false, "in the CPU runs, serve the provider with the logs Terraform discards left on (as before it silenced them)")
	flag.StringVar(&o.profileDir, "cpuprofile-dir", "", "write CPU and allocation profiles of the provider's CPU runs (pprof, one of each per operation) to this directory")
	flag.StringVar(&o.baseline, "baseline", "62320a8", "commit whose provider the large-server runs compare with (\"\" to skip the comparison)")
	flag.Parse()

	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return err
	}
	if o.runs, err = parseSet(*runs, "apply", "plan", "destroy"); err != nil {
		return err
	}
	if o.tools, err = parseSet(*tools, "terraform", "curl"); err != nil {
		return err
	}
	if o.configs, err = parseList(*configs, configBlocks, configCount, configForEach); err != nil {
		return err
	}
	if o.clis, err = parseList(*clis, cliTerraform, cliTofu); err != nil {
		return err
	}
	o.cliPaths = map[string]string{cliTerraform: *tfPath, cliTofu: *tofu}
	o.largeServer = !*noLarge
	if o.cpuRuns < 1 {
		return errors.New("-cpu-runs must be at least 1")
	}
	o.decode = !*noDec
	o.terraform = *tfPath

	root, err := repoRoot()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir := *workDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "fog-bench-"); err != nil {
			return err
		}
		if !o.keep {
			defer func() { _ = os.RemoveAll(dir) }()
		}
	}
	b, err := newBench(ctx, root, dir, o)
	if err != nil {
		return err
	}
	defer b.close()

	b.printHeader()
	var rows []row
	for _, n := range o.sizes {
		got, err := b.measure(ctx, n)
		rows = append(rows, got...)
		if err != nil {
			return err
		}
	}
	fmt.Println()
	printSummary(rows, o.clis, o.configs)

	// The provider's CPU against the floor's, under each CLI.
	var cpu []*cpuResult
	if o.cpuPairs > 0 {
		fmt.Printf("\nThe provider's CPU against the floor (bench/provider: the same resource shapes, no I/O), both served in debug mode, "+
			"%d images and %d assignments in blocks, emulator at %s latency:\n", o.cpuPairs, o.cpuPairs, latencyLabel(o.cpuLatency))
		for _, c := range b.clis {
			res, err := b.measureCPU(ctx, c, o.cpuPairs)
			if err != nil {
				return fmt.Errorf("CPU runs under %s: %w", c.name, err)
			}
			cpu = append(cpu, res)
		}
		for _, res := range cpu {
			res.print()
		}
	}

	// A small configuration on a large server.
	var large []largeRow
	if b.o.largeServer {
		fmt.Printf("\nA small configuration on a large server (emulator at %s, %d workers, full host list %s per row, "+
			"HTTP 500 above %d rows), no-op plan after apply:\n", o.latency, o.workers, largeRowCost, largeMaxRows)
		if large, err = b.measureLargeServer(ctx, b.clis[0]); err != nil {
			return fmt.Errorf("large-server runs: %w", err)
		}
	}

	var decode *decodeResult
	if o.decode {
		if decode, err = runDecodeBenchmark(ctx, root); err != nil {
			return fmt.Errorf("hosts decode benchmark: %w", err)
		}
		fmt.Printf("\nfog_hosts decode of %d hosts (go test -bench %s ./internal/fogclient): %s\n",
			decodeHosts, decodeBenchName, decode.describe())
	}
	fmt.Println()
	printFigures(rows, o.sizes, b.clis[0].name, o.configs[0], decode)
	for _, res := range cpu {
		// The floor served as the provider is: with the logs Terraform
		// discards turned off, unless -cpu-loud-logs keeps them on for both.
		floor := providerFloorQuiet
		if o.loudLogs {
			floor = providerFloor
		}
		if x, ok := res.overFloor("apply", floor); ok && o.cpuLatency == 0 {
			fmt.Printf("provider_cpu_over_floor_ms_per_resource n=%d cli=%s: %.2f\n", 2*res.pairs, res.cli.name, x)
		}
	}
	if b.o.largeServer {
		printLargeFigures(large, o.baseline)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 5000 {
			return nil, fmt.Errorf("-n: %q is not a number between 1 and 5000", f)
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

func parseSet(s string, allowed ...string) (map[string]bool, error) {
	list, err := parseList(s, allowed...)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range list {
		out[f] = true
	}
	return out, nil
}

// parseList splits s on commas, in order, without repeats; each element
// must be one of allowed.
func parseList(s string, allowed ...string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(allowed, f) {
			return nil, fmt.Errorf("%q is not one of %s", f, strings.Join(allowed, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// repoRoot finds the module root (the directory holding go.mod) from the
// working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "cmd", "fog-emulator")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the benchmark from the repository (no go.mod with cmd/fog-emulator above the working directory)")
		}
		dir = parent
	}
}
