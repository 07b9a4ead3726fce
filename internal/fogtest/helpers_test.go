// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// apiClient is a minimal test client speaking to an emulator over HTTP with
// the default tokens.
type apiClient struct {
	t   *testing.T
	srv *Server
	ts  *httptest.Server
	hc  *http.Client
}

func newAPI(t *testing.T, opts Options) *apiClient {
	t.Helper()
	srv := New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &apiClient{t: t, srv: srv, ts: ts, hc: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type apiResp struct {
	status int
	ctype  string
	header http.Header
	body   string
}

func (r apiResp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, r.body)
	}
	return m
}

func (c *apiClient) raw(method, path, body string, hdr map[string]string) (apiResp, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.ts.URL+path, rd)
	if err != nil {
		return apiResp{}, err
	}
	req.Header.Set("fog-api-token", c.srv.APITokenHeader())
	req.Header.Set("fog-user-token", c.srv.UserTokenHeader())
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return apiResp{}, err
	}
	b, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return apiResp{}, err
	}
	return apiResp{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), header: resp.Header, body: string(b)}, nil
}

func (c *apiClient) do(method, path, body string) apiResp {
	c.t.Helper()
	r, err := c.raw(method, path, body, nil)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// must fails the test unless the status matches.
func (c *apiClient) must(status int, method, path, body string) apiResp {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != status {
		c.t.Fatalf("%s %s: status %d, want %d; body %q", method, path, r.status, status, r.body)
	}
	return r
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return int64(x)
	case string: // PHP <= 8.0 mode
		n, err := strconv.ParseInt(x, 10, 64)
		if err == nil {
			return n
		}
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return 0
}

// asObject returns v, a decoded JSON value, as an object; it fails the test
// when v is anything else.
func asObject(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON object", v, v)
	}
	return m
}

// asArray returns v, a decoded JSON value, as an array; it fails the test
// when v is anything else.
func asArray(t *testing.T, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON array", v, v)
	}
	return a
}

// asString returns v, a decoded JSON value, as a string; it fails the test
// when v is anything else.
func asString(t *testing.T, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON string", v, v)
	}
	return s
}

// seedDeploySetup creates an enabled image and a host using it through the
// API and returns their ids.
func seedDeploySetup(t *testing.T, c *apiClient) (imageID, hostID int64) {
	t.Helper()
	img := c.must(200, "POST", "/fog/image", `{"name":"img","path":"img","imageTypeID":1,"osID":9,"isEnabled":"1","toReplicate":"1"}`).json(t)
	imageID = num(t, img["id"])
	h := c.must(200, "POST", "/fog/host", `{"name":"h1","macs":["02:00:00:00:00:01"],"imageID":`+jsonNum(imageID)+`}`).json(t)
	return imageID, num(t, h["id"])
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }
