// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Command bench measures the provider against a FOG server the way users run
// it: the real Terraform CLI applies, re-plans and destroys N fog_image
// resources, each with a fog_host_image_assignment, and a plain sequential
// loop of curl requests does the same work (what users do without the
// provider). It prints one table row per run (wall time, FOG requests per
// route) and ends with three machine-readable lines:
//
//	refresh_requests n=<N>: <FOG requests of the no-op plan>
//	apply_speedup_vs_curl n=<N>: <curl loop wall time / terraform apply wall time>
//	hosts_decode n=10000: <CPU ms> ms <peak heap MB> MB
//
// By default the server is the FOG emulator (cmd/fog-emulator, started here
// with -latency and -workers, its /_emulator/ counters reset around each
// run). With FOG_SERVER_URL, FOG_API_TOKEN and FOG_USER_TOKEN set, the runs
// go to that real server through a local counting proxy instead; Terraform's
// own cost is always measured against the emulator without latency.
//
// Run it from the repository root: `make bench` (all of N = 10, 100, 500),
// or `go run ./bench -n 10,100 -runs apply,plan`.
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
	configs       []string        // configBlocks, configCount; the first gives the machine-readable figures
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
		configs = flag.String("configs", "blocks,count", "shapes of the Terraform configuration, comma-separated: blocks (one resource block per image and per assignment), count (one block of each, with count); the first gives the machine-readable figures")
		o       options
		tfPath  = flag.String("terraform", "", "Terraform (or OpenTofu) CLI; default: scripts/install-clis.sh terraform")
		noDec   = flag.Bool("no-decode", false, "skip the fog_hosts decode benchmark")
		workDir = flag.String("work", "", "work directory (default: a temporary one, removed at the end)")
	)
	flag.DurationVar(&o.latency, "latency", 70*time.Millisecond, "emulator: time each request holds a worker")
	flag.IntVar(&o.workers, "workers", 10, "emulator: worker pool size (php-fpm children)")
	flag.IntVar(&o.parallelism, "parallelism", 0, "terraform -parallelism (0: Terraform's default, 10)")
	flag.IntVar(&o.maxConcurrent, "max-concurrent-requests", 0, "provider max_concurrent_requests (0: the provider's default)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
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
	if o.configs, err = parseList(*configs, configBlocks, configCount); err != nil {
		return err
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
		printRows(got)
		if err != nil {
			return err
		}
	}
	fmt.Println()
	printSummary(rows, o.configs)

	var decode *decodeResult
	if o.decode {
		if decode, err = runDecodeBenchmark(ctx, root); err != nil {
			return fmt.Errorf("hosts decode benchmark: %w", err)
		}
		fmt.Printf("\nfog_hosts decode of %d hosts (go test -bench %s ./internal/fogclient): %s\n",
			decodeHosts, decodeBenchName, decode.describe())
	}
	fmt.Println()
	printFigures(rows, o.sizes, o.configs[0], decode)
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
