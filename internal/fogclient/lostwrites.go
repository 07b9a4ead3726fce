// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Writes whose answer was lost.
//
// A POST, PUT or DELETE whose answer never arrives (the connection was reset
// or timed out after the request was sent, or a proxy answered 502, 503 or
// 504) may or may not have been applied: FOG keeps running a request whose
// client went away (ignore_user_abort, fog-api.md 1.7), and a proxy can give
// up on a request that PHP then finishes. Repeating such a write blindly can
// create a second image or start a second deploy; reporting it as failed can
// leave an object nobody manages. So the client settles it by looking:
//
//   - create: look the object up by name (a task: by host and type, among the
//     tasks that were not active before the request). Adopt it when it is
//     exactly what was sent; refuse with *ExistingObjectError when an object
//     of that name differs; send the create again only once the look has
//     confirmed that nothing was created. Because the first request may still
//     be running, a later "Already created" (or, for a task, "Host is already
//     a member of an active task") leads to one more look and the same choice.
//   - update: read the object again; when every change is there it is done,
//     otherwise the PUT is rebuilt from what FOG has now and sent again (a
//     PUT carries full values, so sending it once more is harmless once the
//     object has been read).
//   - delete: read the object again; gone is success, otherwise send the
//     delete again.
//   - cancel: the task must be in the active list again, just before every
//     cancel that is sent; not active any more is success.
//
// A write is sent at most 1+Config.MaxRetries times. When the look itself fails, or
// the write still has not landed after the last send, the error has Kind
// ErrOutcomeUnknown. Every lost answer is logged (method, route, status).

// beforeResend decides whether a write whose answer was lost, and which a
// look showed had not landed, may be sent again: at most Config.MaxRetries
// times, like any request that is safe to repeat, after the same backoff.
// sends is how often it was sent so far.
func (c *Client) beforeResend(ctx context.Context, sends int, lost error, what string) error {
	if sends > c.http.RetryMax {
		return outcomeUnknown(lost, errStillMissing(what, sends))
	}
	t := time.NewTimer(backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, sends-1, nil))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return outcomeUnknown(lost, fmt.Errorf("the request was not sent again: %w", ctx.Err()))
	}
}

// answerLost reports whether err leaves it open whether FOG applied a write:
// the request may have reached the server, and no FOG answer came back.
func answerLost(err error) bool {
	var fe *Error
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
	default:
		return false
	}
	switch {
	case errors.Is(fe.Kind, ErrNoResponse):
		// A dial that failed sent nothing (and was retried already).
		return !neverSent(fe.Err)
	case errors.Is(fe.Kind, ErrUnavailable),
		errors.Is(fe.Kind, context.DeadlineExceeded),
		errors.Is(fe.Kind, context.Canceled):
		return true
	}
	return false
}

// noteLostAnswer logs a lost answer before the client looks at the server.
func (c *Client) noteLostAnswer(ctx context.Context, err error, next string) {
	var fe *Error
	if !errors.As(err, &fe) {
		return
	}
	c.log(ctx, LevelWarn, "FOG's answer to a write was lost; "+next,
		map[string]any{"method": fe.Method, "route": fe.Route, "status": fe.Status, "cause": fmt.Sprint(fe.Kind)})
}

// outcomeUnknown is the error when a lost answer could not be settled.
func outcomeUnknown(lost error, why error) error {
	var fe *Error
	if !errors.As(lost, &fe) {
		return lost
	}
	cause := fmt.Sprint(fe.Kind)
	if fe.Err != nil {
		cause += ": " + fe.Err.Error()
	}
	return &Error{Kind: ErrOutcomeUnknown, Method: fe.Method, Route: fe.Route, Status: fe.Status,
		Err: fmt.Errorf("the answer was lost (%s), and %w", cause, why)}
}

// errStillMissing explains why the client gave up sending a write again.
func errStillMissing(what string, sends int) error {
	return fmt.Errorf("%s was still not there after %d attempts", what, sends)
}

// ---- creates of objects FOG names uniquely ----------------------------------------

// namedClass is a class of objects FOG names uniquely (images, hosts), as a
// create whose answer was lost looks for them.
type namedClass[T any] struct {
	class  string // "image"
	decode func([]byte) (*T, error)
	find   func(ctx context.Context, name string) ([]T, error) // by name, case-insensitively
	key    func(*T) (id int64, name string)
}

// createByName sends the create of an object and settles a lost answer by
// looking the object up by name. FOG's answer itself is checked too: when
// it does not hold what was sent (differences), another create of the same
// name won a race for the same row, and this one must not believe it
// succeeded.
func createByName[T any](ctx context.Context, c *Client, o namedClass[T], name, path string, body map[string]any,
	differences func(*T) []Difference) (*T, error) {
	var lost error
	for sends := 1; ; sends++ {
		obj, err := writeObject(ctx, c, http.MethodPost, path, body, o.decode)
		switch {
		case err == nil:
			if diff := differences(obj); len(diff) > 0 {
				id, objName := o.key(obj)
				return nil, &ExistingObjectError{Class: o.class, ID: id, Name: objName, Differences: diff, Raced: true,
					Method: http.MethodPost, Route: c.route(path)}
			}
			return obj, nil
		case lost != nil && errors.Is(err, ErrAlreadyExists):
			// The lost request created it after all, after the last look.
			obj, done, lerr := lookForCreated(ctx, c, o, name, lost, differences)
			if !done {
				return nil, outcomeUnknown(lost, fmt.Errorf("FOG answered \"Already created\" but lists no %s named %q", o.class, name))
			}
			return obj, lerr
		case !answerLost(err):
			return nil, err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "looking the "+o.class+" up by name")
		if obj, done, lerr := lookForCreated(ctx, c, o, name, lost, differences); done {
			return obj, lerr
		}
		c.noteLostAnswer(ctx, err, "the "+o.class+" does not exist; sending the create again")
		if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("%s %q", o.class, name)); werr != nil {
			return nil, werr
		}
	}
}

// lookForCreated looks for the object a create whose answer was lost would
// have made, and adopts the one that is exactly what was sent. done is false
// when no object of that name exists.
func lookForCreated[T any](ctx context.Context, c *Client, o namedClass[T], name string, lost error,
	differences func(*T) []Difference) (obj *T, done bool, err error) {
	found, err := o.find(ctx, name)
	if err != nil {
		return nil, true, outcomeUnknown(lost, fmt.Errorf("looking the %s up failed: %w", o.class, err))
	}
	if len(found) == 0 {
		return nil, false, nil
	}
	for i := range found {
		if len(differences(&found[i])) == 0 {
			id, _ := o.key(&found[i])
			c.log(ctx, LevelWarn, "found the "+o.class+" the lost create made; using it", map[string]any{"id": id})
			return &found[i], true, nil
		}
	}
	var fe *Error
	errors.As(lost, &fe)
	id, objName := o.key(&found[0])
	return nil, true, &ExistingObjectError{Class: o.class, ID: id, Name: objName, Differences: differences(&found[0]),
		Method: fe.Method, Route: fe.Route, Cause: lost}
}

// resendUntilLanded sends a PUT; when its answer is lost it rereads the
// object: landed means done, otherwise reread returns the PUT rebuilt from
// what FOG has now, which is sent again.
func resendUntilLanded[T any](ctx context.Context, c *Client, body map[string]any,
	send func(map[string]any) (T, error), reread func() (T, map[string]any, bool, error)) (T, error) {
	var zero T
	for sends := 1; ; sends++ {
		got, err := send(body)
		if err == nil || !answerLost(err) {
			return got, err
		}
		c.noteLostAnswer(ctx, err, "reading the object again")
		cur, next, landed, rerr := reread()
		switch {
		case rerr != nil:
			return zero, outcomeUnknown(err, fmt.Errorf("reading the object again failed: %w", rerr))
		case landed:
			return cur, nil
		}
		c.noteLostAnswer(ctx, err, "the change did not land; sending it again")
		if werr := c.beforeResend(ctx, sends, err, "the change"); werr != nil {
			return zero, werr
		}
		body = next
	}
}

// deleteObject sends a DELETE; when its answer is lost it reads the object
// again (get returns ErrNotFound when it is gone): gone is success,
// otherwise the DELETE is sent again. A 404 to a repeated DELETE means the
// lost one did it.
func (c *Client) deleteObject(ctx context.Context, path string, get func(context.Context) error) error {
	for sends := 1; ; sends++ {
		_, err := c.do(ctx, call{method: http.MethodDelete, path: path})
		switch {
		case err == nil:
			return nil
		case sends > 1 && errors.Is(err, ErrNotFound):
			return nil
		case !answerLost(err):
			return err
		}
		c.noteLostAnswer(ctx, err, "checking whether the object is gone")
		gerr := get(ctx)
		switch {
		case errors.Is(gerr, ErrNotFound):
			return nil
		case gerr != nil:
			return outcomeUnknown(err, fmt.Errorf("checking whether it is gone failed: %w", gerr))
		}
		c.noteLostAnswer(ctx, err, "the object still exists; sending the delete again")
		if werr := c.beforeResend(ctx, sends, err, "the delete"); werr != nil {
			return werr
		}
	}
}
