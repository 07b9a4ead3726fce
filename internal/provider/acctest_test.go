// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Shared acceptance-test setup for every resource and data source of the
// provider (the fog_task tests use it too).
//
// A test calls newAccEnv(t) and gets one FOG server for itself:
//
//   - when FOG_SERVER_URL, FOG_API_TOKEN and FOG_USER_TOKEN are all set, that
//     real server (tests then never assume it is empty, name everything they
//     create with a unique prefix and clean up after themselves);
//   - otherwise a fresh in-memory emulator (package fogtest) on 127.0.0.1,
//     one per test, so tests run in parallel without seeing each other.
//
// Typical use:
//
//	func TestAccThing(t *testing.T) {
//		env := newAccEnv(t)
//		host := env.CreateHost(t)
//		accParallelTest(t, resource.TestCase{
//			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
//			Steps: []resource.TestStep{{Config: env.Config(`...`)}},
//		})
//	}

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// Terraform (or OpenTofu) CLI that terraform-plugin-testing runs. The
// server and credentials come from each test's HCL (accEnv.Config).
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"fog": providerserver.NewProtocol6WithError(New("test")()),
}

// accEnv is the FOG server of one acceptance test.
type accEnv struct {
	// URL, APIToken and UserToken are what the provider block uses (the
	// tokens in the base64 form FOG's UI shows).
	URL       string
	APIToken  string
	UserToken string
	// Client is a fogclient.Client for the same server, for fixtures and
	// for changes made "outside Terraform" (drift).
	Client *fogclient.Client
	// Emulator is the in-memory FOG server, nil against a real server. Its
	// knobs (latency, faults, task progression, counters) are available to
	// emulator-only tests (see skipUnlessEmulator).
	Emulator *fogtest.Server

	real bool
}

// accEnvOption adjusts the emulator a test starts (ignored against a real
// server, where such tests are skipped by skipUnlessEmulator).
type accEnvOption func(*fogtest.Options)

// withEmulatorOptions lets a test configure its emulator.
func withEmulatorOptions(f func(*fogtest.Options)) accEnvOption { return accEnvOption(f) }

// newAccEnv returns the FOG server for t. It skips the test unless TF_ACC is
// set, as resource.Test does, so that no fixture is created for nothing.
func newAccEnv(t *testing.T, opts ...accEnvOption) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run only with TF_ACC=1")
	}
	env := &accEnv{}
	if url, api, user := os.Getenv(envServerURL), os.Getenv(envAPIToken), os.Getenv(envUserToken); url != "" && api != "" && user != "" {
		env.URL, env.APIToken, env.UserToken, env.real = url, api, user, true
	} else {
		useEmulatorCredentialsFromEnvironment()
		var o fogtest.Options
		for _, opt := range opts {
			opt(&o)
		}
		env.Emulator = fogtest.New(o)
		srv := httptest.NewUnstartedServer(env.Emulator)
		srv.Listener = env.Emulator.Listener(srv.Listener) // so that an outage can refuse connections
		srv.Start()
		t.Cleanup(srv.Close)
		env.URL = srv.URL
		env.APIToken = env.Emulator.APITokenHeader()
		env.UserToken = env.Emulator.UserTokenHeader()
	}
	env.Client = env.newClient(t, env.APIToken, env.UserToken)
	return env
}

// newClient builds a fogclient.Client for this server with other credentials.
func (e *accEnv) newClient(t *testing.T, apiToken, userToken string) *fogclient.Client {
	t.Helper()
	cfg := fogclient.DefaultConfig()
	cfg.ServerURL, cfg.APIToken, cfg.UserToken = e.URL, apiToken, userToken
	c, err := fogclient.New(cfg)
	if err != nil {
		t.Fatalf("fogclient.New: %v", err)
	}
	return c
}

// emulatorCredentials puts the emulator's default tokens into FOG_API_TOKEN
// and FOG_USER_TOKEN once per test process, so that test configurations
// never contain them: the provider reads them from the environment, as
// users are advised to do, and neither the configurations nor the test
// framework's logs of them hold a secret (the secret scan checks the logs).
var emulatorCredentials sync.Once

func useEmulatorCredentialsFromEnvironment() {
	emulatorCredentials.Do(func() {
		for name, value := range map[string]string{envAPIToken: fogtest.DefaultAPITokenBase64, envUserToken: fogtest.DefaultUserTokenBase64} {
			if err := os.Setenv(name, value); err != nil {
				panic(err)
			}
		}
	})
}

// tokensFromEnvironment reports whether the provider can take this server's
// tokens from the environment instead of the configuration.
func (e *accEnv) tokensFromEnvironment() bool {
	return e.real || (e.APIToken == os.Getenv(envAPIToken) && e.UserToken == os.Getenv(envUserToken))
}

// IsReal reports whether the test runs against a real FOG server.
func (e *accEnv) IsReal() bool { return e.real }

// ProviderConfig is the provider block for this server. The tokens are
// left to FOG_API_TOKEN and FOG_USER_TOKEN (a real server's, or the
// emulator's defaults), so they are never written into test configurations;
// only an emulator started with other tokens gets them written out.
func (e *accEnv) ProviderConfig() string {
	if e.tokensFromEnvironment() {
		return fmt.Sprintf("provider \"fog\" {\n  server_url = %q\n}\n", e.URL)
	}
	return fmt.Sprintf("provider \"fog\" {\n  server_url = %q\n  api_token  = %q\n  user_token = %q\n}\n", e.URL, e.APIToken, e.UserToken)
}

// Config returns the provider block followed by the given HCL.
func (e *accEnv) Config(hcl ...string) string {
	return e.ProviderConfig() + "\n" + strings.Join(hcl, "\n")
}

// skipUnlessEmulator skips a test that needs the emulator (its knobs, or a
// state a real server must not be put in), with a visible reason.
func skipUnlessEmulator(t *testing.T, e *accEnv, why string) {
	t.Helper()
	if e.Emulator == nil {
		t.Skip("emulator only: " + why)
	}
}

// ---- unique names and MACs ----------------------------------------------

const accNamePrefix = "tfacc"

// randomString returns n random lower-case letters and digits.
func randomString(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

// uniqueImageName returns "tfacc-<label>-<random>", at most 40 characters.
func uniqueImageName(label string) string {
	name := fmt.Sprintf("%s-%s-%s", accNamePrefix, label, randomString(8))
	if len(name) > imageNameMaxChars {
		name = name[:imageNameMaxChars]
	}
	return name
}

// uniqueHostName returns a valid FOG host name (at most 15 characters of
// [a-z0-9-]): "tfacc-" and 9 random characters.
func uniqueHostName() string { return accNamePrefix + "-" + randomString(9) }

// randomMAC returns a random locally administered unicast MAC address
// (lower case, colons), which no real network card uses.
func randomMAC() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[0] = (b[0] &^ 0x01) | 0x02 // unicast, locally administered
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5])
}

// ---- fixtures created through fogclient -------------------------------------

// fixtureTimeout bounds each fixture call.
const fixtureTimeout = 2 * time.Minute

// fixtureContext is the context of fixture calls. Tests take one when they
// start and use it in later steps, which a parallel suite on a loaded machine
// can reach minutes later: it has no deadline of its own. Each request is
// bounded by the client's timeout and retry budget, the run by go test's.
func fixtureContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// CreateImage creates an image outside Terraform and deletes it when the
// test ends (unless the test deleted it already).
func (e *accEnv) CreateImage(t *testing.T, in fogclient.ImageCreate) *fogclient.Image {
	t.Helper()
	if in.Name == "" {
		in.Name = uniqueImageName("img")
	}
	if in.Path == "" {
		in.Path = in.Name
	}
	if in.ImageTypeID == 0 {
		in.ImageTypeID = 1
	}
	if in.ImagePartitionTypeID == 0 {
		in.ImagePartitionTypeID = 1
	}
	if in.OSID == 0 {
		in.OSID = 50
	}
	if in.Format == "" {
		in.Format = "5"
	}
	in.Enabled = true
	ctx, cancel := fixtureContext()
	defer cancel()
	img, err := e.Client.CreateImage(ctx, in)
	if err != nil {
		t.Fatalf("fixture: create image %q: %v", in.Name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		if err := e.Client.DeleteImage(ctx, img.ID); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("fixture cleanup: delete image %d: %v", img.ID, err)
		}
	})
	return img
}

// CreateHost creates a host with a random MAC outside Terraform and deletes
// it when the test ends (unless the test deleted it already).
func (e *accEnv) CreateHost(t *testing.T, in fogclient.HostCreate) *fogclient.Host {
	t.Helper()
	if in.Name == "" {
		in.Name = uniqueHostName()
	}
	if len(in.MACs) == 0 {
		in.MACs = []string{randomMAC()}
	}
	ctx, cancel := fixtureContext()
	defer cancel()
	host, err := e.Client.CreateHost(ctx, in)
	if err != nil {
		t.Fatalf("fixture: create host %q: %v", in.Name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := fixtureContext()
		defer cancel()
		if err := e.Client.DeleteHost(ctx, host.ID); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
			t.Errorf("fixture cleanup: delete host %d: %v", host.ID, err)
		}
	})
	return host
}

// GetHost reads a host for assertions, failing the test on error.
func (e *accEnv) GetHost(t *testing.T, id int64) *fogclient.Host {
	t.Helper()
	ctx, cancel := fixtureContext()
	defer cancel()
	h, err := e.Client.GetHost(ctx, id)
	if err != nil {
		t.Fatalf("get host %d: %v", id, err)
	}
	return h
}

// ---- state helpers -------------------------------------------------------------

// captureString is a knownvalue check that stores the value it sees, so a
// later step (PreConfig, CheckDestroy) can use an id Terraform assigned.
func captureString(dst *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		*dst = v
		return nil
	})
}

// checkDestroyed returns a CheckDestroy function that verifies every
// resource of resourceType in the final state is gone from FOG, using
// exists(id) (which returns fogclient.ErrNotFound when it is gone).
func (e *accEnv) checkDestroyed(resourceType string, exists func(ctx context.Context, id int64) error) func(*terraform.State) error {
	return func(s *terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), fixtureTimeout)
		defer cancel()
		for _, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			var id int64
			if _, err := fmt.Sscan(rs.Primary.ID, &id); err != nil {
				return fmt.Errorf("%s: id %q is not a number", resourceType, rs.Primary.ID)
			}
			err := exists(ctx, id)
			switch {
			case errors.Is(err, fogclient.ErrNotFound):
				continue
			case err != nil:
				return fmt.Errorf("%s %d: %w", resourceType, id, err)
			default:
				return fmt.Errorf("%s %d still exists after destroy", resourceType, id)
			}
		}
		return nil
	}
}

// expectError matches an error message that contains each of parts, in
// order. Terraform wraps long diagnostic lines, so any run of spaces in a
// part matches any whitespace; everything else is literal.
func expectError(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// stateCheckFunc runs f as a state check, after the checks listed before it
// (for example captureString), to assert what FOG itself stores.
type stateCheckFunc func() error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// exampleConfig returns the HCL of a documented example under examples/,
// so that a test can apply it exactly as the documentation shows it.
func exampleConfig(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile("../../examples/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// The emulator's normalised routes (fogtest counters and request log) that
// the tests count.
const (
	routeListImages  = "GET /fog/image"
	routeGetImage    = "GET /fog/image/{id}"
	routeListHosts   = "GET /fog/host"
	routeSearchHosts = "GET /fog/host/search/{term}"
	routeGetHost     = "GET /fog/host/{id}"
	routeListMACs    = "GET /fog/macaddressassociation"
	routeActive      = "GET /fog/task/active"
	routeGetTask     = "GET /fog/task/{id}"
	routeListOS      = "GET /fog/os"
	routeCreateTask  = "POST /fog/host/{id}/task"
	routeCancelTask  = "DELETE /fog/task/{id}/cancel"
)
