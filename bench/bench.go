// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// row is one measured run: an operation over n objects by one tool.
type row struct {
	n      int
	op     string // apply, plan, destroy
	tool   string // toolTerraform, toolTerraformFixed, or the loop's name
	cli    string // the CLI's name (cliTerraform, cliTofu); "" for the loop
	config string // Terraform's configuration shape (configBlocks, configCount, configForEach); "" for the loop
	wall   time.Duration
	routes map[string]int64

	// With a provider served in debug mode (cpu.go): which one, and the CPU
	// time of its process and of the CLI's.
	provider    string // providerFog, providerFloor; "" when Terraform started the provider
	providerCPU time.Duration
	cliCPU      time.Duration
}

const (
	toolTerraform      = "terraform"
	toolTerraformFixed = "terraform, 0 ms latency"
	toolBaseline       = "terraform, baseline"

	// The two shapes of the Terraform configuration: one resource block per
	// image and per assignment, or one block of each with count. The
	// provider's work is the same; Terraform's is not (with count, each
	// reference to fog_image.bench[count.index] evaluates the whole list of
	// images, so Terraform's own time grows with N squared).
	configBlocks  = "blocks"
	configCount   = "count"
	configForEach = "for_each"

	cliTerraform = "terraform"
	cliTofu      = "tofu"
)

// cli is a Terraform or OpenTofu CLI the runs use.
type cli struct {
	name     string // cliTerraform, cliTofu
	path     string
	version  string // as the CLI prints it: "Terraform v1.5.7", "OpenTofu v1.12.6"
	registry string // the host a source address without one means to this CLI
}

// address is the provider's full source address for this CLI.
func (c *cli) address() string { return c.registry + "/fogproject/fog" }

func (r row) requests() int64 {
	var total int64
	for _, v := range r.routes {
		total += v
	}
	return total
}

type bench struct {
	o           options
	root, dir   string
	clis        []*cli
	providerBin string
	debugBin    string // bench/provider: the provider or the floor, served in debug mode
	baselineBin string // the provider built from the baseline commit (-baseline), for the large-server runs
	emuBin      string
	cliConfig   string
	plainConfig string // a CLI configuration without dev_overrides, for reattached providers
	emu         *emulator
	real        *realServer // set when FOG_SERVER_URL and both tokens are
	target      server
	loop        loopSender
}

func newBench(ctx context.Context, root, dir string, o options) (*bench, error) {
	b := &bench{o: o, root: root, dir: dir}
	for _, name := range o.clis {
		c := &cli{name: name, path: o.cliPaths[name], registry: "registry.terraform.io"}
		if name == cliTofu {
			c.registry = "registry.opentofu.org"
		}
		if c.path == "" {
			out, err := exec.CommandContext(ctx, filepath.Join(root, "scripts", "install-clis.sh"), name).Output()
			if err != nil {
				return nil, fmt.Errorf("scripts/install-clis.sh %s: %w", name, err)
			}
			c.path = strings.TrimSpace(string(out))
		}
		b.clis = append(b.clis, c)
	}
	bin := filepath.Join(dir, "bin")
	b.providerBin = filepath.Join(bin, "terraform-provider-fog")
	b.debugBin = filepath.Join(dir, "bench-provider")
	b.emuBin = filepath.Join(dir, "fog-emulator")
	for _, build := range [][]string{{"-o", b.providerBin, "."}, {"-o", b.emuBin, "./cmd/fog-emulator"}, {"-o", b.debugBin, "./bench/provider"}} {
		cmd := exec.CommandContext(ctx, "go", append([]string{"build"}, build...)...)
		cmd.Dir, cmd.Stderr = root, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build %s: %w", build[len(build)-1], err)
		}
	}
	// Terraform runs the provider built from this tree instead of a
	// registry release; the CLI configuration is the benchmark's own.
	b.cliConfig = filepath.Join(dir, "cli.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"fogproject/fog\" = %q\n  }\n  direct {}\n}\n", bin)
	if err := os.WriteFile(b.cliConfig, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	b.plainConfig = filepath.Join(dir, "plain.tfrc")
	if err := os.WriteFile(b.plainConfig, nil, 0o600); err != nil {
		return nil, err
	}
	for _, c := range b.clis {
		version := exec.CommandContext(ctx, c.path, "version")
		version.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+b.cliConfig, "CHECKPOINT_DISABLE=1")
		out, err := version.Output()
		if err != nil {
			return nil, fmt.Errorf("%s version: %w", c.path, err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "Terraform v") || strings.HasPrefix(line, "OpenTofu v") {
				c.version = line
				break
			}
		}
	}
	if o.largeServer && !emulatorHasLargeServer(ctx, b.emuBin) {
		fmt.Fprintln(os.Stderr, "bench: the emulator has no -seed-hosts, -list-row-cost and -list-max-rows yet: no large-server runs")
		b.o.largeServer = false
	}
	if b.o.baseline != "" {
		var err error
		if b.baselineBin, err = buildBaseline(ctx, root, dir, o.baseline); err != nil {
			return nil, err
		}
	}

	var err error
	if b.emu, err = startEmulator(ctx, b.emuBin, o.latency, o.workers); err != nil {
		return nil, err
	}
	b.target = b.emu
	if u, api, user := os.Getenv("FOG_SERVER_URL"), os.Getenv("FOG_API_TOKEN"), os.Getenv("FOG_USER_TOKEN"); u != "" && api != "" && user != "" {
		if b.real, err = startRealServer(u, api, user); err != nil {
			b.emu.stop()
			return nil, err
		}
		b.target = b.real
	}
	if b.loop, err = newLoopSender(dir, b.target); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *bench) close() {
	if b.real != nil {
		b.real.stop()
	}
	if b.emu != nil {
		b.emu.stop()
	}
}

func (b *bench) printHeader() {
	fmt.Printf("server:     %s\n", b.target.Describe())
	par := "Terraform's default parallelism (10)"
	if b.o.parallelism > 0 {
		par = fmt.Sprintf("-parallelism=%d", b.o.parallelism)
	}
	conc := "the provider's default max_concurrent_requests"
	if b.o.maxConcurrent > 0 {
		conc = fmt.Sprintf("max_concurrent_requests = %d", b.o.maxConcurrent)
	}
	for _, c := range b.clis {
		fmt.Printf("%-11s %s, %s, %s, provider built from this tree\n", c.name+":", c.version, par, conc)
	}
	fmt.Printf("loop:       %s\n", b.loop.describe())
	fmt.Printf("fixed cost: the same Terraform runs against the emulator with no latency (Terraform's own time, the provider's CPU included)\n")
	fmt.Printf("config:     %s (blocks: one resource block per image and per assignment; count: one block of each, with count; "+
		"for_each: one block of each, for_each over a map of hosts)\n", strings.Join(b.o.configs, ", "))
	fmt.Printf("cpu:        user and system CPU of the CLI and of the provider processes it started (their rusage)\n\n")
	fmt.Printf("%5s  %-8s %-9s %-8s %-24s %9s %9s %9s  %s\n", "N", "run", "cli", "config", "measured", "wall", "cpu", "requests", "FOG requests by route")
}

// measure runs everything selected for n objects.
func (b *bench) measure(ctx context.Context, n int) ([]row, error) {
	var rows []row
	for _, c := range b.clis {
		for _, config := range b.o.configs {
			if !b.o.tools["terraform"] {
				break
			}
			if err := b.emu.SetLatency(ctx, 0); err != nil {
				return rows, err
			}
			got, err := b.terraformCycle(ctx, b.emu, n, cycle{tool: toolTerraformFixed, cli: c, config: config})
			rows = append(rows, got...)
			printRows(got)
			if err != nil {
				return rows, err
			}
			if b.o.fixedOnly {
				continue
			}
			if err := b.emu.SetLatency(ctx, b.o.latency); err != nil {
				return rows, err
			}
			got, err = b.terraformCycle(ctx, b.target, n, cycle{tool: toolTerraform, cli: c, config: config})
			rows = append(rows, got...)
			printRows(got)
			if err != nil {
				return rows, err
			}
		}
	}
	// The provider of the baseline commit, in the same shape under the
	// first CLI, for the largest N: the speed-up of this tree over it.
	if b.baselineBin != "" && b.o.tools["terraform"] && !b.o.fixedOnly && n == b.o.sizes[len(b.o.sizes)-1] {
		if err := b.emu.SetLatency(ctx, b.o.latency); err != nil {
			return rows, err
		}
		got, err := b.terraformCycle(ctx, b.target, n, cycle{tool: toolBaseline, cli: b.clis[0], config: b.o.configs[0], bin: b.baselineBin})
		rows = append(rows, got...)
		printRows(got)
		if err != nil {
			return rows, err
		}
	}
	if b.o.tools["curl"] {
		got, err := b.loopCycle(ctx, b.target, n)
		rows = append(rows, got...)
		printRows(got)
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// ---- Terraform ------------------------------------------------------------------

const benchConfig = `terraform {
  required_providers {
    fog = {
      source = "fogproject/fog"
    }
  }
}

provider "fog" {
%s}

variable "host_ids" {
  type = list(number)
}

variable "prefix" {
  type = string
}
%s`

// countConfig declares the images and assignments with count.
const countConfig = `
resource "fog_image" "bench" {
  count         = length(var.host_ids)
  name          = "${var.prefix}-${count.index}"
  path          = "${var.prefix}-${count.index}"
  image_type_id = 1
  os_id         = 9
  description   = "terraform-provider-fog benchmark"
}

resource "fog_host_image_assignment" "bench" {
  count    = length(var.host_ids)
  host_id  = var.host_ids[count.index]
  image_id = tonumber(fog_image.bench[count.index].id)
}
`

// forEachConfig declares the images and assignments with for_each over a
// map of hosts, name => id: what a fleet configuration looks like.
const forEachConfig = `
variable "hosts" {
  type = map(number)
}

resource "fog_image" "bench" {
  for_each      = var.hosts
  name          = "${var.prefix}-${each.key}"
  path          = "${var.prefix}-${each.key}"
  image_type_id = 1
  os_id         = 9
  description   = "terraform-provider-fog benchmark"
}

resource "fog_host_image_assignment" "bench" {
  for_each = var.hosts
  host_id  = each.value
  image_id = tonumber(fog_image.bench[each.key].id)
}
`

// blocksConfig declares n images and n assignments, one block each.
func blocksConfig(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, `
resource "fog_image" "bench_%[1]d" {
  name          = "${var.prefix}-%[1]d"
  path          = "${var.prefix}-%[1]d"
  image_type_id = 1
  os_id         = 9
  description   = "terraform-provider-fog benchmark"
}

resource "fog_host_image_assignment" "bench_%[1]d" {
  host_id  = var.host_ids[%[1]d]
  image_id = tonumber(fog_image.bench_%[1]d.id)
}
`, i)
	}
	return sb.String()
}

// cycle is one Terraform run of apply, plan and destroy.
type cycle struct {
	tool   string // toolTerraform, toolTerraformFixed
	cli    *cli
	config string // configBlocks, configCount, configForEach
	// provider, when set, is served in debug mode (cpu.go) for each
	// operation, and its CPU time measured; otherwise Terraform starts the
	// provider built from this tree.
	provider *debugProvider
	// bin, when set with provider unset, is the provider binary Terraform
	// runs instead of the one built from this tree.
	bin string
	// noPlan skips the no-op plan; keepAll runs it and returns every row
	// whatever -runs selects.
	noPlan, keepAll bool
	// hostIDs, when set, are the hosts to use instead of srv.Prepare's.
	hostIDs []int64
	// label, when set, is the rows' provider field (and names the work
	// directory): rows of a comparison that are not the main table's.
	label string
}

// terraformCycle applies, re-plans and destroys n images and assignments.
// Apply and destroy always run (destroy cleans up); rows are returned for
// the selected operations.
func (b *bench) terraformCycle(ctx context.Context, srv server, n int, cy cycle) (rows []row, err error) {
	hosts := cy.hostIDs
	if hosts == nil {
		var cleanup func()
		if hosts, cleanup, err = srv.Prepare(ctx, n); err != nil {
			return nil, err
		}
		defer cleanup()
	}
	name := fmt.Sprintf("tf-%d-%s-%s-%s", n, cy.cli.name, cy.config, strings.NewReplacer(" ", "", ",", "-").Replace(cy.tool))
	if cy.provider != nil {
		name += "-" + cy.provider.name
	}
	if cy.label != "" {
		name += "-" + strings.ReplaceAll(cy.label, " ", "-")
	}
	dir := filepath.Join(b.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	providerArgs := ""
	if b.o.maxConcurrent > 0 {
		providerArgs = fmt.Sprintf("  max_concurrent_requests = %d\n", b.o.maxConcurrent)
	}
	vars := map[string]any{"host_ids": hosts, "prefix": "bench" + randomTag()}
	var resources string
	switch cy.config {
	case configBlocks:
		resources = blocksConfig(n)
	case configCount:
		resources = countConfig
	case configForEach:
		resources = forEachConfig
		byName := make(map[string]int64, len(hosts))
		for i, id := range hosts {
			byName[fmt.Sprintf("host-%04d", i)] = id
		}
		vars["hosts"] = byName
	}
	rawVars, _ := json.Marshal(vars)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(fmt.Sprintf(benchConfig, providerArgs, resources)), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), rawVars, 0o644); err != nil {
		return nil, err
	}

	api, user := srv.Tokens()
	cliConfig := b.cliConfig
	if cy.provider != nil {
		cliConfig = b.plainConfig
	} else if cy.bin != "" {
		cliConfig = filepath.Join(dir, "cli.tfrc")
		rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"fogproject/fog\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(cy.bin))
		if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
			return nil, err
		}
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"FOG_SERVER_URL="+srv.URL(), "FOG_API_TOKEN="+api, "FOG_USER_TOKEN="+user)
	run := func(op string, args ...string) (r row, err error) {
		if b.o.parallelism > 0 && op != "plan-check" {
			args = append(args, fmt.Sprintf("-parallelism=%d", b.o.parallelism))
		}
		if err := srv.ResetCounters(ctx); err != nil {
			return row{}, err
		}
		logPath := filepath.Join(dir, op+".log")
		logFile, err := os.Create(logPath)
		if err != nil {
			return row{}, err
		}
		defer func() { _ = logFile.Close() }()
		cmdEnv := env
		var served *servedProvider
		if cy.provider != nil {
			if served, err = cy.provider.start(ctx, cy.cli, filepath.Join(dir, op), env, logFile); err != nil {
				return row{}, err
			}
			cmdEnv = append(append([]string(nil), env...), "TF_REATTACH_PROVIDERS="+served.reattach)
		}
		cmd := exec.CommandContext(ctx, cy.cli.path, args...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, cmdEnv, logFile, logFile
		start := time.Now()
		runErr := cmd.Run()
		wall := time.Since(start)
		r = row{n: n, op: op, tool: cy.tool, cli: cy.cli.name, config: cy.config, wall: wall, provider: cy.label}
		if cmd.ProcessState != nil {
			r.cliCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		if served != nil {
			r.provider = cy.provider.name
			if r.providerCPU, err = served.stop(); err != nil {
				return r, err
			}
		}
		counts, cerr := srv.Counters(ctx)
		if cerr != nil {
			return row{}, cerr
		}
		r.routes = counts
		if runErr != nil {
			var exit *exec.ExitError
			if op == "plan" && errors.As(runErr, &exit) && exit.ExitCode() == 2 {
				return r, fmt.Errorf("the plan after apply proposes changes (see %s):\n%s", logPath, tail(logPath))
			}
			return r, fmt.Errorf("%s %s: %w (see %s):\n%s", cy.cli.name, op, runErr, logPath, tail(logPath))
		}
		return r, nil
	}
	keep := func(r row) {
		if b.o.runs[r.op] || cy.provider != nil || cy.keepAll {
			rows = append(rows, r)
		}
	}
	defer func() {
		r, derr := run("destroy", "destroy", "-auto-approve", "-input=false", "-no-color")
		if derr == nil {
			keep(r)
		}
		err = errors.Join(err, derr)
	}()
	r, err := run("apply", "apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return rows, err
	}
	keep(r)
	if (b.o.runs["plan"] || cy.keepAll) && !cy.noPlan {
		r, err := run("plan", "plan", "-detailed-exitcode", "-input=false", "-no-color")
		if err != nil {
			return rows, err
		}
		keep(r)
	}
	return rows, nil
}

func tail(path string) string {
	raw, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) > 25 {
		lines = lines[len(lines)-25:]
	}
	return strings.Join(lines, "\n")
}

// ---- the sequential loop ---------------------------------------------------------

// loopCycle does with one request at a time what Terraform does: create n
// images and give each host its image, read every object back, then
// unassign and delete. This is the naive sequence a script runs.
func (b *bench) loopCycle(ctx context.Context, srv server, n int) ([]row, error) {
	hosts, cleanup, err := srv.Prepare(ctx, n)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	prefix := "loop" + randomTag()
	images := make([]int64, n)
	base := strings.TrimSuffix(srv.URL(), "/")
	if !strings.HasSuffix(base, "/fog") {
		base += "/fog"
	}
	var rows []row
	timed := func(op string, each func(i int) error) error {
		if err := srv.ResetCounters(ctx); err != nil {
			return err
		}
		start := time.Now()
		for i := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := each(i); err != nil {
				return fmt.Errorf("%s loop, object %d: %w", op, i, err)
			}
		}
		wall := time.Since(start)
		counts, err := srv.Counters(ctx)
		if err != nil {
			return err
		}
		if b.o.runs[op] {
			rows = append(rows, row{n: n, op: op, tool: b.loop.name(), wall: wall, routes: counts})
		}
		return nil
	}
	send := func(method, path string, body any) ([]byte, error) {
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		status, out, err := b.loop.send(ctx, method, base+path, raw)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("%s %s: HTTP %d", method, path, status)
		}
		return out, nil
	}

	err = timed("apply", func(i int) error {
		out, err := send(http.MethodPost, "/image/create", map[string]any{
			"name": fmt.Sprintf("%s-%d", prefix, i), "path": fmt.Sprintf("%s-%d", prefix, i), "description": "terraform-provider-fog benchmark",
			"imageTypeID": 1, "imagePartitionTypeID": 1, "osID": 9, "isEnabled": "1", "toReplicate": "1",
			"protected": 0, "format": "5", "compress": 6,
		})
		if err != nil {
			return err
		}
		var created struct {
			ID json.Number `json:"id"`
		}
		if err := json.Unmarshal(out, &created); err != nil {
			return fmt.Errorf("image create answer: %w", err)
		}
		if images[i], err = strconv.ParseInt(created.ID.String(), 10, 64); err != nil {
			return fmt.Errorf("image create answer: id %q", created.ID)
		}
		_, err = send(http.MethodPut, fmt.Sprintf("/host/%d/edit", hosts[i]), map[string]any{"imageID": images[i]})
		return err
	})
	if err == nil && b.o.runs["plan"] {
		err = timed("plan", func(i int) error {
			if _, err := send(http.MethodGet, fmt.Sprintf("/image/%d", images[i]), nil); err != nil {
				return err
			}
			_, err := send(http.MethodGet, fmt.Sprintf("/host/%d", hosts[i]), nil)
			return err
		})
	}
	derr := timed("destroy", func(i int) error {
		if images[i] == 0 {
			return nil
		}
		if _, err := send(http.MethodPut, fmt.Sprintf("/host/%d/edit", hosts[i]), map[string]any{"imageID": 0}); err != nil {
			return err
		}
		_, err := send(http.MethodDelete, fmt.Sprintf("/image/%d", images[i]), nil)
		return err
	})
	return rows, errors.Join(err, derr)
}

// loopSender sends one request and waits for its answer.
type loopSender interface {
	send(ctx context.Context, method, url string, body []byte) (status int, out []byte, err error)
	name() string
	describe() string
}

func newLoopSender(dir string, srv server) (loopSender, error) {
	api, user := srv.Tokens()
	if curl, lookErr := exec.LookPath("curl"); lookErr == nil {
		// The tokens go to curl in a file (-H @file), not on its command
		// line where other users of the machine could read them.
		headers := filepath.Join(dir, "curl-headers")
		text := fmt.Sprintf("fog-api-token: %s\nfog-user-token: %s\nContent-Type: application/json\n", api, user)
		if err := os.WriteFile(headers, []byte(text), 0o600); err != nil {
			return nil, err
		}
		return &curlLoop{curl: curl, headers: headers}, nil
	}
	return &httpLoop{api: api, user: user, client: &http.Client{
		Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, Proxy: http.ProxyFromEnvironment},
	}}, nil
}

// curlLoop runs one curl process per request, as a shell loop does.
type curlLoop struct {
	curl    string
	headers string
}

func (c *curlLoop) name() string { return "curl loop" }
func (c *curlLoop) describe() string {
	return "a sequential loop running one curl process per request (the same creates, reads and deletes, one at a time)"
}

func (c *curlLoop) send(ctx context.Context, method, url string, body []byte) (int, []byte, error) {
	args := []string{"-sS", "--max-time", "60", "-X", method, "-H", "@" + c.headers, "-o", "-", "-w", "\n%{http_code}"}
	if body != nil {
		args = append(args, "--data-binary", "@-")
	}
	cmd := exec.CommandContext(ctx, c.curl, append(args, url)...)
	if body != nil {
		cmd.Stdin = bytes.NewReader(body)
	}
	out, err := cmd.Output()
	if err != nil {
		return 0, nil, fmt.Errorf("curl %s %s: %w", method, url, err)
	}
	i := bytes.LastIndexByte(out, '\n')
	if i < 0 {
		return 0, nil, fmt.Errorf("curl %s %s: no status", method, url)
	}
	status, err := strconv.Atoi(strings.TrimSpace(string(out[i+1:])))
	return status, out[:i], err
}

// httpLoop is the fallback without a curl binary: Go's net/http, one
// connection per request, one request at a time.
type httpLoop struct {
	api, user string
	client    *http.Client
}

func (h *httpLoop) name() string { return "net/http loop" }
func (h *httpLoop) describe() string {
	return "curl was not found: a sequential loop with Go's net/http, one connection per request, one request at a time"
}

func (h *httpLoop) send(ctx context.Context, method, url string, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("fog-api-token", h.api)
	req.Header.Set("fog-user-token", h.user)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}
