// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The load test: 200 resources applied, refreshed and destroyed by the real
// CLI with -parallelism=20 against an emulator that answers 5% of all
// requests with a proxy's 503 and resets 5% of the writes' connections
// before FOG applies them and 5% after (the answer is lost). Afterwards the
// server's objects are compared with the state, one by one. It prints
//
//	load: R resources, F faults injected, E errors, D duplicates, state matches: yes|no
//
// terraform-plugin-testing cannot pass -parallelism, so the test drives the
// CLI with terraform-exec, and serves the provider in this process the way
// terraform-plugin-testing does (TF_REATTACH_PROVIDERS).

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

const (
	loadImages      = 120 // fog_image
	loadAssignments = 40  // fog_host_image_assignment, one per host
	loadTasks       = 40  // fog_task (Deploy), one per assigned host
	loadParallelism = 20
	loadFaultRate   = 0.05
)

// serveProviderInProcess serves the provider for a CLI run by this test and
// returns what the CLI needs to attach to it.
func serveProviderInProcess(t *testing.T) tfexec.ReattachInfo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(Address, providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t),
		)
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	rc := tfexec.ReattachConfig{
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            cfg.Test,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}
	// The source "fogproject/fog" resolves to Terraform's or OpenTofu's registry.
	return tfexec.ReattachInfo{Address: rc, strings.Replace(Address, "registry.terraform.io", "registry.opentofu.org", 1): rc}
}

// loadConfig is the configuration of the load test.
func loadConfig(env *accEnv, hosts []int64) string {
	var b strings.Builder
	// A network that loses 15% of the writes (503s and resets before and
	// after FOG applied them) is worse than max_retries' default of 3 is
	// sized for: the test sets what a user on such a network would.
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    fog = { source = \"fogproject/fog\" }\n  }\n}\n\n%s\n",
		env.providerBlock(map[string]string{"max_retries": "5"}))
	for i := 0; i < loadImages; i++ {
		fmt.Fprintf(&b, "resource \"fog_image\" \"img%03d\" {\n  name          = \"load-%03d\"\n  path          = \"load-%03d\"\n  image_type_id = 1\n  os_id         = 9\n  description   = \"load test image %d\"\n}\n\n", i, i, i, i)
	}
	for i, host := range hosts {
		fmt.Fprintf(&b, "resource \"fog_host_image_assignment\" \"host%02d\" {\n  host_id  = %d\n  image_id = tonumber(fog_image.img%03d.id)\n}\n\n", i, host, i)
		fmt.Fprintf(&b, "resource \"fog_task\" \"deploy%02d\" {\n  host_id  = %d\n  type     = \"Deploy\"\n  image_id = fog_host_image_assignment.host%02d.image_id\n}\n\n", i, host, i)
	}
	return b.String()
}

// cliRun runs one CLI command and returns its error diagnostics' count and
// the text of its error output.
func cliRun(tf *tfexec.Terraform, run func() error) (int, string) {
	var stderr strings.Builder
	tf.SetStderr(&stderr)
	defer tf.SetStderr(io.Discard)
	err := run()
	if err == nil {
		return 0, ""
	}
	n := strings.Count(stderr.String(), "Error: ")
	if n == 0 {
		n = 1
	}
	return n, err.Error() + "\n" + stderr.String()
}

// envLoadSeed replays a run of the load test: the faults fall on other
// requests in every run unless the seed is given (its value is logged).
const envLoadSeed = "FOG_LOAD_SEED"

func TestAccLoad(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv(envLoadSeed); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("%s: %v", envLoadSeed, err)
		}
	}
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) {
		o.Seed = seed
		o.RecordRequests = true
	}))
	skipUnlessEmulator(t, env, "injects faults into 5% of the requests")
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set: the load test drives the CLI itself")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	hosts := make([]int64, loadAssignments)
	for i := range hosts {
		id, err := env.Emulator.SeedHost(fmt.Sprintf("load%02d", i), 0, fmt.Sprintf("02:00:00:10:00:%02x", i))
		if err != nil {
			t.Fatal(err)
		}
		hosts[i] = id
	}
	baseline := env.Emulator.Snapshot()

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(loadConfig(env, hosts)), 0o600); err != nil {
		t.Fatal(err)
	}
	tf, err := tfexec.NewTerraform(dir, tfPath)
	if err != nil {
		t.Fatal(err)
	}
	reattach := tfexec.Reattach(serveProviderInProcess(t))
	if err := tf.Init(ctx, reattach); err != nil {
		t.Fatalf("init: %v", err)
	}

	for _, method := range []string{"GET", "POST", "PUT", "DELETE"} {
		env.Emulator.AddFault(fogtest.FaultRule{Method: method, Kind: fogtest.FaultStatus, Status: 503, Probability: loadFaultRate})
		if method != "GET" {
			env.Emulator.AddFault(fogtest.FaultRule{Method: method, Kind: fogtest.FaultResetBefore, Probability: loadFaultRate})
			env.Emulator.AddFault(fogtest.FaultRule{Method: method, Kind: fogtest.FaultResetAfter, Probability: loadFaultRate})
		}
	}

	var errCount int
	var problems, cliErrors []string
	run := func(what string, f func() error) {
		n, text := cliRun(tf, f)
		errCount += n
		if n > 0 {
			cliErrors = append(cliErrors, what+": "+text)
		}
	}
	run("apply", func() error { return tf.Apply(ctx, reattach, tfexec.Parallelism(loadParallelism)) })
	state, err := tf.Show(ctx, reattach)
	if err != nil {
		t.Fatalf("show: %v", err)
	}
	resources, duplicates, mismatches := compareLoadState(env, state, hosts)
	problems = append(problems, mismatches...)

	// A refresh under the same faults: nothing drifted, nothing to do.
	run("plan", func() error {
		changes, err := tf.Plan(ctx, reattach, tfexec.Parallelism(loadParallelism))
		if err == nil && changes {
			problems = append(problems, "the plan after the apply is not empty")
		}
		return err
	})

	run("destroy", func() error { return tf.Destroy(ctx, reattach, tfexec.Parallelism(loadParallelism)) })
	problems = append(problems, checkLoadDestroyed(env, baseline, hosts)...)
	// Under faults and concurrency too: every cancel scoped, and each one
	// after a check that the task is active.
	cancelled, err := checkCancelsAreSafe(env.Emulator.Requests(), true)
	switch {
	case err != nil:
		problems = append(problems, err.Error())
	case len(cancelled) < loadTasks:
		problems = append(problems, fmt.Sprintf("%d cancels sent for %d tasks", len(cancelled), loadTasks))
	}

	faults, byKind := env.Emulator.FaultsInjected()
	matches := "yes"
	if len(problems) > 0 {
		matches = "no"
	}
	fmt.Printf("load: %d resources, %d faults injected, %d errors, %d duplicates, state matches: %s\n",
		resources, faults, errCount, duplicates, matches)
	t.Logf("faults by kind: %v; requests: %d; %s=%d replays the fault draws (the order of concurrent requests varies)",
		byKind, env.Emulator.TotalRequests(), envLoadSeed, seed)
	for _, e := range cliErrors {
		t.Error(e)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if resources != loadImages+loadAssignments+loadTasks {
		t.Errorf("%d resources in the state, want %d", resources, loadImages+loadAssignments+loadTasks)
	}
	if duplicates > 0 {
		t.Errorf("%d duplicates on the server", duplicates)
	}
	if faults < 50 {
		t.Errorf("only %d faults were injected: the test did not exercise the provider", faults)
	}
}

// compareLoadState compares every object of the state with the server and
// counts duplicates (images sharing a name, hosts with more than one task).
func compareLoadState(env *accEnv, state *tfjson.State, hosts []int64) (resources, duplicates int, problems []string) {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return 0, 0, []string{"the state is empty"}
	}
	emu := env.Emulator
	raw := func(class string, id int64, field string) string {
		v, ok := emu.RawField(class, id, field)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %d is in the state but not on the server", class, id))
		}
		return v
	}
	stateImages := map[int64]bool{}
	imageByAddress := map[string]int64{}
	stateTasks := map[int64]bool{}
	for _, r := range state.Values.RootModule.Resources {
		resources++
		v := r.AttributeValues
		switch r.Type {
		case "fog_image":
			id, _ := strconv.ParseInt(fmt.Sprint(v["id"]), 10, 64)
			stateImages[id] = true
			imageByAddress[r.Address] = id
			for field, attr := range map[string]string{"name": "name", "path": "path", "description": "description"} {
				if got := raw("image", id, field); got != fmt.Sprint(v[attr]) {
					problems = append(problems, fmt.Sprintf("%s: %s %q in the state, %q on the server", r.Address, attr, v[attr], got))
				}
			}
		case "fog_host_image_assignment":
			host, _ := strconv.ParseInt(fmt.Sprint(v["host_id"]), 10, 64)
			want := fmt.Sprint(v["image_id"])
			if got := raw("host", host, "imageID"); got != want {
				problems = append(problems, fmt.Sprintf("%s: image %s in the state, %s on the server", r.Address, want, got))
			}
		case "fog_task":
			id, _ := strconv.ParseInt(fmt.Sprint(v["id"]), 10, 64)
			stateTasks[id] = true
			if got := raw("task", id, "hostID"); got != fmt.Sprint(v["host_id"]) {
				problems = append(problems, fmt.Sprintf("%s: host %v in the state, %s on the server", r.Address, v["host_id"], got))
			}
			if got := raw("task", id, "stateID"); got != "1" {
				problems = append(problems, fmt.Sprintf("%s: task %d is in state %s on the server, want queued", r.Address, id, got))
			}
		}
	}
	names := map[string]int{}
	for _, id := range emu.IDs("image") {
		name, _ := emu.RawField("image", id, "name")
		names[strings.ToLower(name)]++
		if !stateImages[id] {
			problems = append(problems, fmt.Sprintf("image %d (%q) is on the server but not in the state", id, name))
		}
	}
	for _, n := range names {
		duplicates += n - 1
	}
	perHost := map[string]int{}
	for _, id := range emu.IDs("task") {
		host, _ := emu.RawField("task", id, "hostID")
		perHost[host]++
		if !stateTasks[id] {
			problems = append(problems, fmt.Sprintf("task %d (host %s) is on the server but not in the state", id, host))
		}
	}
	for _, n := range perHost {
		duplicates += n - 1
	}
	for i, host := range hosts {
		addr := fmt.Sprintf("fog_image.img%03d", i)
		if got, want := raw("host", host, "imageID"), strconv.FormatInt(imageByAddress[addr], 10); got != want {
			problems = append(problems, fmt.Sprintf("host %d has image %s, want %s (%s)", host, got, want, addr))
		}
	}
	return resources, duplicates, problems
}

// checkLoadDestroyed checks the server after the destroy: no image left,
// every task cancelled (none created by the destroy), every host without an
// image, and nothing else changed.
func checkLoadDestroyed(env *accEnv, baseline map[string][]int64, hosts []int64) []string {
	emu := env.Emulator
	var problems []string
	if ids := emu.IDs("image"); len(ids) > 0 {
		problems = append(problems, fmt.Sprintf("images left after the destroy: %v", ids))
	}
	tasks := emu.IDs("task")
	if len(tasks) != loadTasks {
		problems = append(problems, fmt.Sprintf("%d task rows after the destroy, want %d", len(tasks), loadTasks))
	}
	for _, id := range tasks {
		if st, _ := emu.RawField("task", id, "stateID"); st != "5" {
			problems = append(problems, fmt.Sprintf("task %d in state %s after the destroy, want cancelled (5)", id, st))
		}
	}
	for _, host := range hosts {
		if img, _ := emu.RawField("host", host, "imageID"); img != "0" {
			problems = append(problems, fmt.Sprintf("host %d still has image %s after the destroy", host, img))
		}
	}
	after := emu.Snapshot()
	for class, ids := range after {
		switch class {
		case "image", "task":
			continue // compared above
		}
		if fmt.Sprint(ids) != fmt.Sprint(baseline[class]) {
			problems = append(problems, fmt.Sprintf("%s rows changed: %v -> %v", class, baseline[class], ids))
		}
	}
	return problems
}
