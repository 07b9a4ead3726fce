// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
)

// FaultKind names a failure the emulator can inject.
type FaultKind string

const (
	// FaultStatus answers with Status (502, 503 or 504; default 503) and an
	// Apache error page (text/html) without running the handler: the request
	// never reached PHP.
	FaultStatus FaultKind = "status"
	// FaultResetBefore resets the connection before the handler runs: the
	// write is not applied and the client sees a transport error.
	FaultResetBefore FaultKind = "reset-before"
	// FaultResetAfter runs the handler (the write is applied) and then resets
	// the connection: the response is lost.
	FaultResetAfter FaultKind = "reset-after"
	// FaultSlowBody runs the handler and sends the body in small chunks,
	// waiting Delay between them.
	FaultSlowBody FaultKind = "slow-body"
	// FaultPHPWarning runs the handler and prints a PHP warning before the
	// body, as PHP does with display_errors=On. FOG buffers output, so the
	// status and Content-Type set by the handler are kept, and the warning
	// goes through the same whitespace filter as the JSON.
	FaultPHPWarning FaultKind = "php-warning"
	// FaultFatal is an uncaught PHP error with display_errors=Off (the
	// production default): 500, text/html, empty body, handler not run.
	FaultFatal FaultKind = "fatal"
	// FaultFatalDisplayErrors is the same error with display_errors=On:
	// 200, text/html, the PHP error message as the body.
	FaultFatalDisplayErrors FaultKind = "fatal-display-errors"
)

// Duration is a time.Duration that reads and writes JSON as "1.5s" (or a
// number of nanoseconds).
type Duration time.Duration

// MarshalJSON writes the duration as a string such as "1.5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts "1.5s" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		*d = Duration(v)
		return err
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*d = Duration(n)
	return nil
}

// FaultRule selects requests and says what goes wrong with them.
type FaultRule struct {
	// ID is assigned by AddFault.
	ID int `json:"id"`
	// Method matches the HTTP method ("" = any).
	Method string `json:"method,omitempty"`
	// Route is a pattern on the normalised route as counted by Counters,
	// without the method, e.g. "/fog/host/{id}/task" or "/fog/image*"
	// (path.Match syntax; "" or "*" = any).
	Route string    `json:"route,omitempty"`
	Kind  FaultKind `json:"kind"`
	// Status for FaultStatus (502, 503 or 504).
	Status int `json:"status,omitempty"`
	// After skips this many matching requests before the rule fires.
	After int `json:"after,omitempty"`
	// Times limits how often the rule fires (0 = unlimited).
	Times int `json:"times,omitempty"`
	// Probability fires the rule on a matching request with this probability,
	// drawn from the server's seeded random source (0 = always).
	Probability float64 `json:"probability,omitempty"`
	// Delay between body chunks for FaultSlowBody (default 100ms).
	Delay Duration `json:"delay,omitempty"`
	// Message is the PHP warning text (FaultPHPWarning) or error text.
	Message string `json:"message,omitempty"`
	// Matched and Fired count matching requests and injected faults.
	Matched int `json:"matched"`
	Fired   int `json:"fired"`
}

type faultRule struct{ FaultRule }

func (f *faultRule) replacesHandler() bool {
	return f.Kind == FaultStatus || f.Kind == FaultFatal || f.Kind == FaultFatalDisplayErrors
}

var apacheStatusText = map[int]struct{ title, text string }{
	502: {"502 Proxy Error", "<p>The proxy server received an invalid\nresponse from an upstream server.<br />\nThe proxy server could not handle the request<p>Reason: <strong>Error reading from remote server</strong></p></p>\n"},
	503: {"503 Service Unavailable", "<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n"},
	504: {"504 Gateway Timeout", "<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n"},
}

func (f *faultRule) response() *response {
	switch f.Kind {
	case FaultFatal:
		return fatalResp()
	case FaultFatalDisplayErrors:
		msg := f.Message
		if msg == "" {
			msg = "Uncaught Error: emulated fault"
		}
		body := "<br />\n<b>Fatal error</b>:  " + msg + " in <b>/var/www/fog/lib/fog/route.class.php</b> on line <b>1</b><br />\n"
		return &response{status: http.StatusOK, ctype: ctHTML, body: phpOutputFilter([]byte(body))}
	}
	status := f.Status
	if _, ok := apacheStatusText[status]; !ok {
		status = http.StatusServiceUnavailable
	}
	st := apacheStatusText[status]
	h1 := strings.SplitN(st.title, " ", 2)[1]
	body := "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>" + st.title +
		"</title>\n</head><body>\n<h1>" + h1 + "</h1>\n" + st.text + "</body></html>\n"
	return &response{status: status, ctype: "text/html; charset=iso-8859-1", body: []byte(body)}
}

// withPHPWarning prefixes a response with PHP's display_errors=On warning
// markup. Output buffering keeps the headers the handler set.
func withPHPWarning(resp *response, msg string) *response {
	if msg == "" {
		msg = "Undefined property: stdClass::$name"
	}
	prefix := "<br />\n<b>Warning</b>:  " + msg + " in <b>/var/www/fog/lib/fog/route.class.php</b> on line <b>1</b><br />\n"
	n := *resp
	n.body = phpOutputFilter(append([]byte(prefix), resp.body...))
	return &n
}

// AddFault installs a rule and returns its id.
func (s *Server) AddFault(r FaultRule) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultSeq++
	r.ID = s.faultSeq
	r.Matched, r.Fired = 0, 0
	s.faults = append(s.faults, &faultRule{r})
	return r.ID
}

// RemoveFault deletes one rule.
func (s *Server) RemoveFault(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.ID == id {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
			return
		}
	}
}

// ClearFaults removes every rule (the injected counts are kept).
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Faults returns the installed rules with their counters.
func (s *Server) Faults() []FaultRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]FaultRule, len(s.faults))
	for i, f := range s.faults {
		out[i] = f.FaultRule
	}
	return out
}

// FaultsInjected returns how many faults were injected, in total and per kind.
func (s *Server) FaultsInjected() (int64, map[FaultKind]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total int64
	m := map[FaultKind]int64{}
	for k, v := range s.faultsFired {
		m[k] = v
		total += v
	}
	return total, m
}

func routeMatches(pattern, key string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	p := key
	if i := strings.IndexByte(key, ' '); i >= 0 {
		p = key[i+1:]
	}
	if ok, _ := path.Match(pattern, p); ok {
		return true
	}
	return strings.HasSuffix(pattern, "*") && strings.HasPrefix(p, strings.TrimSuffix(pattern, "*"))
}

// pickFault returns the first rule that fires for this request.
func (s *Server) pickFault(method, key string) *faultRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if !routeMatches(f.Route, key) {
			continue
		}
		f.Matched++
		if f.Matched <= f.After {
			continue
		}
		if f.Times > 0 && f.Fired >= f.Times {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && s.rng.Float64() >= f.Probability {
			continue
		}
		f.Fired++
		s.faultsFired[f.Kind]++
		cp := *f
		return &cp
	}
	return nil
}

// resetConn drops the connection without a response; on TCP it sends a RST.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// writeSlow sends the response body in 16-byte chunks with a pause between
// them.
func (s *Server) writeSlow(w http.ResponseWriter, r *http.Request, resp *response, f *faultRule) {
	delay := time.Duration(f.Delay)
	if delay <= 0 {
		delay = 100 * time.Millisecond
	}
	h := w.Header()
	s.setCommonHeaders(h)
	h.Set("Content-Type", resp.ctype)
	if resp.location != "" {
		h.Set("Location", resp.location)
	}
	w.WriteHeader(resp.status)
	flusher, _ := w.(http.Flusher)
	bw := bufio.NewWriterSize(w, 16)
	for i := 0; i < len(resp.body); i += 16 {
		end := i + 16
		if end > len(resp.body) {
			end = len(resp.body)
		}
		_, _ = bw.Write(resp.body[i:end])
		_ = bw.Flush()
		if flusher != nil {
			flusher.Flush()
		}
		if end < len(resp.body) {
			s.opts.Sleep(r.Context(), delay)
			if r.Context().Err() != nil {
				return
			}
		}
	}
}
