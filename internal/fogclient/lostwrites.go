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

// A write whose answer was lost (reset, timeout, a proxy's 502/503/504) may
// have been applied: FOG keeps running a request whose client went away
// (ignore_user_abort, reference/fog-api.md §1.7). Sending it again blindly can create a
// second image or deploy; reporting a failure can orphan an object. So the
// client looks: a create adopts the object of that name (a task: the new one
// of its host and type) when it is exactly what was sent; an update is read
// back; a delete is done when the object is gone; a cancel is sent again only
// to a task still active. The first request may still be running, so a later
// "Already created" means one more look. A write is sent at most
// 1+Config.MaxRetries times; a look that fails gives ErrOutcomeUnknown. The
// write, its looks and its resends share one retry budget
// (Config.RetryMaxWait): a look while FOG restarts waits for it.

// beforeResend waits the backoff before a write that did not land is sent
// again, or refuses after Config.MaxRetries resends.
func (c *Client) beforeResend(ctx context.Context, sends int, lost error, what string) error {
	if sends > c.maxRetries {
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

// answerLost: a write may have reached FOG, and no answer of FOG came back.
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
		// A failed dial sent nothing (and was retried already).
		return !neverSent(fe.Err)
	case errors.Is(fe.Kind, ErrUnavailable),
		errors.Is(fe.Kind, context.DeadlineExceeded),
		errors.Is(fe.Kind, context.Canceled):
		return true
	}
	return false
}

func (c *Client) noteLostAnswer(ctx context.Context, err error, next string) {
	var fe *Error
	if !errors.As(err, &fe) {
		return
	}
	c.log(ctx, LevelWarn, "FOG's answer to a write was lost; "+next,
		map[string]any{"method": fe.Method, "route": fe.Route, "status": fe.Status, "cause": fmt.Sprint(fe.Kind)})
}

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

func errStillMissing(what string, sends int) error {
	return fmt.Errorf("%s was still not there after %d attempts", what, sends)
}

// namedClass is a class FOG names uniquely (images, hosts), for createByName.
type namedClass[T any] struct {
	class  string
	decode func([]byte) (*T, error)
	find   func(ctx context.Context, name string) ([]T, error) // by name, case-insensitively
	key    func(*T) (id int64, name string)
}

// createByName sends a create and settles a lost answer by name. An answer
// that differs from what was sent means another create of the name won the
// race for the same row.
func createByName[T any](ctx context.Context, c *Client, o namedClass[T], name, path string, body map[string]any,
	differences func(*T) []Difference) (*T, error) {
	ctx = c.withRetryBudget(ctx)
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

// lookForCreated adopts the object of name that is exactly what was sent;
// done is false when none of that name exists.
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

// findCreated is the look after a create whose outcome stayed unknown,
// made later (the next refresh): the object of name that is exactly what
// was sent, by lookForCreated's rule; nil when FOG has none of that name,
// an *ExistingObjectError when the one it has differs.
func findCreated[T any](ctx context.Context, c *Client, o namedClass[T], name, path string,
	differences func(*T) []Difference) (*T, error) {
	found, err := o.find(ctx, name)
	if err != nil {
		return nil, err
	}
	for i := range found {
		if len(differences(&found[i])) == 0 {
			return &found[i], nil
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	id, objName := o.key(&found[0])
	return nil, &ExistingObjectError{Class: o.class, ID: id, Name: objName, Differences: differences(&found[0]),
		Method: http.MethodPost, Route: c.route(path)}
}

// FindCreatedImage looks for the image a create whose outcome stayed unknown
// (ErrOutcomeUnknown) may have made: the image named in.Name that is exactly
// in, nil when FOG has no image of that name, an *ExistingObjectError when
// the one it has differs. createdBy and createdTime are not compared: any
// client can write them, and FOG's name upsert renews them, so they prove
// nothing about who made it.
func (c *Client) FindCreatedImage(ctx context.Context, in ImageCreate) (*Image, error) {
	images := namedClass[Image]{class: "image", find: c.FindImagesByName,
		key: func(img *Image) (int64, string) { return img.ID, img.Name }}
	return findCreated(ctx, c, images, in.Name, "/image/create",
		func(img *Image) []Difference { return imageCreateDiff(img, in) })
}

// FindCreatedHost is FindCreatedImage for a host: the host named in.Name
// with what was sent, the primary MAC included.
func (c *Client) FindCreatedHost(ctx context.Context, in HostCreate) (*Host, error) {
	macs, err := normalizeMACList(in.MACs)
	if err != nil {
		return nil, err
	}
	in.MACs = macs
	hosts := namedClass[Host]{class: "host", find: c.FindHostsByName,
		key: func(h *Host) (int64, string) { return h.ID, h.Name }}
	return findCreated(ctx, c, hosts, in.Name, "/host/create",
		func(h *Host) []Difference { return hostCreateDiff(h, in) })
}

// resendUntilLanded sends a PUT; after a lost answer reread says whether it
// landed, or returns the PUT rebuilt from what FOG now has.
func resendUntilLanded[T any](ctx context.Context, c *Client, body map[string]any,
	send func(context.Context, map[string]any) (T, error), reread func(context.Context) (T, map[string]any, bool, error)) (T, error) {
	ctx = c.withRetryBudget(ctx)
	var zero T
	for sends := 1; ; sends++ {
		got, err := send(ctx, body)
		if err == nil || !answerLost(err) {
			return got, err
		}
		c.noteLostAnswer(ctx, err, "reading the object again")
		cur, next, landed, rerr := reread(ctx)
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

// deleteObject sends a DELETE; after a lost answer, gone (get returns
// ErrNotFound) is success. A 404 to a resent DELETE means the lost one did it.
func (c *Client) deleteObject(ctx context.Context, path string, get func(context.Context) error) error {
	ctx = c.withRetryBudget(ctx)
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
