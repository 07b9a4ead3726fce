// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ---- a small configuration on a large server ------------------------------------

// The large-server runs: a configuration of largeManaged hosts' image
// assignments (each with its image) on a server with thousands of hosts,
// whose full host list costs FOG largeRowCost per row and fails above
// largeMaxRows rows (a real FOG 1.5.9 listed 1,000 hosts in 1.0 s and 3,000
// in 3.9 s, and answered 5,000 with a PHP fatal error, HTTP 500). The no-op
// plan (the refresh) is measured with the provider built from this tree and
// with the one built from the baseline commit, on the same state.
const (
	largeManaged = 20
	largeRowCost = 1300 * time.Microsecond
	largeMaxRows = 4000
)

var largeServerHosts = []int{3000, 5000}

// largeRow is one no-op plan on a large server.
type largeRow struct {
	serverHosts int
	provider    string // "this tree" or the baseline commit
	wall        time.Duration
	routes      map[string]int64
	err         error
}

func (r largeRow) requests() int64 { return row{routes: r.routes}.requests() }

// buildBaseline builds the provider of commit into dir/baseline (through
// git archive, so the working tree is untouched) and returns its path.
func buildBaseline(ctx context.Context, root, dir, commit string) (string, error) {
	if commit == "" {
		return "", nil
	}
	src := filepath.Join(dir, "baseline-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	archive := exec.CommandContext(ctx, "sh", "-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", root, commit, src)
	archive.Stderr = os.Stderr
	if err := archive.Run(); err != nil {
		return "", fmt.Errorf("git archive %s: %w", commit, err)
	}
	bin := filepath.Join(dir, "baseline", "terraform-provider-fog")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir, build.Stderr = src, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build of the baseline %s: %w", commit, err)
	}
	return bin, nil
}

// emulatorHasLargeServer says whether the emulator knows the flags the
// large-server runs need.
func emulatorHasLargeServer(ctx context.Context, emuBin string) bool {
	out, _ := exec.CommandContext(ctx, emuBin, "-h").CombinedOutput()
	for _, f := range []string{"-seed-hosts", "-list-row-cost", "-list-max-rows"} {
		if !strings.Contains(string(out), f) {
			return false
		}
	}
	return true
}

// measureLargeServer runs, for each server size, an apply of largeManaged
// assignments with the provider of this tree, a no-op plan with the
// baseline's provider and one with this tree's (the baseline first), and a
// destroy; it returns the plans.
func (b *bench) measureLargeServer(ctx context.Context, c *cli) ([]largeRow, error) {
	var out []largeRow
	for _, hosts := range largeServerHosts {
		got, err := b.largeServerCycle(ctx, c, hosts)
		out = append(out, got...)
		for _, r := range got {
			status := fmt.Sprintf("%9s %9d", seconds(r.wall), r.requests())
			if r.err != nil {
				status += "  failed: " + firstLine(r.err.Error())
			} else {
				status += "  " + routesText(r.routes)
			}
			fmt.Printf("%5d  %-8s %-9s managed=%d, server_hosts=%d, provider: %s %s\n", largeManaged, "plan", c.name,
				largeManaged, r.serverHosts, r.provider, status)
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "Error:") {
			return l
		}
	}
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func (b *bench) largeServerCycle(ctx context.Context, c *cli, serverHosts int) (rows []largeRow, err error) {
	emu, err := startEmulator(ctx, b.emuBin, b.o.latency, b.o.workers,
		"-seed-hosts", fmt.Sprint(serverHosts-largeManaged), "-list-row-cost", largeRowCost.String(),
		"-list-max-rows", fmt.Sprint(largeMaxRows))
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	// The managed hosts are the last largeManaged of serverHosts.
	hosts := make([]int64, largeManaged)
	for i := range hosts {
		var created struct {
			ID int64 `json:"id"`
		}
		req := map[string]any{"name": fmt.Sprintf("managed-%02d", i), "imageID": 0,
			"macs": []string{fmt.Sprintf("02:00:00:01:00:%02x", i)}}
		if err := emu.admin(ctx, "POST", "hosts", req, &created); err != nil {
			return nil, err
		}
		hosts[i] = created.ID
	}
	dir := filepath.Join(b.dir, fmt.Sprintf("large-%d-%s", serverHosts, c.name))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	vars, _ := json.Marshal(map[string]any{"host_ids": hosts, "prefix": "bench" + randomTag()})
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(fmt.Sprintf(benchConfig, "", blocksConfig(largeManaged))), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), vars, 0o644); err != nil {
		return nil, err
	}
	api, user := emu.Tokens()
	env := append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"FOG_SERVER_URL="+emu.URL(), "FOG_API_TOKEN="+api, "FOG_USER_TOKEN="+user)
	run := func(op, cliConfig string, extraEnv []string, args ...string) (time.Duration, error) {
		logFile, err := os.Create(filepath.Join(dir, op+".log"))
		if err != nil {
			return 0, err
		}
		defer func() { _ = logFile.Close() }()
		cmd := exec.CommandContext(ctx, c.path, args...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, append(append(env, extraEnv...), "TF_CLI_CONFIG_FILE="+cliConfig), logFile, logFile
		start := time.Now()
		err = cmd.Run()
		wall := time.Since(start)
		if err != nil {
			return wall, fmt.Errorf("%s %s: %w:\n%s", c.name, op, err, tail(logFile.Name()))
		}
		return wall, nil
	}
	if _, err := run("apply", b.cliConfig, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		_, derr := run("destroy", b.cliConfig, nil, "destroy", "-auto-approve", "-input=false", "-no-color")
		return nil, fmt.Errorf("server_hosts=%d: the apply with this tree's provider failed, no refresh to measure: %w", serverHosts, errors.Join(err, derr))
	}
	defer func() {
		_, derr := run("destroy", b.cliConfig, nil, "destroy", "-auto-approve", "-input=false", "-no-color")
		err = errors.Join(err, derr)
	}()
	type which struct {
		name, rc string
		env      []string
	}
	providers := []which{}
	if b.baselineBin != "" {
		rc := filepath.Join(b.dir, "baseline.tfrc")
		text := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"fogproject/fog\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(b.baselineBin))
		if err := os.WriteFile(rc, []byte(text), 0o600); err != nil {
			return nil, err
		}
		providers = append(providers, which{"baseline " + b.o.baseline, rc, nil})
	}
	providers = append(providers, which{"this tree", b.cliConfig, nil},
		which{largeDeclared, b.cliConfig, []string{"FOG_LARGE_SERVER=true"}})
	for _, p := range providers {
		if err := emu.ResetCounters(ctx); err != nil {
			return rows, err
		}
		wall, perr := run("plan-"+strings.NewReplacer(" ", "-", ",", "", "=", "-").Replace(p.name), p.rc, p.env, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		counts, err := emu.Counters(ctx)
		if err != nil {
			return rows, err
		}
		rows = append(rows, largeRow{serverHosts: serverHosts, provider: p.name, wall: wall, routes: counts, err: perr})
	}
	return rows, nil
}

func routesText(c map[string]int64) string {
	var parts []string
	for _, k := range sortedRoutes(c) {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, ", ")
}

// printLargeFigures prints the two machine-readable lines of the large
// server runs (this tree's provider), with the baseline's figures beside
// them.
func printLargeFigures(rows []largeRow, baseline string) {
	find := func(hosts int, provider string) (largeRow, bool) {
		for _, r := range rows {
			if r.serverHosts == hosts && (r.provider == provider || (provider == "baseline" && strings.HasPrefix(r.provider, "baseline"))) {
				return r, true
			}
		}
		return largeRow{}, false
	}
	if baseline != "" {
		for _, hosts := range largeServerHosts {
			if base, ok := find(hosts, "baseline"); ok {
				fmt.Printf("baseline %s, managed=%d server_hosts=%d: refresh %d requests, %d ms%s\n", baseline, largeManaged, hosts,
					base.requests(), base.wall.Milliseconds(), map[bool]string{true: " (the plan failed)"}[base.err != nil])
			}
		}
	}
	if r, ok := find(5000, "this tree"); ok && r.err == nil {
		fmt.Printf("refresh_requests managed=%d server_hosts=5000: %d\n", largeManaged, r.requests())
	}
	if r, ok := find(3000, "this tree"); ok && r.err == nil {
		fmt.Printf("refresh_ms managed=%d server_hosts=3000: %d\n", largeManaged, r.wall.Milliseconds())
	}
	for _, hosts := range largeServerHosts {
		if r, ok := find(hosts, largeDeclared); ok && r.err == nil {
			fmt.Printf("refresh_requests managed=%d server_hosts=%d large_server=true: %d (%d ms)\n", largeManaged, hosts,
				r.requests(), r.wall.Milliseconds())
		}
	}
}

// largeDeclared names the runs of this tree's provider told that the
// server is large (FOG_LARGE_SERVER=true): no full host list in any process.
const largeDeclared = "this tree, large_server=true"
