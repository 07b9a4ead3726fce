// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Credentials used by every test. They are distinctive so that a test can
// assert that no error or log line ever contains them.
const (
	testAPIToken  = "dGVzdC1hcGktdG9rZW4tU0VDUkVULTEyMw==" // base64("test-api-token-SECRET-123")
	testUserToken = "dGVzdC11c2VyLXRva2VuLVNFQ1JFVC00NTY=" // base64("test-user-token-SECRET-456")
	testUser      = "apiuser"
	testPass      = "hunter2-Pa55w0rd"
)

// secrets lists every string that must never appear in an error or a log.
func secrets() []string {
	return []string{
		testAPIToken, testUserToken, testPass,
		"test-api-token-SECRET-123", "test-user-token-SECRET-456",
		base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPass)),
	}
}

// recordingDirs are the recordings of a real FOG 1.5.9 kept beside the emulator.
var recordingDirs = []string{
	filepath.Join("..", "fogtest", "testdata", "recordings"),
	filepath.Join("..", "fogtest", "testdata", "lifecycle"),
	filepath.Join("..", "fogtest", "testdata", "edge"),
}

// recording is one recorded exchange (the fields the tests use).
type recording struct {
	Name            string            `json:"name"`
	Method          string            `json:"method"`
	Path            string            `json:"path"`
	RequestBody     *string           `json:"request_body"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
}

// loadRecording loads the recording whose file name starts with prefix, e.g.
// "139-host-get-missing".
func loadRecording(t testing.TB, prefix string) recording {
	t.Helper()
	for _, dir := range recordingDirs {
		matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*.json"))
		if len(matches) == 0 {
			continue
		}
		raw, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		var r recording
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %v", matches[0], err)
		}
		return r
	}
	t.Fatalf("no recording %q", prefix)
	return recording{}
}

// allRecordings returns every API recording (not the PXE client's own calls).
func allRecordings(t testing.TB) []recording {
	t.Helper()
	var out []recording
	for _, dir := range recordingDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			if strings.Contains(filepath.Base(f), "-svc-") {
				continue
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var r recording
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, r)
		}
	}
	if len(out) < 300 {
		t.Fatalf("found only %d recordings", len(out))
	}
	return out
}

// write replays the recorded status, headers and body.
func (r recording) write(w http.ResponseWriter) {
	for k, v := range r.ResponseHeaders {
		switch strings.ToLower(k) {
		case "content-length", "connection", "transfer-encoding", "date":
			continue
		}
		w.Header().Set(k, v)
	}
	w.WriteHeader(r.Status)
	_, _ = io.WriteString(w, r.ResponseBody)
}

// withBody returns a copy whose response body is body.
func (r recording) withBody(body string) recording {
	r.ResponseBody = body
	return r
}

// seenRequest is what the fake server received.
type seenRequest struct {
	Method string
	Path   string
	Body   string
	Header http.Header
}

func (s seenRequest) String() string {
	if s.Body == "" {
		return s.Method + " " + s.Path
	}
	return s.Method + " " + s.Path + " " + s.Body
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, body []byte)

// fakeFOG is an httptest server with per-route handlers and a request log.
type fakeFOG struct {
	t      testing.TB
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]handlerFunc
	log    []seenRequest
	// fallback, when set, answers requests no route matches.
	fallback handlerFunc
}

func newFake(t testing.TB) *fakeFOG {
	t.Helper()
	f := &fakeFOG{t: t, routes: map[string]handlerFunc{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFOG) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.EscapedPath()
	f.mu.Lock()
	f.log = append(f.log, seenRequest{Method: r.Method, Path: r.URL.EscapedPath(), Body: string(body), Header: r.Header.Clone()})
	h := f.routes[key]
	if h == nil {
		h = f.fallback
	}
	f.mu.Unlock()
	if h == nil {
		f.t.Errorf("fake FOG: unexpected request %s", key)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotImplemented)
		return
	}
	h(w, r, body)
}

// on routes "METHOD /fog/path" to h.
func (f *fakeFOG) on(method, path string, h handlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[method+" "+path] = h
}

// replay answers "METHOD /fog/path" with a recording.
func (f *fakeFOG) replay(method, path string, rec recording) {
	f.on(method, path, func(w http.ResponseWriter, _ *http.Request, _ []byte) { rec.write(w) })
}

// json answers "GET /fog/path" with 200 and a JSON body.
func (f *fakeFOG) json(path, body string) {
	f.on(http.MethodGet, path, func(w http.ResponseWriter, _ *http.Request, _ []byte) { writeJSON(w, http.StatusOK, body) })
}

func (f *fakeFOG) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.log...)
}

// requestLines returns "METHOD /path body" for each request received.
func (f *fakeFOG) requestLines() []string {
	var out []string
	for _, r := range f.requests() {
		out = append(out, r.String())
	}
	return out
}

// echoImage answers an image create the way FOG does when nothing else
// interferes: the image as it was sent, with the given id (the rest from the
// recording image-create-minimal).
func echoImage(t testing.TB, w http.ResponseWriter, id int64, reqBody []byte) {
	t.Helper()
	writeJSON(w, http.StatusOK, echoImageJSON(t, id, reqBody))
}

// echoImageJSON is the image object echoImage answers with.
func echoImageJSON(t testing.TB, id int64, reqBody []byte) string {
	t.Helper()
	var img map[string]any
	if err := json.Unmarshal([]byte(loadRecording(t, "035-image-create-minimal").ResponseBody), &img); err != nil {
		t.Fatal(err)
	}
	for k, v := range bodyMap(t, string(reqBody)) {
		img[k] = v
	}
	img["id"] = id
	b, err := json.Marshal(img)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// testConfig is a Config for url with tiny backoffs and every credential set.
func testConfig(url string) Config {
	cfg := DefaultConfig()
	cfg.ServerURL = url
	cfg.APIToken = testAPIToken
	cfg.UserToken = testUserToken
	cfg.Username = testUser
	cfg.Password = testPass
	cfg.RetryWaitMin = time.Millisecond
	cfg.RetryWaitMax = 2 * time.Millisecond
	cfg.Timeout = 10 * time.Second
	// Retries while FOG is down are counted, as MaxRetries counts them;
	// the tests of the time budget set one.
	cfg.RetryMaxWait = 0
	// The scripted fakes answer GETs by id; batched reads (coalesce.go)
	// are tested against the emulator.
	cfg.CoalesceWindow = -1
	return cfg
}

func newTestClient(t testing.TB, url string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := testConfig(url)
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bodyMap decodes a JSON object request body.
func bodyMap(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("request body is not a JSON object: %q: %v", s, err)
	}
	return m
}

// assertNoSecrets fails when s contains any credential.
func assertNoSecrets(t testing.TB, s string) {
	t.Helper()
	for _, sec := range secrets() {
		if strings.Contains(s, sec) {
			t.Errorf("%q contains the secret %q", s, sec)
		}
	}
}

func assertLines(t testing.TB, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests sent:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
