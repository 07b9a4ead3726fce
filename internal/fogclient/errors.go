// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Kinds of *Error, for errors.Is(err, fogclient.ErrNotFound).
var (
	// ErrNotFound also covers "zombie" rows that lists show but that fail
	// validation on load (reference/fog-api.md §4.7).
	ErrNotFound      = errors.New("not found")
	ErrUnauthorized  = errors.New("user token rejected") // 401
	ErrForbidden     = errors.New("API token rejected")  // 403
	ErrAPIDisabled   = errors.New("FOG API disabled")    // 302 to /fog/management/...
	ErrHTTPSRequired = errors.New("server requires https")
	ErrRedirect      = errors.New("unexpected redirect")
	ErrAlreadyExists = errors.New("already exists")         // 500 {"error":"Already created"}
	ErrRequiredField = errors.New("required field missing") // 417
	// ErrTaskRejected: 500 with a task error ("Host is already a member of an
	// active task") or 501 {"error":"Invalid tasking type passed"}.
	ErrTaskRejected          = errors.New("task rejected")
	ErrServerFatal           = errors.New("server fatal error")  // 500 with an empty text/html body
	ErrNotImplemented        = errors.New("route not supported") // 501 with an empty body
	ErrUnexpectedContentType = errors.New("unexpected content type")
	ErrUnexpectedResponse    = errors.New("unexpected response")
	ErrUnavailable           = errors.New("server unavailable") // 502, 503, 504 after the retries
	// ErrNoResponse: no answer arrived; Err holds the cause. A cancelled
	// request has Kind ctx.Err() instead.
	ErrNoResponse = errors.New("no response from the server")
	// ErrOutcomeUnknown: a write's answer was lost, and looking at the server
	// did not settle whether FOG applied it (lostwrites.go). Err says why.
	ErrOutcomeUnknown = errors.New("outcome unknown")

	// Refusals of the client, before anything was changed.
	ErrMACInUse        = errors.New("MAC address belongs to another host") // *MACConflictError
	ErrTaskNotActive   = errors.New("task is not active")
	ErrCaseOnlyRename  = errors.New("FOG cannot rename an object by changing only the letter case")
	ErrInvalidArgument = errors.New("invalid argument")
)

// Error describes a failed exchange with the FOG server: the facts (route,
// status, FOG's own message), never advice, which is the caller's to give.
// It never contains a token, password or Authorization header.
type Error struct {
	Kind     error  // one of the Err* kinds
	Method   string // e.g. "PUT"
	Route    string // e.g. "/fog/image/12/edit"
	Status   int    // 0 when no answer arrived
	Message  string // FOG's {"error": "..."} text
	Location string // a redirect's target
	Err      error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s %s", e.Method, e.Route)
	if e.Status != 0 {
		msg += fmt.Sprintf(": HTTP %d", e.Status)
	}
	if e.Kind != nil {
		msg += ": " + e.Kind.Error()
	}
	if e.Message != "" {
		msg += fmt.Sprintf(": %q", e.Message)
	}
	if e.Location != "" {
		msg += " (redirect to " + e.Location + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// MACConflictError refuses a MAC that belongs to another host, which FOG would
// silently move (edge recordings B, mac-create-with-other-hosts-primary).
type MACConflictError struct {
	MAC           string
	OwnerHostID   int64
	OwnerHostName string
}

func (e *MACConflictError) Error() string {
	return fmt.Sprintf("MAC address %s belongs to host %q (id %d)", e.MAC, e.OwnerHostName, e.OwnerHostID)
}

func (e *MACConflictError) Unwrap() error { return ErrMACInUse }

// ExistingObjectError (an ErrAlreadyExists) refuses an object of the created
// name that is not what the create sent: found after the answer was lost
// (Cause), or in FOG's own answer when two creates of one name raced for the
// same row (Raced; edge recordings E, e-concurrent-create-04-a/-b), or later,
// by FindCreatedImage or FindCreatedHost (neither).
type ExistingObjectError struct {
	Class         string // "image" or "host"
	ID            int64
	Name          string
	Differences   []Difference
	Raced         bool
	Method, Route string // the create
	Cause         error  // the lost answer's error; nil when Raced or found later
}

func (e *ExistingObjectError) Error() string {
	diffs := make([]string, len(e.Differences))
	for i, d := range e.Differences {
		diffs[i] = d.String()
	}
	article := "a"
	if strings.ContainsAny(e.Class[:min(1, len(e.Class))], "aeiou") {
		article = "an"
	}
	what := fmt.Sprintf("FOG has %s %s named %q (id %d) that differs from the one requested: %s",
		article, e.Class, e.Name, e.ID, strings.Join(diffs, ", "))
	switch {
	case e.Raced:
		return fmt.Sprintf("%s %s: another create of the same name ran at the same moment and FOG gave both the same row; %s",
			e.Method, e.Route, what)
	case e.Cause == nil:
		return fmt.Sprintf("%s %s: the outcome of an earlier create was unknown; %s", e.Method, e.Route, what)
	}
	return fmt.Sprintf("%s %s: the answer was lost (%v); %s", e.Method, e.Route, e.Cause, what)
}

// Difference is a field whose value is not what a request sent.
type Difference struct {
	Field string // FOG's name, e.g. "imageTypeID"
	Have  string
	Sent  string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %q (sent %q)", d.Field, d.Have, d.Sent)
}

func (e *ExistingObjectError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrAlreadyExists}
	}
	return []error{ErrAlreadyExists, e.Cause}
}

const maxMessageLen = 300

// classify turns an answer into an *Error, or nil for a 2xx JSON answer. It
// copies nothing of the body but FOG's {"error": "..."} message.
func classify(method, route string, reqURL *url.URL, isTask bool, status int, header http.Header, body []byte) error {
	e := &Error{Method: method, Route: route, Status: status}

	// Recordings system-info-api-disabled, image-list-api-disabled (reference/fog-api.md §1.3).
	if status >= 300 && status < 400 {
		e.Kind = ErrRedirect
		loc := header.Get("Location")
		target, err := reqURL.Parse(loc)
		if err != nil || loc == "" {
			return e
		}
		target.User = nil
		e.Location = target.String()
		switch {
		case strings.Contains(target.Path, "/management/"):
			e.Kind = ErrAPIDisabled
		case target.Scheme == "https" && reqURL.Scheme == "http" &&
			strings.TrimRight(target.Path, "/") == strings.TrimRight(reqURL.Path, "/"):
			e.Kind = ErrHTTPSRequired
		}
		return e
	}

	ct := mediaType(header.Get("Content-Type"))
	switch {
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		// Usually a proxy's HTML page.
		e.Kind = ErrUnavailable
		return e
	case status == http.StatusInternalServerError && ct != "application/json":
		// A PHP fatal error (reference/fog-api.md §4.6, recordings host-create-no-macs, image-names).
		e.Kind = ErrServerFatal
		return e
	case ct != "application/json":
		// A 404 text/html is a web server not routing to FOG's API, which
		// must not look like "object deleted".
		e.Kind = ErrUnexpectedContentType
		e.Err = fmt.Errorf("Content-Type %q", ct)
		return e
	case status >= 200 && status < 300:
		return nil
	}

	e.Message = jsonErrorMessage(body)
	switch status {
	case http.StatusUnauthorized:
		e.Kind = ErrUnauthorized
	case http.StatusForbidden:
		e.Kind = ErrForbidden
	case http.StatusNotFound:
		e.Kind = ErrNotFound
	case http.StatusExpectationFailed:
		e.Kind = ErrRequiredField
	case http.StatusInternalServerError:
		switch {
		case e.Message == "Already created":
			e.Kind = ErrAlreadyExists
		case e.Message == "":
			e.Kind = ErrServerFatal
		case isTask:
			e.Kind = ErrTaskRejected
		default:
			e.Kind = ErrUnexpectedResponse
		}
	case http.StatusNotImplemented:
		switch {
		case e.Message == "":
			e.Kind = ErrNotImplemented
		case isTask || strings.Contains(strings.ToLower(e.Message), "tasking type"):
			e.Kind = ErrTaskRejected
		default:
			e.Kind = ErrNotImplemented
		}
	default:
		e.Kind = ErrUnexpectedResponse
	}
	return e
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "invalid"
	}
	return strings.ToLower(mt)
}

func jsonErrorMessage(body []byte) string {
	var env map[string]json.RawMessage
	if len(body) == 0 || json.Unmarshal(body, &env) != nil {
		return ""
	}
	return truncate(errorMessageOf(env), maxMessageLen)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
