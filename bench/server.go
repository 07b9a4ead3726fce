// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// server is where a run sends its FOG requests, and how they are counted.
type server interface {
	// URL is the server_url the provider and the loop use.
	URL() string
	Tokens() (api, user string)
	// Prepare leaves n hosts without an image for a run and returns their
	// ids; cleanup removes what Prepare made.
	Prepare(ctx context.Context, n int) (hostIDs []int64, cleanup func(), err error)
	ResetCounters(ctx context.Context) error
	Counters(ctx context.Context) (map[string]int64, error)
	Describe() string
}

// ---- the emulator ---------------------------------------------------------------

// emulator is cmd/fog-emulator running in a process of its own, driven
// through its /_emulator/ admin surface (not counted, no latency).
type emulator struct {
	cmd       *exec.Cmd
	url       string
	apiToken  string
	userToken string
	latency   time.Duration
	workers   int
}

func startEmulator(ctx context.Context, binary string, latency time.Duration, workers int, extra ...string) (*emulator, error) {
	cmd := exec.CommandContext(ctx, binary, append([]string{"-listen", "127.0.0.1:0",
		"-latency", latency.String(), "-workers", fmt.Sprint(workers)}, extra...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulator{cmd: cmd, latency: latency, workers: workers}
	sc := bufio.NewScanner(out)
	for sc.Scan() && (e.url == "" || e.apiToken == "" || e.userToken == "") {
		line := sc.Text()
		switch {
		case e.url == "" && strings.HasPrefix(line, "http://"):
			e.url = line
		case strings.HasPrefix(line, "fog-api-token: "):
			e.apiToken = strings.TrimPrefix(line, "fog-api-token: ")
		case strings.HasPrefix(line, "fog-user-token: "):
			e.userToken = strings.TrimPrefix(line, "fog-user-token: ")
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if e.url == "" || e.apiToken == "" || e.userToken == "" {
		e.stop()
		return nil, errors.New("the emulator did not print its URL and tokens")
	}
	return e, nil
}

func (e *emulator) stop() {
	if e.cmd.Process != nil {
		_ = e.cmd.Process.Signal(os.Interrupt)
		_ = e.cmd.Wait()
	}
}

func (e *emulator) URL() string                { return e.url }
func (e *emulator) Tokens() (api, user string) { return e.apiToken, e.userToken }
func (e *emulator) Describe() string {
	return fmt.Sprintf("FOG emulator (cmd/fog-emulator): %s per request, %d workers", e.latency, e.workers)
}

func (e *emulator) admin(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.url+"/_emulator/"+path, body)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("emulator %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// SetLatency changes the latency (the worker pool stays).
func (e *emulator) SetLatency(ctx context.Context, d time.Duration) error {
	return e.admin(ctx, http.MethodPut, "latency", map[string]any{"latency": d.String(), "workers": e.workers}, nil)
}

func (e *emulator) Prepare(ctx context.Context, n int) ([]int64, func(), error) {
	if err := e.admin(ctx, http.MethodPost, "reset", nil, nil); err != nil {
		return nil, nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		var out struct {
			ID int64 `json:"id"`
		}
		req := map[string]any{
			"name": fmt.Sprintf("bench-%04d", i), "imageID": 0,
			"macs": []string{fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff)},
		}
		if err := e.admin(ctx, http.MethodPost, "hosts", req, &out); err != nil {
			return nil, nil, err
		}
		ids[i] = out.ID
	}
	return ids, func() {}, nil
}

func (e *emulator) ResetCounters(ctx context.Context) error {
	return e.admin(ctx, http.MethodPost, "counters/reset", nil, nil)
}

func (e *emulator) Counters(ctx context.Context) (map[string]int64, error) {
	var out struct {
		Routes map[string]int64 `json:"routes"`
	}
	err := e.admin(ctx, http.MethodGet, "counters", nil, &out)
	return out.Routes, err
}

// ---- a real FOG server, through a counting proxy -------------------------------

// realServer is a FOG server given by FOG_SERVER_URL; every request of a
// run goes through a local reverse proxy that counts it per route, the way
// the emulator counts.
type realServer struct {
	target    *url.URL
	apiToken  string
	userToken string
	client    *fogclient.Client
	proxy     *http.Server
	proxyURL  string

	mu     sync.Mutex
	counts map[string]int64
}

func startRealServer(rawURL, apiToken, userToken string) (*realServer, error) {
	cfg := fogclient.DefaultConfig()
	cfg.ServerURL, cfg.APIToken, cfg.UserToken = rawURL, apiToken, userToken
	client, err := fogclient.New(cfg)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(client.BaseURL()) // ends in /fog
	if err != nil {
		return nil, err
	}
	target := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: strings.TrimSuffix(base.Path, "/fog")}
	s := &realServer{target: target, apiToken: apiToken, userToken: userToken, client: client, counts: map[string]int64{}}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = target.Host
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.proxyURL = "http://" + ln.Addr().String() + target.Path
	s.proxy = &http.Server{ReadHeaderTimeout: 30 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := normaliseRoute(r.Method, strings.TrimPrefix(r.URL.Path, target.Path))
		s.mu.Lock()
		s.counts[route]++
		s.mu.Unlock()
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = s.proxy.Serve(ln) }()
	return s, nil
}

func (s *realServer) stop() { _ = s.proxy.Close() }

func (s *realServer) URL() string                { return s.proxyURL }
func (s *realServer) Tokens() (api, user string) { return s.apiToken, s.userToken }
func (s *realServer) Describe() string {
	return fmt.Sprintf("FOG server %s (through a local counting proxy)", s.client.BaseURL())
}

func (s *realServer) ResetCounters(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int64{}
	return nil
}

func (s *realServer) Counters(context.Context) (map[string]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out, nil
}

// Prepare creates n hosts with unique names and random locally
// administered MACs; cleanup deletes them.
func (s *realServer) Prepare(ctx context.Context, n int) ([]int64, func(), error) {
	tag := randomTag()
	var ids []int64
	cleanup := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		for _, id := range ids {
			if err := s.client.DeleteHost(ctx, id); err != nil && !errors.Is(err, fogclient.ErrNotFound) {
				fmt.Fprintf(os.Stderr, "bench: cleanup: delete host %d: %v\n", id, err)
			}
		}
	}
	for i := range n {
		mac := make([]byte, 6)
		_, _ = rand.Read(mac)
		mac[0] = (mac[0] &^ 0x01) | 0x02
		h, err := s.client.CreateHost(ctx, fogclient.HostCreate{
			Name: fmt.Sprintf("tfb%s-%04d", tag, i),
			MACs: []string{fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5])},
		})
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("creating benchmark host %d of %d: %w", i+1, n, err)
		}
		ids = append(ids, h.ID)
	}
	return ids, cleanup, nil
}

func randomTag() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// normaliseRoute names a request the way the emulator's counters do:
// "GET /fog/image/{id}", "PUT /fog/host/{id}", "POST /fog/image", ...
func normaliseRoute(method, path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 0 || parts[0] != "fog" {
		return method + " (outside /fog)"
	}
	parts = parts[1:]
	var out []string
	for i, p := range parts {
		switch {
		case numeric.MatchString(p):
			out = append(out, "{id}")
		case i == 0:
			out = append(out, p)
		case p == "current":
			out = append(out, "active")
		case p == "list" || p == "all" || p == "create" || p == "new" || p == "edit" || p == "update" || p == "delete" || p == "remove":
			// aliases of the bare route
		default:
			out = append(out, p)
		}
	}
	return method + " /fog/" + strings.Join(out, "/")
}

var numeric = regexp.MustCompile(`^[0-9]+$`)

// sortedRoutes lists counters by count, highest first.
func sortedRoutes(c map[string]int64) []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if c[keys[i]] != c[keys[j]] {
			return c[keys[i]] > c[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
