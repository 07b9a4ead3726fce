// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func printRows(rows []row) {
	for _, r := range rows {
		var routes []string
		for _, k := range sortedRoutes(r.routes) {
			routes = append(routes, fmt.Sprintf("%s %d", k, r.routes[k]))
		}
		config := r.config
		if config == "" {
			config = "-"
		}
		cli := r.cli
		if cli == "" {
			cli = "-"
		}
		cpu := "-"
		if r.cliCPU > 0 {
			cpu = seconds(r.cliCPU)
		}
		fmt.Printf("%5d  %-8s %-9s %-8s %-24s %9s %9s %9d  %s\n", r.n, r.op, cli, config, r.tool, seconds(r.wall), cpu, r.requests(), strings.Join(routes, ", "))
	}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

// find returns the row of n, op, tool, CLI and config (the loop's rows
// match any CLI and config).
func find(rows []row, n int, op, tool, cli, config string) (row, bool) {
	for _, r := range rows {
		if r.n == n && r.op == op && r.tool == tool && r.provider == "" && (r.cli == "" || r.cli == cli) && (r.config == "" || r.config == config) {
			return r, true
		}
	}
	return row{}, false
}

// loopTool is the name the loop's rows carry.
func loopTool(rows []row) string {
	for _, r := range rows {
		if r.tool != toolTerraform && r.tool != toolTerraformFixed && r.tool != toolBaseline {
			return r.tool
		}
	}
	return ""
}

// printSummary compares Terraform with the loop for every N, configuration
// shape and operation.
func printSummary(rows []row, clis, configs []string) {
	loop := loopTool(rows)
	seen := map[int]bool{}
	for _, r := range rows {
		if seen[r.n] || r.provider != "" {
			continue
		}
		seen[r.n] = true
		for _, cli := range clis {
			for _, config := range configs {
				for _, op := range []string{"apply", "plan", "destroy"} {
					tf, okTF := find(rows, r.n, op, toolTerraform, cli, config)
					if !okTF {
						continue
					}
					line := fmt.Sprintf("N=%-4d %-8s %-9s %-8s %8s, %5d requests", r.n, op, cli, config, seconds(tf.wall), tf.requests())
					if fixed, ok := find(rows, r.n, op, toolTerraformFixed, cli, config); ok {
						line += fmt.Sprintf(" (fixed cost at 0 ms: %s)", seconds(fixed.wall))
					}
					if base, ok := find(rows, r.n, op, toolBaseline, cli, config); ok {
						line += fmt.Sprintf("; baseline provider %8s, %5d requests: %.2fx faster", seconds(base.wall), base.requests(),
							base.wall.Seconds()/tf.wall.Seconds())
					}
					if l, ok := find(rows, r.n, op, loop, cli, config); ok {
						line += fmt.Sprintf("; %s %8s, %5d requests: %s %.2fx faster", loop, seconds(l.wall), l.requests(), cli,
							l.wall.Seconds()/tf.wall.Seconds())
					}
					fmt.Println(line)
				}
			}
		}
	}
}

// printFigures prints the machine-readable lines, for the largest N that
// has the runs each needs, the first CLI and the first configuration shape.
func printFigures(rows []row, sizes []int, cli, config string, decode *decodeResult) {
	loop := loopTool(rows)
	for i := len(sizes) - 1; i >= 0; i-- {
		if plan, ok := find(rows, sizes[i], "plan", toolTerraform, cli, config); ok {
			fmt.Printf("refresh_requests n=%d: %d\n", sizes[i], plan.requests())
			break
		}
	}
	for i := len(sizes) - 1; i >= 0; i-- {
		tf, ok1 := find(rows, sizes[i], "apply", toolTerraform, cli, config)
		l, ok2 := find(rows, sizes[i], "apply", loop, cli, config)
		if ok1 && ok2 {
			fmt.Printf("apply_speedup_vs_curl n=%d: %.2f\n", sizes[i], l.wall.Seconds()/tf.wall.Seconds())
			break
		}
	}
	if decode != nil {
		fmt.Printf("hosts_decode n=%d: %.0f ms %.0f MB\n", decodeHosts, decode.cpuMS, decode.peakMB)
	}
	for _, op := range []string{"apply", "destroy"} {
		for i := len(sizes) - 1; i >= 0; i-- {
			if r, ok := find(rows, sizes[i], op, toolTerraform, cli, config); ok {
				fmt.Printf("%s_requests_per_pair n=%d: %.2f\n", op, sizes[i], float64(r.requests())/float64(sizes[i]))
				break
			}
		}
	}
	for _, op := range []string{"apply", "destroy"} {
		for i := len(sizes) - 1; i >= 0; i-- {
			tf, ok1 := find(rows, sizes[i], op, toolTerraform, cli, config)
			base, ok2 := find(rows, sizes[i], op, toolBaseline, cli, config)
			if ok1 && ok2 {
				fmt.Printf("%s_speedup_vs_baseline n=%d: %.2f\n", op, sizes[i], base.wall.Seconds()/tf.wall.Seconds())
				break
			}
		}
	}
}

// ---- the fog_hosts decode benchmark ---------------------------------------------

const (
	decodeHosts     = 10000
	decodeBenchName = "BenchmarkListHosts10000"
)

type decodeResult struct {
	nsPerOp, cpuMS, peakMB, bytesPerOp, allocsPerOp float64
}

func (d *decodeResult) describe() string {
	return fmt.Sprintf("%.0f ms CPU and %.0f ms wall per decode, peak heap %.1f MB, %.1f MB in %.0f allocations per decode",
		d.cpuMS, d.nsPerOp/1e6, d.peakMB, d.bytesPerOp/(1<<20), d.allocsPerOp)
}

// runDecodeBenchmark runs the Go benchmark of internal/fogclient and reads
// its metrics.
func runDecodeBenchmark(ctx context.Context, root string) (*decodeResult, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^"+decodeBenchName+"$",
		"-benchmem", "-benchtime", "5x", "-count", "1", "./internal/fogclient")
	cmd.Dir, cmd.Stderr = root, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], decodeBenchName) {
			continue
		}
		d := &decodeResult{}
		metrics := map[string]*float64{"ns/op": &d.nsPerOp, "cpu-ms/op": &d.cpuMS, "peak-heap-MB": &d.peakMB,
			"B/op": &d.bytesPerOp, "allocs/op": &d.allocsPerOp}
		for i := 2; i+1 < len(fields); i += 2 {
			if dst, ok := metrics[fields[i+1]]; ok {
				if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
					*dst = v
				}
			}
		}
		return d, nil
	}
	return nil, fmt.Errorf("no %s line in:\n%s", decodeBenchName, out)
}
