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

// Sentinel errors. Every error returned for an HTTP exchange is an *Error whose
// Kind is one of these, so callers can write errors.Is(err, fogclient.ErrNotFound).
var (
	// ErrNotFound: 404. FOG also answers 404 for "zombie" rows that exist in
	// lists but fail validation on load (fog-api.md 4.7).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: 401, the user token (or HTTP Basic credentials) was rejected.
	ErrUnauthorized = errors.New("user token rejected")
	// ErrForbidden: 403, the global API token was rejected or missing.
	ErrForbidden = errors.New("API token rejected")
	// ErrAPIDisabled: 302 to /fog/management/..., FOG_API_ENABLED is off.
	ErrAPIDisabled = errors.New("FOG API disabled")
	// ErrHTTPSRequired: the server redirects the same path to https://.
	ErrHTTPSRequired = errors.New("server requires https")
	// ErrRedirect: any other redirect (never followed).
	ErrRedirect = errors.New("unexpected redirect")
	// ErrAlreadyExists: 500 {"error":"Already created"}.
	ErrAlreadyExists = errors.New("already exists")
	// ErrRequiredField: 417 {"error":"Required database field is empty: <field>"}.
	ErrRequiredField = errors.New("required field missing")
	// ErrTaskRejected: the server refused to create a task (500 with a task
	// error such as "Host is already a member of an active task", or
	// 501 {"error":"Invalid tasking type passed"}).
	ErrTaskRejected = errors.New("task rejected")
	// ErrServerFatal: 500 with an empty text/html body (a PHP fatal error).
	ErrServerFatal = errors.New("server fatal error")
	// ErrNotImplemented: 501 with an empty body (no such route).
	ErrNotImplemented = errors.New("route not supported")
	// ErrUnexpectedContentType: a body that is not application/json, such as
	// a 200 text/html page printed by PHP, or an HTML error page of a proxy.
	ErrUnexpectedContentType = errors.New("unexpected content type")
	// ErrUnexpectedResponse: a status or JSON body shape the client cannot use.
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrUnavailable: 502, 503 or 504 (after any retries).
	ErrUnavailable = errors.New("server unavailable")
	// ErrNoResponse: no HTTP response arrived (connection refused or reset,
	// DNS or TLS failure, timeout), after any retries. Err holds the cause.
	// A request cancelled through its context has Kind ctx.Err() instead
	// (context.Canceled or context.DeadlineExceeded).
	ErrNoResponse = errors.New("no response from the server")
	// ErrOutcomeUnknown: the answer to a write (POST, PUT, DELETE) was lost
	// (connection reset or timeout after the request was sent, or a 502,
	// 503 or 504 from a proxy), and the client could not find out whether
	// FOG applied it: the look at the server failed too, or the write still
	// had not landed after the client sent it again. Err says why.
	ErrOutcomeUnknown = errors.New("outcome unknown")

	// Client-side refusals (no request that would have changed anything was sent).

	// ErrMACInUse: a MAC address belongs to another host; see *MACConflictError.
	ErrMACInUse = errors.New("MAC address belongs to another host")
	// ErrTaskNotActive: CancelTask refused because the task is not in the active list.
	ErrTaskNotActive = errors.New("task is not active")
	// ErrCaseOnlyRename: FOG cannot change only the letter case of a name.
	ErrCaseOnlyRename = errors.New("FOG cannot rename an object by changing only the letter case")
	// ErrInvalidArgument: a value the client refuses to send (for example a malformed MAC).
	ErrInvalidArgument = errors.New("invalid argument")
)

// Error describes a failed exchange with the FOG server: the facts (route,
// status, FOG's own message), never advice, which is the caller's to give.
// It never contains a token, password or Authorization header.
type Error struct {
	// Kind is one of the sentinel errors above; errors.Is matches it.
	Kind error
	// Method and Route identify the request, e.g. "PUT" and "/fog/image/12/edit".
	Method string
	Route  string
	// Status is the HTTP status code, or 0 when no response arrived.
	Status int
	// Message is FOG's own error text ({"error": "..."}), when it sent one.
	Message string
	// Location is the redirect target for 3xx answers.
	Location string
	// Err is an underlying transport or decoding error, if any.
	Err error
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

// Unwrap lets errors.Is match both the Kind and the underlying error.
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

// MACConflictError is returned (wrapped, with Kind ErrMACInUse) when a MAC
// address to be added to a host already belongs to another host. FOG's
// /fog/macaddressassociation route would silently move it (fog-edge-recordings
// B, mac-create-with-other-hosts-primary), so the client refuses instead.
type MACConflictError struct {
	MAC           string
	OwnerHostID   int64
	OwnerHostName string
}

func (e *MACConflictError) Error() string {
	return fmt.Sprintf("MAC address %s belongs to host %q (id %d)", e.MAC, e.OwnerHostName, e.OwnerHostID)
}

func (e *MACConflictError) Unwrap() error { return ErrMACInUse }

// ExistingObjectError is returned (matching ErrAlreadyExists) when a create
// finds an object of the same name that is not what it sent, so the client
// refuses to treat it as its own:
//
//   - after the answer to the create was lost (Cause), the client looked the
//     name up and found an object whose fields differ: someone else's, or a
//     different earlier one;
//   - FOG answered the create with another request's values (Raced): two
//     creates of one name at the same moment can both pass FOG's duplicate
//     check, and its INSERT ... ON DUPLICATE KEY UPDATE then gives both the
//     same row, holding the values of whichever wrote last (edge recordings
//     E, e-concurrent-create-04-a/-b).
type ExistingObjectError struct {
	Class string // "image" or "host"
	ID    int64
	Name  string
	// Differences lists the fields that differ (FOG's field names).
	Differences []Difference
	// Raced is true when FOG's own answer to the create held the other
	// request's values.
	Raced bool
	// Method and Route are the create whose answer was lost or raced.
	Method, Route string
	// Cause is the error of the create whose answer was lost (nil when Raced).
	Cause error
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
	if e.Raced {
		return fmt.Sprintf("%s %s: another create of the same name ran at the same moment and FOG gave both the same row; %s",
			e.Method, e.Route, what)
	}
	return fmt.Sprintf("%s %s: the answer was lost (%v); %s", e.Method, e.Route, e.Cause, what)
}

// Difference is one field of an object that is not what a request sent.
type Difference struct {
	Field string // FOG's field name, e.g. "path" or "imageTypeID"
	Have  string // the value FOG has
	Sent  string // the value the request sent
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %q (sent %q)", d.Field, d.Have, d.Sent)
}

// Unwrap matches ErrAlreadyExists, and the lost answer's error when there is one.
func (e *ExistingObjectError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrAlreadyExists}
	}
	return []error{ErrAlreadyExists, e.Cause}
}

// maxMessageLen bounds how much of FOG's {"error": ...} text an Error keeps.
const maxMessageLen = 300

// classify turns a received response into an *Error, or nil when the status
// is 2xx and the body is JSON the caller may decode. It never reads headers
// other than Location and Content-Type, and never copies the body except
// FOG's own {"error": "..."} message.
func classify(method, route string, reqURL *url.URL, isTask bool, status int, header http.Header, body []byte) error {
	e := &Error{Method: method, Route: route, Status: status}

	// Redirects are never followed (fog-api.md 1.3, recordings
	// system-info-api-disabled and image-list-api-disabled).
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
		// Usually a proxy's HTML page: the content type says nothing about FOG.
		e.Kind = ErrUnavailable
		return e
	case status == http.StatusInternalServerError && ct != "application/json":
		// A PHP fatal error: empty text/html 500 (fog-api.md 4.6, recordings
		// host-create-no-macs, image-names).
		e.Kind = ErrServerFatal
		return e
	case ct != "application/json":
		// Whatever the status: a 200 text/html is PHP printing an error page,
		// a 404 text/html is a web server that is not routing to FOG's API
		// (which must not look like "object deleted").
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

// mediaType returns the lower-case media type of a Content-Type header.
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

// jsonErrorMessage returns the text of a {"error": "..."} body, or "".
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
