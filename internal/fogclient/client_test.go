// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestServerURLForms(t *testing.T) {
	for in, want := range map[string]string{
		"http://fog.example.com":             "http://fog.example.com/fog",
		"http://fog.example.com/":            "http://fog.example.com/fog",
		"http://fog.example.com/fog":         "http://fog.example.com/fog",
		"http://fog.example.com/fog/":        "http://fog.example.com/fog",
		" https://fog.example.com:8443/fog ": "https://fog.example.com:8443/fog",
		"https://example.com/imaging":        "https://example.com/imaging/fog",
		"https://example.com/imaging/fog//":  "https://example.com/imaging/fog",
		"http://[2001:db8::1]:8080/fog":      "http://[2001:db8::1]:8080/fog",
	} {
		cfg := testConfig(in)
		c, err := New(cfg)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := c.BaseURL(); got != want {
			t.Errorf("BaseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every accepted form reaches the same route on the wire.
func TestServerURLFormsOnTheWire(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/system/status", loadRecording(t, "002-system-status-ok"))
	for _, suffix := range []string{"", "/", "/fog", "/fog/"} {
		if err := newTestClient(t, f.srv.URL+suffix).Status(context.Background()); err != nil {
			t.Errorf("%q: %v", suffix, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, mod := range map[string]func(*Config){
		"no server URL":         func(c *Config) { c.ServerURL = "" },
		"no scheme":             func(c *Config) { c.ServerURL = "fog.example.com" },
		"ftp scheme":            func(c *Config) { c.ServerURL = "ftp://fog.example.com" },
		"query":                 func(c *Config) { c.ServerURL = "http://fog.example.com/?x=1" },
		"credentials in URL":    func(c *Config) { c.ServerURL = "http://" + testUser + ":" + testPass + "@fog.example.com" },
		"no API token":          func(c *Config) { c.APIToken = " " },
		"no user credentials":   func(c *Config) { c.UserToken, c.Username, c.Password = "", "", "" },
		"password without user": func(c *Config) { c.UserToken, c.Username = testUserToken, "" },
		"token with a newline":  func(c *Config) { c.UserToken = "abc\ndef" },
		"negative timeout":      func(c *Config) { c.Timeout = -1 },
		"negative retries":      func(c *Config) { c.MaxRetries = -1 },
		"negative concurrency":  func(c *Config) { c.MaxConcurrent = -1 },
		"CA and insecure":       func(c *Config) { c.Insecure = true; c.CACertPEM = "x" },
		"CA that is not PEM":    func(c *Config) { c.CACertPEM = "not a certificate" },
	} {
		cfg := testConfig("http://fog.example.com")
		mod(&cfg)
		_, err := New(cfg)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
			continue
		}
		assertNoSecrets(t, err.Error())
	}
}

func TestDefaults(t *testing.T) {
	cfg := DefaultConfig()
	if cfg.Timeout.Seconds() != 30 || cfg.MaxRetries != 3 || cfg.MaxConcurrent != 4 || cfg.RetryMaxWait != DefaultRetryMaxWait || DefaultRetryMaxWait.Seconds() != 60 {
		t.Errorf("defaults %+v", cfg)
	}
	cfg = testConfig("http://fog.example.com")
	cfg.Timeout, cfg.MaxConcurrent, cfg.RetryWaitMin, cfg.RetryWaitMax = 0, 0, 0, 0
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lt, ok := c.http.HTTPClient.Transport.(*limitTransport)
	if !ok {
		t.Fatalf("transport %T", c.http.HTTPClient.Transport)
	}
	if cap(lt.sem) != DefaultMaxConcurrent || lt.timeout != DefaultTimeout ||
		c.http.RetryWaitMin != DefaultRetryWaitMin || c.http.RetryWaitMax != DefaultRetryWaitMax {
		t.Errorf("zero values not defaulted")
	}
}

func TestRequestHeaders(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/system/status", loadRecording(t, "002-system-status-ok"))
	f.replay("POST", "/fog/image/create", loadRecording(t, "035-image-create-minimal"))
	c := newTestClient(t, f.srv.URL)
	if err := c.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateImage(context.Background(), ImageCreate{Name: "img-minimal", Path: "img-minimal", ImageTypeID: 1, OSID: 9}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	for _, r := range reqs {
		// Tokens go out exactly as configured: the base64 form the UI shows.
		if r.Header.Get("fog-api-token") != testAPIToken || r.Header.Get("fog-user-token") != testUserToken {
			t.Errorf("tokens sent: %q %q", r.Header.Get("fog-api-token"), r.Header.Get("fog-user-token"))
		}
		if got := r.Header.Get("Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPass)) {
			t.Errorf("Authorization %q", got)
		}
		if got := r.Header.Get("User-Agent"); got != "fogclient/"+Version {
			t.Errorf("User-Agent %q", got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept %q", got)
		}
	}
	if ct := reqs[0].Header.Get("Content-Type"); ct != "" || reqs[0].Body != "" {
		t.Errorf("GET without filter sent a body (%q, %q)", ct, reqs[0].Body)
	}
	if ct := reqs[1].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("POST Content-Type %q", ct)
	}
	// The create body carries every field explicitly and never "hosts".
	body := bodyMap(t, reqs[1].Body)
	want := []string{"compress", "description", "format", "imagePartitionTypeID", "imageTypeID", "isEnabled", "name", "osID", "path", "protected", "toReplicate"}
	if got := keys(body); !reflect.DeepEqual(got, want) {
		t.Errorf("create keys %v, want %v", got, want)
	}
}

func TestUserTokenOnlyAndCustomUserAgent(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/system/status", loadRecording(t, "002-system-status-ok"))
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.Username, cfg.Password = "", ""
		cfg.UserAgent = "terraform-provider-fog/1.2.3"
	})
	if err := c.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	if r.Header.Get("Authorization") != "" || r.Header.Get("User-Agent") != "terraform-provider-fog/1.2.3" {
		t.Errorf("headers %v", r.Header)
	}
}

func TestStatusNeedsTheSuccessBody(t *testing.T) {
	f := newFake(t)
	f.json("/fog/system/status", `{"count":0,"images":[]}`)
	if err := newTestClient(t, f.srv.URL).Status(context.Background()); !errors.Is(err, ErrUnexpectedResponse) {
		t.Errorf("err = %v", err)
	}
}

func TestTLS(t *testing.T) {
	ok := loadRecording(t, "002-system-status-ok")
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { ok.write(w) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted handshake is expected
	srv.StartTLS()
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	err := newTestClient(t, srv.URL).Status(context.Background())
	if !errors.Is(err, ErrNoResponse) || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted server: err = %v", err)
	}
	if err := newTestClient(t, srv.URL, func(c *Config) { c.CACertPEM = caPEM }).Status(context.Background()); err != nil {
		t.Errorf("with CA: %v", err)
	}
	if err := newTestClient(t, srv.URL, func(c *Config) { c.Insecure = true }).Status(context.Background()); err != nil {
		t.Errorf("insecure: %v", err)
	}
}

// The default transport, also with TLS settings, keeps proxies from the
// environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
func TestProxyFromEnvironmentKept(t *testing.T) {
	for name, mod := range map[string]func(*Config){
		"default":           func(*Config) {},
		"with TLS settings": func(c *Config) { c.Insecure = true },
		"http client":       func(c *Config) { c.Transport = &http.Transport{Proxy: http.ProxyFromEnvironment} },
	} {
		cfg := testConfig("https://fog.example.com")
		mod(&cfg)
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		lt, _ := c.http.HTTPClient.Transport.(*limitTransport)
		tr, ok := lt.next.(*http.Transport)
		if !ok {
			t.Fatalf("%s: base transport %T", name, lt.next)
		}
		if tr.Proxy == nil || reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
			t.Errorf("%s: proxy from environment lost", name)
		}
	}
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/image", loadRecording(t, "226-fog-root-slash")) // 302 ./management/index.php
	f.on("GET", "/fog/management/index.php", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		t.Error("redirect followed")
	})
	_, err := newTestClient(t, f.srv.URL).ListImages(context.Background())
	var fe *Error
	if !errors.As(err, &fe) || !errors.Is(err, ErrAPIDisabled) || fe.Location != f.srv.URL+"/fog/management/index.php" {
		t.Errorf("err = %v (%+v)", err, fe)
	}
}

func TestLogsNeverCarrySecretsOrBodies(t *testing.T) {
	logs := &captureLogger{}
	f := newFake(t)
	f.replay("GET", "/fog/task/1", loadRecording(t, "173-task-get-by-id"))
	f.replay("GET", "/fog/host/1", loadRecording(t, "372-c-host-get-after-create"))
	f.replay("GET", "/fog/system/status", loadRecording(t, "004-system-info-wrong-api-token"))
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.Logger = logs })
	ctx := context.Background()
	if _, err := c.GetTask(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetHost(ctx, 1); err != nil {
		t.Fatal(err)
	}
	_ = c.Status(ctx)
	all := logs.all()
	for _, want := range []string{"GET", "/fog/task/1", "200", "403", "duration"} {
		if !strings.Contains(all, want) {
			t.Errorf("logs lack %q:\n%s", want, all)
		}
	}
	assertNoSecrets(t, all)
	for _, leak := range []string{"fogftppass", "p&ss", "AB&CD", "host-a", "deploy-img", "fog-api-token"} {
		if strings.Contains(all, leak) {
			t.Errorf("logs contain %q:\n%s", leak, all)
		}
	}
}

// Every log line is written with the context of the request it is about, so
// a caller's logger can carry that request's fields (Terraform's tf_req_id).
func TestLogsCarryTheRequestContext(t *testing.T) {
	type key struct{}
	logs := &captureLogger{}
	f := newFake(t)
	list := loadRecording(t, "064-image-list-nonempty")
	h, _ := failFirst(1, status(http.StatusServiceUnavailable), func(w http.ResponseWriter, _ *http.Request, _ []byte) { list.write(w) })
	f.on("GET", "/fog/image", h)
	f.on("DELETE", "/fog/image/3", func(w http.ResponseWriter, _ *http.Request, _ []byte) { hangUp(t, w) })
	f.replay("GET", "/fog/image/3", loadRecording(t, "060-image-get-missing-999999"))
	c := newTestClient(t, f.srv.URL, noKeepAlive, func(cfg *Config) { cfg.Logger = logs })

	ctx := context.WithValue(context.Background(), key{}, "request-1")
	if _, err := c.ListImages(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteImage(ctx, 3); err != nil {
		t.Fatal(err)
	}
	all := logs.all()
	for _, msg := range []string{"FOG request", "FOG request attempt", "FOG request attempt failed", "FOG request retry",
		"FOG request failed without a response", "FOG's answer to a write was lost; checking whether the object is gone"} {
		if logs.count(msg) == 0 {
			t.Errorf("no %q line:\n%s", msg, all)
		}
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for i, lctx := range logs.ctxs {
		if lctx.Value(key{}) != "request-1" {
			t.Errorf("line %q was logged without the request's context", logs.lines[i])
		}
	}
}

func TestSearchHostsSendsTheTermRaw(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.replay("GET", "/fog/host/search/my+host", loadRecording(t, "142-host-search-no-match"))
	f.replay("GET", "/fog/host/search/00:11:22:33:44:0c", loadRecording(t, "141-host-search-by-mac"))
	c := newTestClient(t, f.srv.URL)
	if _, err := c.SearchHosts(ctx, " my  host "); err != nil {
		t.Fatal(err)
	}
	hosts, err := c.SearchHosts(ctx, "00:11:22:33:44:0c")
	if err != nil || len(hosts) != 1 || hosts[0].Name != "host-c" {
		t.Fatalf("%+v %v", hosts, err)
	}
}

// TestInvalidSearchChars: what SearchHosts refuses, character by
// character, so that a configuration can be checked before any request.
func TestInvalidSearchChars(t *testing.T) {
	for term, want := range map[string][]string{
		"00:11:22":        nil,
		" lab  01 ":       nil,
		"R&D(lab)*":       nil,
		"   ":             nil, // blank: refused by SearchHosts, reported by the caller's own check
		"50%?":            {"%", "?"},
		"a/b/c":           {"/"},
		"caf\u00e9 \"x\"": {"\u00e9", "\""},
	} {
		if got := InvalidSearchChars(term); !slices.Equal(got, want) {
			t.Errorf("InvalidSearchChars(%q) = %q, want %q", term, got, want)
		}
		if len(want) == 0 {
			continue
		}
		if _, err := (&Client{}).SearchHosts(context.Background(), term); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("SearchHosts(%q): %v, want ErrInvalidArgument", term, err)
		}
	}
	for _, r := range SearchTermPunctuation {
		if bad := InvalidSearchChars(string(r)); bad != nil {
			t.Errorf("%q is documented as allowed, InvalidSearchChars says %q", r, bad)
		}
	}
}

func TestFindByNameAndID(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	// A server that ignores the filter body: the client still filters.
	f.replay("GET", "/fog/image", loadRecording(t, "064-image-list-nonempty"))
	f.replay("GET", "/fog/host", loadRecording(t, "136-host-list"))
	c := newTestClient(t, f.srv.URL)
	imgs, err := c.FindImagesByName(ctx, "IMG-FULL")
	if err != nil || len(imgs) != 1 || imgs[0].ID != 3 {
		t.Fatalf("%+v %v", imgs, err)
	}
	imgs, err = c.ListImagesByID(ctx, []int64{1, 3, 99})
	if err != nil || len(imgs) != 2 {
		t.Fatalf("%+v %v", imgs, err)
	}
	hosts, err := c.FindHostsByName(ctx, "HOST-B")
	if err != nil || len(hosts) != 1 || hosts[0].ID != 2 {
		t.Fatalf("%+v %v", hosts, err)
	}
	hosts, err = c.ListHostsByID(ctx, []int64{2, 3})
	if err != nil || len(hosts) != 2 {
		t.Fatalf("%+v %v", hosts, err)
	}
	all, err := c.ListHosts(ctx)
	if err != nil || len(all) != 7 {
		t.Fatalf("%d hosts, %v", len(all), err)
	}
	assertLines(t, f.requestLines(), []string{
		`GET /fog/image {"name":"IMG-FULL"}`,
		`GET /fog/image {"id":[1,3,99]}`,
		`GET /fog/host {"name":"HOST-B"}`,
		`GET /fog/host {"id":[2,3]}`,
		`GET /fog/host`,
	})
	if imgs, err := c.ListImagesByID(ctx, nil); err != nil || imgs != nil {
		t.Errorf("no ids: %v %v", imgs, err)
	}
}

func TestDeletes(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.replay("DELETE", "/fog/image/4", loadRecording(t, "099-image-delete-bare"))
	f.replay("DELETE", "/fog/host/5", loadRecording(t, "214-host-delete-again"))
	c := newTestClient(t, f.srv.URL)
	if err := c.DeleteImage(ctx, 4); err != nil {
		t.Error(err)
	}
	if err := c.DeleteHost(ctx, 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
}
