// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ---- the provider's CPU against the floor -----------------------------------------

const (
	providerFog   = "fog"
	providerFloor = "floor"
	// The floor with the logs Terraform discards turned off, as the real
	// provider's main turns them off (provider.SilenceUnreadLogs): the
	// like-for-like floor.
	providerFloorQuiet = "floor-quiet"

	// Terraform starting the provider itself (dev_overrides), the one of
	// this tree or of the baseline commit.
	normalThisTree = "normal mode, this tree"
	normalBaseline = "normal mode, baseline"
)

// debugProvider is bench/provider serving the real provider or the floor
// in debug mode: Terraform reattaches to one process for all the walks of
// an operation, and the process's CPU time (its rusage, read when it exits)
// is everything the provider cost.
type debugProvider struct {
	name       string // providerFog, providerFloor, providerFloorQuiet
	bin        string
	loud       bool   // providerFog: keep the logs Terraform discards (what the provider did before it silenced them)
	profileDir string // when set, a CPU profile per operation is written here
	runs       int    // how many processes were started (names the profiles)
}

type servedProvider struct {
	cmd      *exec.Cmd
	reattach string // the value of TF_REATTACH_PROVIDERS
	done     chan struct{}
}

// start serves the provider for one operation of cli; prefix names its log
// and profile.
func (p *debugProvider) start(ctx context.Context, c *cli, prefix string, env []string, log io.Writer) (*servedProvider, error) {
	p.runs++
	args := []string{"-address", c.address()}
	switch p.name {
	case providerFloor:
		args = append(args, "-floor")
	case providerFloorQuiet:
		args = append(args, "-floor", "-silence-unread-logs")
	case providerFog:
		if !p.loud {
			args = append(args, "-silence-unread-logs")
		}
	}
	if p.profileDir != "" {
		if err := os.MkdirAll(p.profileDir, 0o755); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s-%s-%s-%d", p.name, c.name, filepath.Base(prefix), p.runs)
		args = append(args, "-cpuprofile", filepath.Join(p.profileDir, name+".pprof"),
			"-allocprofile", filepath.Join(p.profileDir, name+".allocs.pprof"))
	}
	cmd := exec.CommandContext(ctx, p.bin, args...)
	cmd.Env, cmd.Stderr = env, log
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &servedProvider{cmd: cmd, done: make(chan struct{})}
	line := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		first := true
		for sc.Scan() {
			if first {
				line <- sc.Text()
				first = false
			}
		}
		if first {
			close(line)
		}
	}()
	select {
	case l, ok := <-line:
		if !ok || !strings.HasPrefix(l, "{") {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("bench provider: no reattach configuration (got %q)", l)
		}
		s.reattach = l
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, errors.New("bench provider: no reattach configuration within 30 s")
	}
	return s, nil
}

// stop ends the provider process and returns its CPU time (user and
// system, from its rusage).
func (s *servedProvider) stop() (time.Duration, error) {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	<-s.done
	if err := s.cmd.Wait(); err != nil {
		return 0, fmt.Errorf("bench provider: %w", err)
	}
	return s.cmd.ProcessState.UserTime() + s.cmd.ProcessState.SystemTime(), nil
}

// cpuResult is the provider's and the floor's CPU for one CLI: apply and
// destroy of pairs images and assignments (2 x pairs resources), in the
// blocks shape, against the emulator (without latency unless -cpu-latency),
// runs times each.
type cpuResult struct {
	cli   *cli
	pairs int
	// by provider (providerFog, providerFloor) and operation (apply, destroy)
	rows map[string]map[string][]row
}

// measureCPU runs the floor and the provider in turn, o.cpuRuns times, and
// returns what each cost.
func (b *bench) measureCPU(ctx context.Context, c *cli, pairs int) (*cpuResult, error) {
	if err := b.emu.SetLatency(ctx, b.o.cpuLatency); err != nil {
		return nil, err
	}
	res := &cpuResult{cli: c, pairs: pairs, rows: map[string]map[string][]row{}}
	provs := []*debugProvider{
		{name: providerFloor, bin: b.debugBin, profileDir: b.o.profileDir},
		{name: providerFloorQuiet, bin: b.debugBin, profileDir: b.o.profileDir},
		{name: providerFog, bin: b.debugBin, profileDir: b.o.profileDir, loud: b.o.loudLogs},
	}
	for i := 0; i < b.o.cpuRuns; i++ {
		for _, p := range provs {
			got, err := b.terraformCycle(ctx, b.emu, pairs, cycle{tool: toolTerraformFixed, cli: c, config: configBlocks, provider: p, noPlan: true})
			for _, r := range got {
				if res.rows[p.name] == nil {
					res.rows[p.name] = map[string][]row{}
				}
				res.rows[p.name][r.op] = append(res.rows[p.name][r.op], r)
				fmt.Printf("%5d  %-8s %-9s %-8s %-24s %9s %9d  provider CPU %s, %s CPU %s\n", r.n, r.op, c.name, r.config,
					"provider: "+p.name+", "+latencyLabel(b.o.cpuLatency), seconds(r.wall), r.requests(), seconds(r.providerCPU), c.name, seconds(r.cliCPU))
			}
			if err != nil {
				return res, err
			}
		}
		// As users run it: Terraform starts the provider for each walk and
		// reads its logs; the CPU is the CLI's and its provider processes'.
		normal := []struct{ label, bin string }{{normalThisTree, b.providerBin}}
		if b.baselineBin != "" {
			normal = append(normal, struct{ label, bin string }{normalBaseline, b.baselineBin})
		}
		for _, p := range normal {
			got, err := b.terraformCycle(ctx, b.emu, pairs, cycle{tool: toolTerraformFixed, cli: c, config: configBlocks, bin: p.bin, noPlan: true, keepAll: true, label: p.label})
			for _, r := range got {
				if res.rows[p.label] == nil {
					res.rows[p.label] = map[string][]row{}
				}
				res.rows[p.label][r.op] = append(res.rows[p.label][r.op], r)
				fmt.Printf("%5d  %-8s %-9s %-8s %-24s %9s %9d  %s and its provider processes: CPU %s\n", r.n, r.op, c.name, r.config,
					p.label+", "+latencyLabel(b.o.cpuLatency), seconds(r.wall), r.requests(), c.name, seconds(r.cliCPU))
			}
			if err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// medianCPU is the median provider and CLI CPU of a provider's operation.
func (r *cpuResult) medianCPU(provider, op string) (prov, cliCPU time.Duration, ok bool) {
	rows := r.rows[provider][op]
	if len(rows) == 0 {
		return 0, 0, false
	}
	var p, c []time.Duration
	for _, x := range rows {
		p = append(p, x.providerCPU)
		c = append(c, x.cliCPU)
	}
	return median(p), median(c), true
}

// overFloor is the provider's CPU above a floor's per resource, in ms.
func (r *cpuResult) overFloor(op, floorName string) (float64, bool) {
	fog, _, ok1 := r.medianCPU(providerFog, op)
	floor, _, ok2 := r.medianCPU(floorName, op)
	if !ok1 || !ok2 {
		return 0, false
	}
	return r.perResource(fog - floor), true
}

// perResource is a CPU time per resource of the run, in ms.
func (r *cpuResult) perResource(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond) / float64(2*r.pairs)
}

// runByRun is the provider's CPU over a floor's per resource, in ms, for
// each round of runs (a round runs the floors and the provider one after
// the other): how much the figure moves with the machine.
func (r *cpuResult) runByRun(op, floorName string) []float64 {
	fog, floor := r.rows[providerFog][op], r.rows[floorName][op]
	var out []float64
	for i := 0; i < len(fog) && i < len(floor); i++ {
		out = append(out, r.perResource(fog[i].providerCPU-floor[i].providerCPU))
	}
	return out
}

func (r *cpuResult) print() {
	for _, op := range []string{"apply", "destroy"} {
		fog, fogCLI, ok1 := r.medianCPU(providerFog, op)
		floor, floorCLI, ok2 := r.medianCPU(providerFloor, op)
		quiet, _, ok3 := r.medianCPU(providerFloorQuiet, op)
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		x, _ := r.overFloor(op, providerFloor)
		y, _ := r.overFloor(op, providerFloorQuiet)
		fmt.Printf("%s %-7s %d resources, median of %d: provider CPU %s; floor %s: %+.2f ms per resource over it; "+
			"floor with unread logs off %s: %+.2f ms per resource over it; %s's own CPU %s (floor: %s)\n",
			r.cli.version, op, 2*r.pairs, len(r.rows[providerFog][op]), seconds(fog), seconds(floor), x, seconds(quiet), y,
			r.cli.name, seconds(fogCLI), seconds(floorCLI))
		if d := r.runByRun(op, providerFloorQuiet); len(d) > 1 {
			parts := make([]string, len(d))
			for i, v := range d {
				parts[i] = fmt.Sprintf("%+.2f", v)
			}
			fmt.Printf("%s %-7s over the floor with unread logs off, round by round (ms per resource): %s\n",
				r.cli.version, op, strings.Join(parts, ", "))
		}
	}
	for _, op := range []string{"apply", "destroy"} {
		rows := r.rows[normalThisTree][op]
		if len(rows) == 0 {
			continue
		}
		cpu := func(label string) (time.Duration, bool) {
			var ds []time.Duration
			for _, x := range r.rows[label][op] {
				ds = append(ds, x.cliCPU)
			}
			return median(ds), len(ds) > 0
		}
		this, _ := cpu(normalThisTree)
		line := fmt.Sprintf("%s %-7s %d resources, median of %d, as users run it (%s starts the provider): %s and provider CPU %s",
			r.cli.version, op, 2*r.pairs, len(rows), r.cli.name, r.cli.name, seconds(this))
		if base, ok := cpu(normalBaseline); ok {
			line += fmt.Sprintf(", with the baseline's provider %s", seconds(base))
		}
		fmt.Println(line)
	}
}

func latencyLabel(d time.Duration) string {
	if d == 0 {
		return "0 ms"
	}
	return d.String()
}
