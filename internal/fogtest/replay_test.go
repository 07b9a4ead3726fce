// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The replay harness shared by the three conformance tests. Each recording
// is sent with exactly its method, path, headers and body; the answer is
// compared on status, Content-Type, Location and body: JSON bodies must have
// the same keys and JSON types everywhere and the same values except where
// they cannot be deterministic (non-zero timestamps, multicast ports), and
// after masking those the raw bytes must be identical too (whitespace
// filter, key order, escaping). Other bodies are compared exactly.

// The recordings' credentials (raw tokens; the files carry their base64).
const (
	recAPIToken   = "realfog-api-token-0001"
	recUserToken  = "realfog-user-token-0001"
	recNoAPIToken = "realfog-noapi-token-0001"
)

type recording struct {
	Name            string            `json:"name"`
	Method          string            `json:"method"`
	Path            string            `json:"path"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"request_headers"`
	RequestBody     *string           `json:"request_body"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	ResponseJSON    json.RawMessage   `json:"response_body_json"`
	Notes           string            `json:"notes"`
}

func loadRecordings(t *testing.T, dir string) []recording {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recordings in testdata/%s: %v", dir, err)
	}
	sort.Strings(files)
	var out []recording
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r recording
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, r)
	}
	return out
}

// recordingOptions configures an emulator like the recorded server.
func recordingOptions() Options {
	return Options{
		APIToken:  recAPIToken,
		UserToken: recUserToken,
		Users:     []User{{Name: "noapi", Password: "noapi-pass", APIToken: recNoAPIToken, AllowAPI: false}},
	}
}

type replayer struct {
	srv    *Server
	ts     *httptest.Server
	client *http.Client
}

func newReplayer(opts Options) *replayer {
	srv := New(opts)
	ts := httptest.NewServer(srv)
	return &replayer{
		srv: srv,
		ts:  ts,
		client: &http.Client{
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func (rp *replayer) close() { rp.ts.Close() }

type result struct {
	status int
	header http.Header
	body   []byte
}

func (rp *replayer) send(rec recording) (*result, error) {
	var body io.Reader
	if rec.RequestBody != nil {
		body = strings.NewReader(*rec.RequestBody)
	}
	req, err := http.NewRequest(rec.Method, rp.ts.URL+rec.Path, body)
	if err != nil {
		return nil, err
	}
	for k, v := range rec.RequestHeaders {
		switch strings.ToLower(k) {
		case "host":
			req.Host = v
		case "content-length":
			// Set by the transport from the body.
		default:
			req.Header[k] = []string{v}
		}
	}
	resp, err := rp.client.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return &result{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

var (
	tsRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
	tsMaskRe = regexp.MustCompile(`"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"`)
	portRe   = regexp.MustCompile(`"port": \d+`)
)

func maskBody(b string) string {
	b = tsMaskRe.ReplaceAllStringFunc(b, func(m string) string {
		if m == `"`+zeroDate+`"` {
			return m
		}
		return `"<TIME>"`
	})
	return portRe.ReplaceAllString(b, `"port": <PORT>`)
}

// compare returns the differences between a recording and an answer.
func compare(rec recording, got *result) []string {
	var diffs []string
	if got.status != rec.Status {
		diffs = append(diffs, fmt.Sprintf("status %d, want %d", got.status, rec.Status))
	}
	if g, w := got.header.Get("Content-Type"), rec.ResponseHeaders["Content-Type"]; g != w {
		diffs = append(diffs, fmt.Sprintf("Content-Type %q, want %q", g, w))
	}
	if g, w := got.header.Get("Location"), rec.ResponseHeaders["Location"]; g != w {
		diffs = append(diffs, fmt.Sprintf("Location %q, want %q", g, w))
	}
	gotBody := string(got.body)
	var want any
	if strings.TrimSpace(rec.ResponseBody) != "" && json.Valid([]byte(rec.ResponseBody)) {
		if err := json.Unmarshal([]byte(rec.ResponseBody), &want); err == nil {
			var have any
			if err := json.Unmarshal(got.body, &have); err != nil {
				diffs = append(diffs, fmt.Sprintf("body is not JSON: %q", truncate(gotBody, 200)))
				return diffs
			}
			reqBody := ""
			if rec.RequestBody != nil {
				reqBody = *rec.RequestBody
			}
			diffs = append(diffs, compareJSON("$", want, have, reqBody)...)
			if len(diffs) == 0 && maskBody(gotBody) != maskBody(rec.ResponseBody) {
				diffs = append(diffs, "raw body differs: "+firstDifference(maskBody(gotBody), maskBody(rec.ResponseBody)))
			}
			return diffs
		}
	}
	if gotBody != rec.ResponseBody {
		diffs = append(diffs, "body differs: "+firstDifference(gotBody, rec.ResponseBody))
	}
	return diffs
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := i - 60
	if lo < 0 {
		lo = 0
	}
	g, w := got[lo:], want[lo:]
	return fmt.Sprintf("at byte %d: got %q, want %q", i, truncate(g, 160), truncate(w, 160))
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// typeDiff reports that have is not of want's JSON type.
func typeDiff(path string, want, have any) []string {
	return []string{fmt.Sprintf("%s: %s %s, want %s %s", path, jsonType(have), truncate(fmt.Sprint(have), 80), jsonType(want), truncate(fmt.Sprint(want), 80))}
}

func compareJSON(path string, want, have any, reqBody string) []string {
	if jsonType(want) != jsonType(have) {
		return typeDiff(path, want, have)
	}
	// Equal jsonTypes already imply the assertions below hold; they are
	// checked so that a change to jsonType reports a mismatch, not a panic.
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return typeDiff(path, want, have)
		}
		for k := range w {
			if _, ok := h[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: missing key %q", path, k))
			}
		}
		for k := range h {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: extra key %q", path, k))
			}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if hv, ok := h[k]; ok {
				diffs = append(diffs, compareJSON(path+"."+k, w[k], hv, reqBody)...)
			}
		}
	case []any:
		h, ok := have.([]any)
		if !ok {
			return typeDiff(path, want, have)
		}
		if len(w) != len(h) {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, len(h), len(w))}
		}
		for i := range w {
			diffs = append(diffs, compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], h[i], reqBody)...)
		}
	case string:
		h, ok := have.(string)
		if !ok {
			return typeDiff(path, want, have)
		}
		if h == w {
			break
		}
		// A non-zero timestamp depends on when the request ran, unless the
		// client sent it.
		if tsRe.MatchString(w) && w != zeroDate && !strings.Contains(reqBody, w) && tsRe.MatchString(h) && h != zeroDate {
			break
		}
		diffs = append(diffs, fmt.Sprintf("%s: %q, want %q", path, truncate(h, 120), truncate(w, 120)))
	case float64:
		if strings.HasSuffix(path, ".port") {
			break // random multicast port
		}
		h, ok := have.(float64)
		if !ok {
			return typeDiff(path, want, have)
		}
		if w != h {
			diffs = append(diffs, fmt.Sprintf("%s: %v, want %v", path, have, w))
		}
	default:
		if fmt.Sprint(want) != fmt.Sprint(have) {
			diffs = append(diffs, fmt.Sprintf("%s: %v, want %v", path, have, want))
		}
	}
	return diffs
}

// tally collects the outcome of one replayed set.
type tally struct {
	label    string
	total    int
	ok       int
	failures []string
	skipped  []string
}

func (tl *tally) check(t *testing.T, rec recording, got *result, err error) {
	t.Helper()
	if err != nil {
		tl.failures = append(tl.failures, rec.Name+": "+err.Error())
		t.Errorf("%s: %v", rec.Name, err)
		return
	}
	if d := compare(rec, got); len(d) > 0 {
		if len(d) > 6 {
			d = append(d[:6], fmt.Sprintf("... %d more", len(d)-6))
		}
		tl.failures = append(tl.failures, rec.Name+": "+strings.Join(d, "; "))
		t.Errorf("%s %s %s:\n  %s", rec.Name, rec.Method, rec.Path, strings.Join(d, "\n  "))
		return
	}
	tl.ok++
}

var (
	summaryMu    sync.Mutex
	summaryLines []string
)

func (tl *tally) report() {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %d/%d recordings reproduced\n", tl.label, tl.ok, tl.total)
	for _, s := range tl.skipped {
		fmt.Fprintf(&b, "  skipped %s\n", s)
	}
	for _, f := range tl.failures {
		fmt.Fprintf(&b, "  FAILED %s\n", truncate(f, 300))
	}
	summaryMu.Lock()
	summaryLines = append(summaryLines, b.String())
	summaryMu.Unlock()
	fmt.Print(b.String())
}

func TestMain(m *testing.M) {
	code := m.Run()
	os.Exit(code)
}
