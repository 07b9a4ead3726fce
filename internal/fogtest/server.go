// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default credentials of a fresh emulator. The raw tokens are 128 lower-case
// hex characters like FOG's; clients send the base64 forms.
const (
	// DefaultAPIToken is the raw global API token (globalSettings.FOG_API_TOKEN).
	DefaultAPIToken = "3d3af5905b5e3db3ff31ac547c7c57cb9d9fbc1ac9818ad35dcee3386a7be713650848ad43a8539b13bc556c5e4020cc7f1167a30bb72a556d4e7ce8278c8642"
	// DefaultAPITokenBase64 is what a client sends in fog-api-token.
	DefaultAPITokenBase64 = "M2QzYWY1OTA1YjVlM2RiM2ZmMzFhYzU0N2M3YzU3Y2I5ZDlmYmMxYWM5ODE4YWQzNWRjZWUzMzg2YTdiZTcxMzY1MDg0OGFkNDNhODUzOWIxM2JjNTU2YzVlNDAyMGNjN2YxMTY3YTMwYmI3MmE1NTZkNGU3Y2U4Mjc4Yzg2NDI="
	// DefaultUserToken is the raw API token of the default user "fog".
	DefaultUserToken = "31a1203ce4e7d5416200b9731c6f19bacaacae75aaabe015497aa36610dcb44a89622c1381c782d08bd5c91c19d8fd677fab098eeb1f84356c9379c1e9f057e4"
	// DefaultUserTokenBase64 is what a client sends in fog-user-token.
	DefaultUserTokenBase64 = "MzFhMTIwM2NlNGU3ZDU0MTYyMDBiOTczMWM2ZjE5YmFjYWFjYWU3NWFhYWJlMDE1NDk3YWEzNjYxMGRjYjQ0YTg5NjIyYzEzODFjNzgyZDA4YmQ1YzkxYzE5ZDhmZDY3N2ZhYjA5OGVlYjFmODQzNTZjOTM3OWMxZTlmMDU3ZTQ="
	// DefaultUsername and DefaultPassword are the seeded web/Basic user.
	DefaultUsername = "fog"
	DefaultPassword = "password"
	// DefaultWorkers is the size of the emulated php-fpm worker pool.
	DefaultWorkers = 10
	// DefaultNodeIP is the storage node address seeded into node 1.
	DefaultNodeIP = "127.0.0.1"
	// DefaultFTPUser and DefaultFTPPassword are storage node 1's FTP
	// credentials (exposed by storagenode and task.storagenode, like FOG).
	DefaultFTPUser     = "fogproject"
	DefaultFTPPassword = "fogftppass"
)

// User is a row of FOG's users table.
type User struct {
	Name     string
	Password string
	// APIToken is the raw per-user API token ("" = none, never matches).
	APIToken string
	// AllowAPI is users.uAllowAPI; a token of a user without it gives 401.
	AllowAPI bool
}

// AutoProgress drives queued tasks forward without a PXE client. Zero values
// disable each trigger.
type AutoProgress struct {
	// EveryPolls advances a task one step each time it has been shown this
	// many times by the API (GET by id, task lists, active lists).
	EveryPolls int `json:"everyPolls"`
	// Every advances each active task one step per elapsed interval of the
	// server clock (checked on every request; no background goroutine).
	Every time.Duration `json:"every"`
}

// Options configures a Server. The zero value is a stock FOG 1.5.9 on PHP 8.1+
// behind php-fpm with the API enabled.
type Options struct {
	// APIToken is the raw global API token (default DefaultAPIToken).
	APIToken string
	// UserToken is the raw API token of user "fog" (default DefaultUserToken).
	UserToken string
	// Password of user "fog" (default DefaultPassword).
	Password string
	// Users are additional users (for example one without API access).
	Users []User
	// BasicAuthReachesPHP models mod_php, where the Authorization header
	// reaches PHP and HTTP Basic works. The default (false) is the installer's
	// php-fpm layout: Basic credentials are never seen and give 401.
	BasicAuthReachesPHP bool
	// PHPStrings renders every database-sourced value as a JSON string (PHP <= 8.0).
	PHPStrings bool
	// APIDisabled starts with FOG_API_ENABLED=0 (every API call answers 302).
	APIDisabled bool
	// Latency is how long each request holds a worker before it is handled.
	Latency time.Duration
	// Workers is the worker pool size (default DefaultWorkers); requests
	// beyond it queue.
	Workers int
	// Now is the server clock (default time.Now). Times are printed in the
	// location of the returned time.
	Now func() time.Time
	// Sleep waits for d or until ctx is done (default: a timer). Tests
	// replace it to hold requests in the pool without real delays.
	Sleep func(ctx context.Context, d time.Duration)
	// Seed seeds the random source used for multicast ports and fault
	// probabilities (default 1).
	Seed int64
	// AutoProgress enables automatic task progression.
	AutoProgress AutoProgress
	// KeepAlive lets connections be reused; FOG's vhost has KeepAlive Off, so
	// by default every response carries Connection: close.
	KeepAlive bool
	// NodeIP is storage node 1's address (default DefaultNodeIP).
	NodeIP string
	// RecordRequests keeps a log of every request below /fog (Requests),
	// bodies included, for tests that assert what a client sent.
	RecordRequests bool
	// ListRowCost is the time a host list or search holds its worker per
	// rendered host (FOG loads and renders every row in PHP: about 1 ms per
	// host on a stock 1.5.9). 0: free. See SetListRowCost.
	ListRowCost time.Duration
	// ListMaxRows is the most hosts a list can render before PHP's
	// memory_limit is exhausted: a host list that would render more answers
	// FOG's PHP fatal (500, empty text/html body). 0: unlimited. See
	// SetListMaxRows.
	ListMaxRows int
}

// Server is an in-memory FOG 1.5.9 web server: the REST API under /fog, the
// PXE client pages under /fog/service, and the admin surface under
// /_emulator. It is safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time

	mu          sync.Mutex // guards db and everything below
	db          *database
	users       []User
	basicPHP    bool
	ftpDown     bool
	macIdx      map[int64][]int64 // hostID -> hostMAC row ids (cache)
	macIdxGen   int64
	macIdxTable *table
	wolSent     int64
	raceN       int
	race        *raceGroup
	progress    AutoProgress
	rng         *rand.Rand
	faults      []*faultRule
	faultSeq    int
	faultsFired map[FaultKind]int64
	counters    map[string]int64
	requests    []Request

	total atomic.Int64
	pool  *workerPool

	latency        atomic.Int64 // time.Duration
	listRowCost    atomic.Int64 // time.Duration, SetListRowCost
	listMaxRows    atomic.Int64 // SetListMaxRows
	runawayTimeout atomic.Int64 // time.Duration, SetRunawayTimeout

	outage outageState // guarded by mu (outage.go)
}

// New returns a Server with a freshly seeded database.
func New(opts Options) *Server {
	if opts.APIToken == "" {
		opts.APIToken = DefaultAPIToken
	}
	if opts.UserToken == "" {
		opts.UserToken = DefaultUserToken
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.NodeIP == "" {
		opts.NodeIP = DefaultNodeIP
	}
	s := &Server{
		opts:        opts,
		now:         opts.Now,
		basicPHP:    opts.BasicAuthReachesPHP,
		progress:    opts.AutoProgress,
		rng:         rand.New(rand.NewSource(opts.Seed)),
		faultsFired: map[FaultKind]int64{},
		counters:    map[string]int64{},
		pool:        newWorkerPool(opts.Workers),
	}
	s.users = append([]User{{Name: DefaultUsername, Password: opts.Password, APIToken: opts.UserToken, AllowAPI: true}}, opts.Users...)
	s.latency.Store(int64(opts.Latency))
	s.SetListRowCost(opts.ListRowCost)
	s.SetListMaxRows(opts.ListMaxRows)
	s.db = s.seed()
	if opts.APIDisabled {
		s.setSettingLocked("FOG_API_ENABLED", "0")
	}
	return s
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// APITokenHeader is the fog-api-token value a client must send (the base64
// of globalSettings.FOG_API_TOKEN).
func (s *Server) APITokenHeader() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return EncodeToken(s.settingLocked("FOG_API_TOKEN"))
}

// UserTokenHeader is the fog-user-token value for user "fog".
func (s *Server) UserTokenHeader() string { return EncodeToken(s.opts.UserToken) }

// response is a fully rendered HTTP answer; faults may rewrite it.
type response struct {
	status   int
	ctype    string
	body     []byte
	location string
	extra    map[string]string
	runaway  bool // PHP never answers: held, then Apache's 504 (waitRunaway)
	// cost is extra time the answer holds its worker after the handler
	// (rendering a large list: ListRowCost), spent outside the database lock.
	cost time.Duration
}

const (
	ctJSON      = "application/json"
	ctHTML      = "text/html; charset=UTF-8"
	ctPlainIPXE = "text/plain;charset=UTF-8"
)

func (s *Server) jsonResp(status int, v any) *response {
	return &response{status: status, ctype: ctJSON, body: encodePHP(v, s.opts.PHPStrings)}
}

// emptyResp is FOG's HTTPResponseCodes::breakHead without a message: the
// status, the JSON content type and no body (403, 401, 404, 501).
func emptyResp(status int) *response { return &response{status: status, ctype: ctJSON} }

// fatalResp is an uncaught PHP error with display_errors Off.
func fatalResp() *response { return &response{status: http.StatusInternalServerError, ctype: ctHTML} }

func errorResp(s *Server, status int, msg string) *response {
	return s.jsonResp(status, newObj().set("error", msg))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
		s.serveAdmin(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	_ = r.Body.Close()
	rawURI := r.RequestURI
	if rawURI == "" {
		rawURI = r.URL.RequestURI()
	}
	if i := strings.Index(rawURI, "://"); i > 0 && !strings.Contains(rawURI[:i], "/") {
		// absolute-form request target: keep the path and query
		rest := rawURI[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			rawURI = rest[j:]
		} else {
			rawURI = "/"
		}
	}
	rt := classify(r.Method, rawURI)
	s.total.Add(1)
	s.mu.Lock()
	s.counters[rt.key]++
	s.mu.Unlock()
	logged := &Request{Method: r.Method, Route: rt.key, Path: rawURI, Body: string(body)}
	if s.opts.RecordRequests {
		defer s.recordRequest(logged)
	}

	// A server that is down answers before PHP (outage.go).
	epoch, down, mode, status := s.outageAtArrival(r.Method)
	if down {
		logged.Fault = FaultOutageDown
		if mode == OutageRefuse {
			resetConn(w)
			return
		}
		resp := (&faultRule{FaultRule{Kind: FaultStatus, Status: status}}).response()
		logged.Status = resp.status
		s.write(w, resp)
		return
	}

	ctx := r.Context()
	p := s.pool
	if !p.acquire(ctx) {
		return
	}
	defer p.release()
	if d := time.Duration(s.latency.Load()); d > 0 {
		s.opts.Sleep(ctx, d)
	}

	f := s.pickFault(r.Method, rt.key)
	if f != nil {
		logged.Fault = f.Kind
	}
	if f != nil && f.Kind == FaultResetBefore {
		resetConn(w)
		return
	}
	var resp *response
	if f != nil && f.replacesHandler() {
		resp = f.response()
	} else {
		resp = s.handle(r, rawURI, body, rt)
	}
	if resp.cost > 0 {
		s.opts.Sleep(ctx, resp.cost)
	}
	if resp.runaway {
		if resp = s.waitRunaway(ctx, r); resp == nil {
			return // the client gave up first
		}
	}
	if s.outageCut(epoch) {
		// PHP finished what it started; the client never hears of it.
		logged.Fault = FaultOutageCut
		resetConn(w)
		return
	}
	logged.Status = resp.status
	if f != nil {
		switch f.Kind {
		case FaultPHPWarning:
			resp = withPHPWarning(resp, f.Message)
		case FaultResetAfter:
			resetConn(w)
			return
		case FaultSlowBody:
			s.writeSlow(w, r, resp, f)
			return
		}
	}
	s.write(w, resp)
}

func (s *Server) setCommonHeaders(h http.Header) {
	h.Set("X-Frame-Options", "sameorigin")
	h.Set("X-XSS-Protection", "1; mode=block")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Strict-Transport-Security", "max-age=31536000")
	h.Set("Content-Security-Policy", "default-src 'none';script-src 'self' 'unsafe-eval';connect-src 'self';img-src 'self' data:;style-src 'self' 'unsafe-inline';font-src 'self';")
	if !s.opts.KeepAlive {
		h.Set("Connection", "close")
	}
}

func (s *Server) write(w http.ResponseWriter, resp *response) {
	h := w.Header()
	s.setCommonHeaders(h)
	for k, v := range resp.extra {
		h.Set(k, v)
	}
	if resp.ctype != "" {
		h.Set("Content-Type", resp.ctype)
	}
	if resp.location != "" {
		h.Set("Location", resp.location)
	}
	w.WriteHeader(resp.status)
	if len(resp.body) > 0 {
		_, _ = w.Write(resp.body)
	}
}

// handle dispatches one request below /fog.
func (s *Server) handle(r *http.Request, rawURI string, body []byte, rt route) *response {
	path := cleanPath(rawURI)
	switch {
	case path == "/fog":
		return apacheMovedPermanently(r)
	case path == "/fog/":
		return &response{status: http.StatusFound, ctype: ctHTML, location: "./management/index.php"}
	case strings.HasPrefix(path, "/fog/management"):
		return s.handleManagement(r)
	case strings.HasPrefix(path, "/fog/service/"):
		return s.handleService(rawURI, path, body)
	case strings.HasPrefix(path, "/fog/"):
		return s.handleAPI(r, body, rt)
	}
	return apacheNotFound()
}

func hostHeader(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return "localhost"
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// apacheMovedPermanently is Apache's DirectorySlash redirect for /fog.
func apacheMovedPermanently(r *http.Request) *response {
	loc := scheme(r) + "://" + hostHeader(r) + "/fog/"
	body := "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n" +
		"<html><head>\n<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n" +
		"<p>The document has moved <a href=\"" + loc + "\">here</a>.</p>\n</body></html>\n"
	return &response{status: http.StatusMovedPermanently, ctype: "text/html; charset=iso-8859-1", body: []byte(body), location: loc}
}

func apacheNotFound() *response {
	body := "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n" +
		"<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n" +
		"<p>The requested URL was not found on this server.</p>\n</body></html>\n"
	return &response{status: http.StatusNotFound, ctype: "text/html; charset=iso-8859-1", body: []byte(body)}
}

// handleManagement answers the web UI's login form (recording
// web-login-form-post): a POST redirects to the dashboard. A session cookie
// never authenticates API calls in the emulator (recording
// system-info-web-session-cookie-only got 403).
func (s *Server) handleManagement(r *http.Request) *response {
	if r.Method == http.MethodPost {
		return &response{status: http.StatusFound, ctype: ctHTML, location: "index.php?node=home"}
	}
	page := "<!DOCTYPE html><html><head><title>Login</title></head><body><form method=\"post\" action=\"index.php?node=home\">" +
		"<input name=\"uname\"><input name=\"upass\" type=\"password\"><input type=\"submit\" name=\"login\"></form></body></html>"
	return &response{status: http.StatusOK, ctype: ctHTML, body: []byte(page)}
}
