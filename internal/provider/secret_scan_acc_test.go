// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The secret scan: the acceptance suite and the protocol tests run again
// (this test binary, re-executed) with TF_LOG=TRACE and TF_LOG_PATH_MASK, so
// that the CLI's log and the in-process provider's log (terraform-plugin-log's
// test sink, which also records every diagnostic the provider returns) land
// in one file per test. Every form of every secret is then searched for in
// those files and in the run's output: the API and user tokens (as
// configured, raw, and re-encoded), the password and base64(user:password),
// and the secrets FOG itself returns in bodies (a storage node's FTP
// password inside task objects, a host's AD password and product key).
//
// It prints "secret scan: N hits in M bytes of log", and fails on any hit or
// on a log too small (or missing the provider's own lines) to prove anything.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// envSecretScan carries the workload's secrets (JSON) into the scanned run;
// it also marks that run.
const envSecretScan = "FOG_ACC_SECRET_SCAN"

// secretScanTests is what runs under the scan: every test of the package,
// TestAccSecretScan's own workload (secretScanWorkload: all three ways to
// authenticate, FOG's own secrets in bodies, lost answers, errors) among
// them, so every acceptance test and the protocol tests of the action, the
// list resources and resource identity (their RPCs log through
// loggingServer), but those of secretScanSkipped.
const secretScanTests = `^Test`

// secretScanSkipped are the tests the scan leaves out, each with the reason.
var secretScanSkipped = map[string]string{
	"TestRPCLoggingReachesTheProvidersLog": "sets TF_LOG and TF_LOG_PATH_MASK itself, which the scan's run sets",
}

// secretScanLogsOf are tests whose provider log lines the scan must have
// read, by kind (the RPCs the CLI our CI runs cannot reach).
var secretScanLogsOf = map[string]string{
	"the fog_task action's RPCs":     "TestTaskActionInvoke_refusals",
	"a list resource's RPCs":         "TestHostListResourceIncludeResource",
	"resource identity's RPCs":       "TestHostImportByIdentity",
	"fog_host's MACs (acceptance)":   "TestAccHost_pendingMACs",
	"the bad-input table's last run": "TestAccBadInputs__actions_and_list_resources_(protocol)",
}

// secretScanMinBytes is the least log a real run produces (it is usually
// tens of megabytes at TRACE); less means the logs were not captured.
const secretScanMinBytes = 1 << 20

// scanWorkloadMarker names the workload's image, so the scan can check that
// the provider's own log lines of the workload were captured.
const scanWorkloadMarker = "secret-scan-workload"

// scanSecrets are the workload's credentials and FOG-side secrets.
type scanSecrets struct {
	APIToken    string // raw, as FOG stores it (128 hex characters)
	UserToken   string // raw
	Username    string
	Password    string
	FTPPassword string
	// NodePassword is the password of a fog_storage_node the workload
	// manages, which FOG then returns in its tasks.
	NodePassword string
	ADPassword   string
	ProductKey   string
}

func newScanSecrets(t *testing.T) scanSecrets {
	t.Helper()
	random := func(n int) string {
		b := make([]byte, n)
		if _, err := rand.Read(b); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(b)
	}
	return scanSecrets{
		APIToken: random(64), UserToken: random(64), Username: fogtest.DefaultUsername,
		Password: "pw-" + random(12), FTPPassword: "ftp-" + random(12), NodePassword: "node-" + random(12), ADPassword: "ad-" + random(12), ProductKey: "KEY-" + random(10),
	}
}

// forms returns every form in which each secret could leak, with a label
// that names it without showing it.
func (s scanSecrets) forms() map[string]string {
	out := map[string]string{}
	add := func(label, v string) {
		if v == "" {
			return // an empty secret would match everywhere
		}
		for form, encoded := range map[string]string{
			"":                      v,
			" (base64)":             base64.StdEncoding.EncodeToString([]byte(v)),
			" (base64, no padding)": base64.RawStdEncoding.EncodeToString([]byte(v)),
			" (base64url)":          base64.URLEncoding.EncodeToString([]byte(v)),
		} {
			out[encoded] = label + form
		}
	}
	add("API token", s.APIToken)
	add("user token", s.UserToken)
	add("password", s.Password)
	add("user:password", s.Username+":"+s.Password)
	add("storage node FTP password", s.FTPPassword)
	add("managed storage node password", s.NodePassword)
	add("host AD password", s.ADPassword)
	add("host product key", s.ProductKey)
	// The emulator's defaults, which the other scanned tests use.
	add("default API token", fogtest.DefaultAPIToken)
	add("default user token", fogtest.DefaultUserToken)
	add("default storage node FTP password", fogtest.DefaultFTPPassword)
	return out
}

// secretHit is one occurrence of a secret.
type secretHit struct {
	label, file string
	offset      int
}

// scanForSecrets finds every occurrence of every form in data.
func scanForSecrets(forms map[string]string, file string, data []byte) []secretHit {
	var hits []secretHit
	for secret, label := range forms {
		for off := 0; ; {
			i := bytes.Index(data[off:], []byte(secret))
			if i < 0 {
				break
			}
			hits = append(hits, secretHit{label: label, file: file, offset: off + i})
			off += i + len(secret)
		}
	}
	return hits
}

func TestAccSecretScan(t *testing.T) {
	if raw := os.Getenv(envSecretScan); raw != "" {
		secretScanWorkload(t, raw) // this is the scanned run
		return
	}
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "the workload sets secrets on the emulator")
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set")
	}
	t.Parallel()
	secrets := newScanSecrets(t)
	encoded, err := json.Marshal(secrets)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	skip := make([]string, 0, len(secretScanSkipped))
	for name := range secretScanSkipped {
		skip = append(skip, "^"+name+"$")
	}
	sort.Strings(skip)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run", secretScanTests, "-test.skip", strings.Join(skip, "|"),
		"-test.count=1", "-test.v", "-test.timeout=14m")
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "TF_LOG", "TF_LOG_PATH", "TF_ACC_LOG", "TF_ACC_LOG_PATH", "TF_LOG_PATH_MASK", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_SDK":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	// The workload's credentials reach its configurations as Terraform
	// variables from the environment, never as text in a configuration.
	cmd.Env = append(cmd.Env, "TF_LOG=TRACE", "TF_ACC_LOG=TRACE", "TF_LOG_PATH_MASK="+filepath.Join(dir, "%s.log"),
		envSecretScan+"="+string(encoded),
		"TF_VAR_fog_api_token="+fogtest.EncodeToken(secrets.APIToken),
		"TF_VAR_fog_user_token="+fogtest.EncodeToken(secrets.UserToken),
		"TF_VAR_fog_password="+secrets.Password,
		"TF_VAR_fog_node_password="+secrets.NodePassword)
	output, runErr := cmd.CombinedOutput()

	forms := secrets.forms()
	hits := scanForSecrets(forms, "test output", output)
	files, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	var size int64
	// What the log must contain for the scan to mean something: the CLI's
	// log, the provider's own lines (its request log, and the workload's
	// objects), and the diagnostics the provider returned.
	markers := map[string]string{
		"the CLI's trace log":                    "[TRACE]",
		"the provider's request log (fogclient)": "FOG request attempt",
		"the workload's provider log lines":      scanWorkloadMarker,
		"the provider's error diagnostics":       "Response contains error diagnostic",
		"the provider's warning diagnostics":     "Response contains warning diagnostic",
		"a lost answer settled by looking":       "answer to a write was lost",
	}
	found := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		size += int64(len(data))
		hits = append(hits, scanForSecrets(forms, filepath.Base(f), data)...)
		for what, marker := range markers {
			if !found[what] && bytes.Contains(data, []byte(marker)) {
				found[what] = true
			}
		}
		for what, test := range secretScanLogsOf {
			if filepath.Base(f) == test+".log" && bytes.Contains(data, []byte("FOG request attempt")) {
				found[what] = true
			}
		}
	}
	ran := strings.Count(string(output), "\n--- PASS: ") + strings.Count(string(output), "\n--- FAIL: ")
	fmt.Printf("secret scan: %d hits in %d bytes of log from %d tests (every test of the package but %d: %s)\n",
		len(hits), size, ran, len(secretScanSkipped), strings.Join(slices.Sorted(maps.Keys(secretScanSkipped)), ", "))

	// One line per secret form and file, with the first offset.
	sort.Slice(hits, func(i, j int) bool { return hits[i].file+hits[i].label < hits[j].file+hits[j].label })
	reported := map[string]int{}
	for _, h := range hits {
		key := h.label + " in " + h.file
		if reported[key]++; reported[key] == 1 {
			t.Errorf("%s found in %s (first at byte %d)", h.label, h.file, h.offset)
		}
	}
	if runErr != nil {
		t.Fatalf("the scanned acceptance tests failed (%v); their output:\n%s", runErr, lastLines(string(output), 60))
	}
	if size < secretScanMinBytes {
		t.Errorf("only %d bytes of log in %d files: the logs were not captured, so the scan proves nothing", size, len(files))
	}
	for what, marker := range markers {
		if !found[what] {
			t.Errorf("the log lacks %s (%q): the scan would not see secrets there", what, marker)
		}
	}
	for what, test := range secretScanLogsOf {
		if !found[what] {
			t.Errorf("no provider request log of %s (%s.log): the scan would not see secrets there", what, test)
		}
	}
	if !strings.Contains(string(output), "--- PASS: TestAccSecretScan") {
		t.Errorf("the workload did not run:\n%s", lastLines(string(output), 40))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// secretScanWorkload is what TestAccSecretScan runs inside the scan: every
// way to authenticate (tokens, HTTP Basic), FOG returning its own secrets in
// the bodies the provider reads (task objects carry the storage node's FTP
// password, host objects the AD password and product key), lost answers,
// refused credentials, warnings and errors.
func secretScanWorkload(t *testing.T, raw string) {
	var s scanSecrets
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) {
		o.APIToken, o.UserToken, o.Password, o.BasicAuthReachesPHP = s.APIToken, s.UserToken, s.Password, true
	}))
	skipUnlessEmulator(t, env, "sets secrets on the emulator")
	mustEmulator(t, "storage node FTP password", env.Emulator.SetRawField("storagenode", 1, "pass", s.FTPPassword))
	host := env.CreateHost(t, fogclient.HostCreate{})
	// A second host deploys from the workload's own storage node: node 1
	// already has the first task queued, so FOG picks the idle one.
	nodeImage := env.CreateImage(t, fogclient.ImageCreate{})
	nodeHost := env.CreateHost(t, fogclient.HostCreate{ImageID: nodeImage.ID})
	var nodeTaskID string
	mustEmulator(t, "AD password", env.Emulator.SetRawField("host", host.ID, "ADPass", s.ADPassword))
	mustEmulator(t, "product key", env.Emulator.SetRawField("host", host.ID, "productKey", s.ProductKey))
	mustEmulator(t, "use AD", env.Emulator.SetRawField("host", host.ID, "useAD", "1"))

	name := uniqueImageName(scanWorkloadMarker)
	objects := func(description string) string {
		return imageConfig(name, name, fmt.Sprintf("  description = %q", description)) +
			assignmentConfig(host.ID, "tonumber(fog_image.test.id)") +
			taskConfig(idString(host.ID), "Deploy", "  image_id = fog_host_image_assignment.test.image_id") + `
data "fog_hosts" "all" {}

data "fog_active_tasks" "all" {
  depends_on = [fog_task.test, fog_task.node]
}

resource "fog_storage_node" "scan" {
  name             = "` + name + `-node"
  storage_group_id = 1
  ip               = "10.200.0.9"
  user             = "fogproject"
  password         = var.fog_node_password
}

resource "fog_task" "node" {
  host_id    = ` + idString(nodeHost.ID) + `
  type       = "Deploy"
  depends_on = [fog_task.test, fog_storage_node.scan]
}

data "fog_storage_nodes" "all" {
  depends_on = [fog_storage_node.scan]
}
`
	}
	// Credentials come from variables (TF_VAR_... in the environment), so no
	// configuration holds them.
	variables := `
variable "fog_api_token" {
  type      = string
  sensitive = true
}

variable "fog_user_token" {
  type      = string
  sensitive = true
}

variable "fog_password" {
  type      = string
  sensitive = true
}

variable "fog_node_password" {
  type      = string
  sensitive = true
}
`
	tokens := func(userToken string) string {
		return variables + fmt.Sprintf("provider \"fog\" {\n  server_url = %q\n  api_token  = var.fog_api_token\n  user_token = %s\n}\n", env.URL, userToken)
	}
	basic := func(password string) string {
		return variables + fmt.Sprintf("provider \"fog\" {\n  server_url = %q\n  api_token  = var.fog_api_token\n  username   = %q\n  password   = %s\n}\n",
			env.URL, s.Username, password)
	}
	wrong := fmt.Sprintf("%q", base64.StdEncoding.EncodeToString([]byte(strings.Repeat("0", 128))))
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: tokens("var.fog_user_token") + objects("first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_active_tasks.all", tfjsonpath.New("tasks"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("fog_task.node", tfjsonpath.New("id"), captureString(&nodeTaskID)),
					// The bodies the provider read do carry FOG's secrets:
					// both nodes' passwords in the active task list, and the
					// managed node's in its task and in the node list.
					env.bodyContains("/fog/task/active", s.FTPPassword, s.NodePassword),
					env.bodyContains("/fog/storagenode", s.NodePassword),
					env.bodyContains("/fog/host", s.ADPassword, s.ProductKey),
				},
			},
			{
				// HTTP Basic instead of the user token, and lost answers.
				// The managed node's task completes, so its refresh reads it
				// by id (GET /fog/task/{id} carries the node's password).
				PreConfig: func() {
					mustEmulator(t, "complete the node's task", env.Emulator.CompleteTask(mustID(t, nodeTaskID)))
					if err := env.bodyContains("/fog/task/"+nodeTaskID, s.NodePassword)(); err != nil {
						t.Fatal(err)
					}
					env.Emulator.AddFault(fogtest.FaultRule{Method: "PUT", Route: "/fog/image/{id}", Kind: fogtest.FaultResetAfter, Times: 1})
					env.Emulator.AddFault(fogtest.FaultRule{Method: "GET", Route: "/fog/host/{id}", Kind: fogtest.FaultStatus, Status: 503, Times: 1})
				},
				Config: basic("var.fog_password") + objects("second"),
			},
			{
				Config:      tokens(wrong) + objects("second"),
				ExpectError: expectError("HTTP 401", "rejected the user token"),
			},
			{
				Config:      basic(`"not-${var.fog_password}"`) + objects("second"),
				ExpectError: expectError("HTTP 401", "rejected the user token", "php-fpm"),
			},
			{Config: tokens("var.fog_user_token") + objects("third")},
		},
	})
}

// bodyContains checks that FOG's answer to GET path contains each of wants.
func (e *accEnv) bodyContains(path string, wants ...string) stateCheckFunc {
	return func() error {
		req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("fog-api-token", e.APIToken)
		req.Header.Set("fog-user-token", e.UserToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		for _, want := range wants {
			if !bytes.Contains(body, []byte(want)) {
				return fmt.Errorf("GET %s does not return the secret the scan looks for", path)
			}
		}
		return nil
	}
}

// The scanner finds a secret in each form it could leak in.
func TestScanForSecretsFindsEveryForm(t *testing.T) {
	s := scanSecrets{APIToken: strings.Repeat("ab", 64), UserToken: strings.Repeat("cd", 64), Username: "fog", Password: "pw-0123456789",
		FTPPassword: "ftp-0123456789", NodePassword: "node-0123456789", ADPassword: "ad-0123456789", ProductKey: "KEY-0123456789"}
	for _, leaked := range []string{
		s.APIToken,
		fogtest.EncodeToken(s.UserToken),
		strings.TrimRight(fogtest.EncodeToken(s.APIToken), "="),
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("fog:"+s.Password)),
		`{"pass":"` + s.FTPPassword + `"}`,
		`"storagenode":{"pass":"` + s.NodePassword + `"}`,
		"ADPass=" + s.ADPassword,
		base64.StdEncoding.EncodeToString([]byte(s.ProductKey)),
	} {
		log := []byte("2026-11-27T00:00:00Z [TRACE] something " + leaked + " more")
		if hits := scanForSecrets(s.forms(), "log", log); len(hits) == 0 {
			t.Errorf("%q was not found", leaked)
		}
	}
	if hits := scanForSecrets(s.forms(), "log", []byte("a clean line with ***")); len(hits) != 0 {
		t.Errorf("hits in a clean log: %+v", hits)
	}
}
