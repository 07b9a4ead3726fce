// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

var (
	testRawToken = strings.Repeat("a1b2c3d4", 16)
	testToken    = base64.StdEncoding.EncodeToString([]byte(testRawToken))
	testRawUser  = strings.Repeat("9f8e7d6c", 16)
	testUser     = base64.StdEncoding.EncodeToString([]byte(testRawUser))
)

func TestSchemasAreValid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := New("test")()

	var presp fwprovider.SchemaResponse
	p.Schema(ctx, fwprovider.SchemaRequest{}, &presp)
	if presp.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", presp.Diagnostics)
	}
	if diags := presp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("provider schema: %v", diags)
	}
	for _, newResource := range p.Resources(ctx) {
		var resp resource.SchemaResponse
		newResource().Schema(ctx, resource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() || resp.Diagnostics.HasError() {
			t.Errorf("resource schema: %v %v", resp.Diagnostics, diags)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.SchemaResponse
		newDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() || resp.Diagnostics.HasError() {
			t.Errorf("data source schema: %v %v", resp.Diagnostics, diags)
		}
	}
}

func TestResolveConfig(t *testing.T) {
	t.Parallel()
	base := func() providerModel {
		return providerModel{
			ServerURL: types.StringValue("http://fog.example.com"), APIToken: types.StringValue(testToken),
			UserToken: types.StringValue(testUser), Username: types.StringNull(), Password: types.StringNull(),
			CACertPEM: types.StringNull(), Insecure: types.BoolNull(), RequestTimeout: types.StringNull(),
			MaxRetries: types.Int64Null(), MaxConcurrentRequests: types.Int64Null(),
		}
	}
	cases := []struct {
		name    string
		cfg     func(m *providerModel)
		env     map[string]string
		check   func(t *testing.T, rc resolvedConfig)
		wantErr string
		errPath path.Path
	}{
		{
			name: "defaults",
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.Timeout != 30*time.Second || rc.MaxRetries != 3 || rc.MaxConcurrent != 4 || rc.Insecure || rc.RetryMaxWait != time.Minute || rc.LargeServer {
					t.Errorf("defaults not applied: %+v", rc)
				}
			},
		},
		{
			name: "explicit values win",
			cfg: func(m *providerModel) {
				m.RequestTimeout = types.StringValue("2m")
				m.MaxRetries = types.Int64Value(0)
				m.MaxConcurrentRequests = types.Int64Value(1)
			},
			env: map[string]string{envServerURL: "http://other.example.com"},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.Timeout != 2*time.Minute || rc.MaxRetries != 0 || rc.MaxConcurrent != 1 || rc.ServerURL != "http://fog.example.com" {
					t.Errorf("explicit values not used: %+v", rc)
				}
			},
		},
		{
			name: "everything from the environment",
			cfg: func(m *providerModel) {
				m.ServerURL, m.APIToken, m.UserToken = types.StringNull(), types.StringNull(), types.StringNull()
			},
			env: map[string]string{envServerURL: " https://fog.example.com ", envAPIToken: testToken, envUserToken: testUser},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.ServerURL != "https://fog.example.com" || rc.APIToken != testToken || rc.UserToken != testUser {
					t.Errorf("environment not used: %+v", rc)
				}
			},
		},
		{
			name: "retry_max_wait from the environment",
			env:  map[string]string{envRetryMaxWait: " 5m "},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.RetryMaxWait != 5*time.Minute {
					t.Errorf("retry_max_wait %v, want 5m", rc.RetryMaxWait)
				}
			},
		},
		{
			name: "retry_max_wait 0s turns the budget off, and wins over the environment",
			cfg:  func(m *providerModel) { m.RetryMaxWait = types.StringValue("0s") },
			env:  map[string]string{envRetryMaxWait: "5m"},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.RetryMaxWait != 0 {
					t.Errorf("retry_max_wait %v, want 0", rc.RetryMaxWait)
				}
			},
		},
		{
			name:    "bad retry_max_wait from the environment",
			env:     map[string]string{envRetryMaxWait: "-1s"},
			wantErr: envRetryMaxWait, errPath: path.Root("retry_max_wait"),
		},
		{
			name: "large_server from the environment",
			env:  map[string]string{envLargeServer: " true "},
			check: func(t *testing.T, rc resolvedConfig) {
				if !rc.LargeServer {
					t.Error("large_server not taken from " + envLargeServer)
				}
			},
		},
		{
			name: "large_server false wins over the environment",
			cfg:  func(m *providerModel) { m.LargeServer = types.BoolValue(false) },
			env:  map[string]string{envLargeServer: "true"},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.LargeServer {
					t.Error("large_server = false lost to the environment")
				}
			},
		},
		{
			name:    "bad large_server from the environment",
			env:     map[string]string{envLargeServer: "yes please"},
			wantErr: envLargeServer, errPath: path.Root("large_server"),
		},
		{
			name:    "missing server_url",
			cfg:     func(m *providerModel) { m.ServerURL = types.StringNull() },
			wantErr: envServerURL, errPath: path.Root("server_url"),
		},
		{
			name:    "bad server_url from the environment",
			cfg:     func(m *providerModel) { m.ServerURL = types.StringNull() },
			env:     map[string]string{envServerURL: "fog.example.com"},
			wantErr: "must start with http:// or https://", errPath: path.Root("server_url"),
		},
		{
			name:    "missing api token",
			cfg:     func(m *providerModel) { m.APIToken = types.StringNull() },
			wantErr: "FOG Configuration > FOG Settings > API System", errPath: path.Root("api_token"),
		},
		{
			name:    "raw hex api token from the environment",
			cfg:     func(m *providerModel) { m.APIToken = types.StringNull() },
			env:     map[string]string{envAPIToken: testRawToken},
			wantErr: "128-character hex value", errPath: path.Root("api_token"),
		},
		{
			name:    "raw hex user token from the environment",
			cfg:     func(m *providerModel) { m.UserToken = types.StringNull() },
			env:     map[string]string{envUserToken: testRawUser},
			wantErr: "Users > your user > API Settings", errPath: path.Root("user_token"),
		},
		{
			name:    "blank user token from the environment",
			cfg:     func(m *providerModel) { m.UserToken = types.StringNull() },
			env:     map[string]string{envUserToken: "  "},
			wantErr: "is empty", errPath: path.Root("user_token"),
		},
		{
			name: "basic auth instead of a user token",
			cfg: func(m *providerModel) {
				m.UserToken = types.StringNull()
				m.Username = types.StringValue("fog")
			},
			env: map[string]string{envPassword: "secret"},
			check: func(t *testing.T, rc resolvedConfig) {
				if rc.Username != "fog" || rc.Password != "secret" || rc.UserToken != "" {
					t.Errorf("basic auth not resolved: %+v", rc)
				}
			},
		},
		{
			name:    "username without password",
			cfg:     func(m *providerModel) { m.Username = types.StringValue("fog") },
			wantErr: "needs both username and password", errPath: path.Root("username"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := base()
			if tc.cfg != nil {
				tc.cfg(&m)
			}
			rc, diags := resolveConfig(m, func(k string) string { return tc.env[k] })
			if tc.wantErr == "" {
				if diags.HasError() {
					t.Fatalf("unexpected diagnostics: %v", diags)
				}
				tc.check(t, rc)
				return
			}
			assertDiag(t, diags, tc.errPath, tc.wantErr)
			for _, d := range diags {
				for _, secret := range []string{testRawToken, testToken, testRawUser, testUser} {
					if strings.Contains(d.Detail(), secret) {
						t.Errorf("diagnostic leaks a token: %s", d.Detail())
					}
				}
			}
		})
	}
}

func TestAddStatusError(t *testing.T) {
	t.Parallel()
	rc := resolvedConfig{ServerURL: "http://fog.example.com"}
	fe := func(kind error, status int) error {
		return &fogclient.Error{Kind: kind, Method: "GET", Route: "/fog/system/status", Status: status}
	}
	cases := []struct {
		name    string
		err     error
		rc      resolvedConfig
		path    path.Path
		wantAll []string
	}{
		{"api disabled", fe(fogclient.ErrAPIDisabled, 302), rc, path.Root("server_url"),
			[]string{"API is disabled", "FOG Configuration > FOG Settings > API System", "FOG_API_ENABLED"}},
		{"https", fe(fogclient.ErrHTTPSRequired, 302), rc, path.Root("server_url"),
			[]string{"https://", `"https://fog.example.com"`}},
		{"bad api token", fe(fogclient.ErrForbidden, 403), rc, path.Root("api_token"),
			[]string{"HTTP 403", "FOG Configuration > FOG Settings > API System", "base64"}},
		{"bad user token", fe(fogclient.ErrUnauthorized, 401), rc, path.Root("user_token"),
			[]string{"HTTP 401", "Users > your user > API Settings", "API Enabled"}},
		{"bad basic credentials", fe(fogclient.ErrUnauthorized, 401), resolvedConfig{ServerURL: rc.ServerURL, Username: "fog"},
			path.Root("user_token"), []string{"php-fpm"}},
		{"not fog", fe(fogclient.ErrNotImplemented, 501), rc, path.Root("server_url"),
			[]string{"Unable to connect to the FOG server", "GET /fog/system/status with HTTP 501", "FOG 1.5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			addStatusError(&diags, tc.rc, tc.err)
			for _, want := range tc.wantAll {
				assertDiag(t, diags, tc.path, want)
			}
			for _, d := range diags {
				if d.Summary() != "Unable to connect to the FOG server" || strings.Contains(d.Detail(), d.Summary()) {
					t.Errorf("summary %q, detail %q: want the summary once, not repeated in the detail", d.Summary(), d.Detail())
				}
			}
		})
	}
}

func TestSecretsAreMaskedInLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	root := tflogtest.RootLogger(context.Background(), &buf)

	basic := basicAuthSecret("admin", "hunter2-long")
	data := newProviderData(nil, "http://fog.example.com", testToken, testUser, "hunter2-long", basic)
	ctx := data.LogContext(root)

	tflog.Info(ctx, "token "+testToken+" raw "+testRawToken, map[string]any{
		"user": testUser, "raw_user": testRawUser, "password": "hunter2-long", "auth": "Basic " + basic,
	})
	// The client's line comes with a context that masks nothing: the adapter masks.
	newTflogLogger(data.secrets).Log(root, fogclient.LevelDebug, "request with "+testRawUser,
		map[string]any{"header": testUser, "err": "bad " + testRawToken})

	out := buf.String()
	if !strings.Contains(out, "***") {
		t.Fatalf("nothing was masked: %s", out)
	}
	for _, secret := range []string{testToken, testRawToken, testUser, testRawUser, "hunter2-long", basic} {
		if strings.Contains(out, secret) {
			t.Errorf("log output contains the secret %q:\n%s", secret, out)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("want 2 log entries (provider and fogclient subsystem), got %d: %v", len(entries), entries)
	}
}

// The client's lines are written with the context of the request they are
// about, so they carry its fields (terraform-plugin-go puts tf_req_id and
// tf_resource_type there), not those of the context Configure had.
func TestClientLogsCarryTheRequestFields(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	configureCtx := tflogtest.RootLogger(context.Background(), &buf)
	ts := httptest.NewServer(fogtest.New(fogtest.Options{}))
	t.Cleanup(ts.Close)

	cfg := fogclient.DefaultConfig()
	cfg.ServerURL = ts.URL
	cfg.APIToken = fogtest.DefaultAPITokenBase64
	cfg.UserToken = fogtest.DefaultUserTokenBase64
	cfg.Logger = newTflogLogger(secretsToMask(cfg.APIToken, cfg.UserToken))
	client, err := fogclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	reqCtx := tflog.SetField(configureCtx, "tf_req_id", "req-42")
	if err := client.Status(reqCtx); err != nil {
		t.Fatal(err)
	}

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, e := range entries {
		if e["@module"] != "provider."+logSubsystem {
			t.Errorf("client line outside the %q subsystem: %v", logSubsystem, e)
			continue
		}
		lines++
		if e["tf_req_id"] != "req-42" {
			t.Errorf("client line without the request's tf_req_id: %v", e)
		}
	}
	if lines == 0 {
		t.Fatalf("no client log lines: %s", buf.String())
	}
}

func TestSecretsToMask(t *testing.T) {
	t.Parallel()
	got := secretsToMask(testToken, "", " ", "plain-password")
	want := map[string]bool{testToken: true, testRawToken: true, "plain-password": true}
	for _, s := range got {
		if s == "" {
			t.Fatal("an empty mask would garble every log line")
		}
		delete(want, s)
	}
	if len(want) > 0 {
		t.Errorf("missing masks: %v (got %q)", want, got)
	}
	if len(got[0]) < len(got[len(got)-1]) {
		t.Errorf("masks must be sorted longest first: %q", got)
	}
}

func assertDiag(t *testing.T, diags diag.Diagnostics, p path.Path, want string) {
	t.Helper()
	for _, d := range diags.Errors() {
		withPath, ok := d.(diag.DiagnosticWithPath)
		if strings.Contains(d.Summary()+"\n"+d.Detail(), want) && (p.Equal(path.Empty()) || (ok && withPath.Path().Equal(p))) {
			return
		}
	}
	t.Errorf("want an error at %s containing %q, got %v", p, want, diags)
}
