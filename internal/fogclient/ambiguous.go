// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

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

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
func (c *Client) noteLostAnswer(err error, next string) {
	var fe *Error
	if c.logger == nil || !errors.As(err, &fe) {
		return
	}
	c.logger.Warn("FOG's answer to a write was lost; "+next, "method", fe.Method, "route", fe.Route,
		"status", fe.Status, "cause", fmt.Sprint(fe.Kind))
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
		c.noteLostAnswer(err, "looking the "+o.class+" up by name")
		if obj, done, lerr := lookForCreated(ctx, c, o, name, lost, differences); done {
			return obj, lerr
		}
		c.noteLostAnswer(err, "the "+o.class+" does not exist; sending the create again")
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
			if c.logger != nil {
				id, _ := o.key(&found[i])
				c.logger.Warn("found the "+o.class+" the lost create made; using it", "id", id)
			}
			return &found[i], true, nil
		}
	}
	var fe *Error
	errors.As(lost, &fe)
	id, objName := o.key(&found[0])
	return nil, true, &ExistingObjectError{Class: o.class, ID: id, Name: objName, Differences: differences(&found[0]),
		Method: fe.Method, Route: fe.Route, Cause: lost}
}

// ---- images ----------------------------------------------------------------------

// createImage sends the create of an image; a lost answer is settled by
// looking the image up by name.
func (c *Client) createImage(ctx context.Context, in ImageCreate, body map[string]any) (*Image, error) {
	images := namedClass[Image]{class: "image", decode: decodeImage, find: c.FindImagesByName,
		key: func(img *Image) (int64, string) { return img.ID, img.Name }}
	return createByName(ctx, c, images, in.Name, "/image/create", body,
		func(img *Image) []Difference { return imageCreateDiff(img, in) })
}

// imageCreateDiff lists how img differs from what a create sent, comparing
// strings the way FOG stores and returns them.
func imageCreateDiff(img *Image, in ImageCreate) []Difference {
	var d diff
	d.str("name", img.Name, in.Name)
	d.str("path", img.Path, in.Path)
	d.str("description", img.Description, in.Description)
	d.num("imageTypeID", img.ImageTypeID, in.ImageTypeID)
	d.num("imagePartitionTypeID", img.ImagePartitionTypeID, in.ImagePartitionTypeID)
	d.num("osID", img.OSID, in.OSID)
	d.str("format", img.Format, in.Format)
	d.num("compress", img.Compress, in.Compress)
	d.flag("isEnabled", img.Enabled, in.Enabled)
	d.flag("toReplicate", img.Replicate, in.Replicate)
	d.flag("protected", img.Protected, in.Protected)
	return d
}

// imageUpdateLanded reports whether img has every change of in.
func imageUpdateLanded(img *Image, in ImageUpdate) bool {
	var d diff
	d.strP("name", img.Name, in.Name)
	d.strP("path", img.Path, in.Path)
	d.strP("description", img.Description, in.Description)
	d.numP("imageTypeID", img.ImageTypeID, in.ImageTypeID)
	d.numP("imagePartitionTypeID", img.ImagePartitionTypeID, in.ImagePartitionTypeID)
	d.numP("osID", img.OSID, in.OSID)
	d.strP("format", img.Format, in.Format)
	d.numP("compress", img.Compress, in.Compress)
	d.flagP("isEnabled", img.Enabled, in.Enabled)
	d.flagP("toReplicate", img.Replicate, in.Replicate)
	d.flagP("protected", img.Protected, in.Protected)
	return len(d) == 0
}

// putImage sends an image update and settles a lost answer by reading the
// image again.
func (c *Client) putImage(ctx context.Context, id int64, in ImageUpdate, body map[string]any) (*Image, error) {
	editPath := idPath("image", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(body map[string]any) (*Image, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeImage)
		},
		func() (*Image, map[string]any, bool, error) {
			path := idPath("image", id, "")
			var w imageWire
			raw, err := c.getObject(ctx, path, &w)
			if err != nil {
				return nil, nil, false, err
			}
			img := w.image()
			if imageUpdateLanded(&img, in) {
				return &img, nil, true, nil
			}
			next, err := imageUpdateBody(raw, img.Name, in)
			if err != nil {
				return nil, nil, false, c.decodeFailure(http.MethodGet, path, err)
			}
			return nil, next, false, nil
		})
}

// ---- hosts ------------------------------------------------------------------------

// createHost sends the create of a host; a lost answer is settled by
// looking the host up by name.
func (c *Client) createHost(ctx context.Context, in HostCreate, body map[string]any) (*Host, error) {
	hosts := namedClass[Host]{class: "host", decode: decodeHost, find: c.FindHostsByName,
		key: func(h *Host) (int64, string) { return h.ID, h.Name }}
	return createByName(ctx, c, hosts, in.Name, "/host/create", body,
		func(h *Host) []Difference { return hostCreateDiff(h, in) })
}

// hostCreateDiff lists how h differs from what a create sent (in.MACs
// normalised, the first one is the primary).
func hostCreateDiff(h *Host, in HostCreate) []Difference {
	var d diff
	d.str("name", h.Name, in.Name)
	d.str("description", h.Description, in.Description)
	d.str("ip", h.IP, in.IP)
	d.str("kernelArgs", h.KernelArgs, in.KernelArgs)
	d.num("imageID", h.ImageID, in.ImageID)
	// The primary MAC identifies the host. Additional MACs are not
	// compared: FOG drops those its pending-MAC filter matches without a word.
	if len(in.MACs) > 0 && !strings.EqualFold(h.PrimaryMAC, in.MACs[0]) {
		d.add("primac", h.PrimaryMAC, in.MACs[0])
	}
	return d
}

// hostUpdateLanded reports whether h has every change of in.
func hostUpdateLanded(h *Host, in HostUpdate) bool {
	var d diff
	d.strP("name", h.Name, in.Name)
	d.strP("description", h.Description, in.Description)
	d.strP("ip", h.IP, in.IP)
	d.strP("kernelArgs", h.KernelArgs, in.KernelArgs)
	d.numP("imageID", h.ImageID, in.ImageID)
	return len(d) == 0
}

// putHost sends a host update and settles a lost answer by reading the host again.
func (c *Client) putHost(ctx context.Context, id int64, in HostUpdate, body map[string]any) (*Host, error) {
	editPath := idPath("host", id, "/edit")
	return resendUntilLanded(ctx, c, body,
		func(body map[string]any) (*Host, error) {
			return writeObject(ctx, c, http.MethodPut, editPath, body, decodeHost)
		},
		func() (*Host, map[string]any, bool, error) {
			h, err := c.GetHost(ctx, id)
			if err != nil {
				return nil, nil, false, err
			}
			if hostUpdateLanded(h, in) {
				return h, nil, true, nil
			}
			return nil, hostUpdateBody(h, in), false, nil
		})
}

// ---- shared: updates and deletes ---------------------------------------------------

// writeObject sends a write whose answer is the object as FOG has it now.
func writeObject[T any](ctx context.Context, c *Client, method, path string, body map[string]any,
	decode func([]byte) (*T, error)) (*T, error) {
	resp, err := c.do(ctx, call{method: method, path: path, body: body})
	if err != nil {
		return nil, err
	}
	obj, err := decode(resp)
	if err != nil {
		return nil, c.decodeFailure(method, path, err)
	}
	return obj, nil
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
		c.noteLostAnswer(err, "reading the object again")
		cur, next, landed, rerr := reread()
		switch {
		case rerr != nil:
			return zero, outcomeUnknown(err, fmt.Errorf("reading the object again failed: %w", rerr))
		case landed:
			return cur, nil
		}
		c.noteLostAnswer(err, "the change did not land; sending it again")
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
		c.noteLostAnswer(err, "checking whether the object is gone")
		gerr := get(ctx)
		switch {
		case errors.Is(gerr, ErrNotFound):
			return nil
		case gerr != nil:
			return outcomeUnknown(err, fmt.Errorf("checking whether it is gone failed: %w", gerr))
		}
		c.noteLostAnswer(err, "the object still exists; sending the delete again")
		if werr := c.beforeResend(ctx, sends, err, "the delete"); werr != nil {
			return werr
		}
	}
}

// ---- tasks ---------------------------------------------------------------------------

// createHostTask sends the task request and finds the task it created: the
// newest active task of the type that was not active before (the host's
// active tasks as read right before). A lost answer is settled by the same
// look; the request is sent again only when the look finds no such task.
func (c *Client) createHostTask(ctx context.Context, hostID int64, in TaskCreate, path string, body map[string]any, before []Task) (*Task, error) {
	wasActive := make(map[int64]bool, len(before))
	for _, t := range before {
		wasActive[t.ID] = true
	}
	var lost error
	for sends := 1; ; sends++ {
		// The body ("" or null) says nothing; the status is the answer.
		_, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body, task: true})
		switch {
		case err == nil:
			if in.TypeID == TaskTypeWakeUp {
				return nil, nil
			}
			return c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, true)
		case lost != nil && isActiveTaskConflict(err):
			// The lost request created the task after all, after the last look.
			t, ferr := c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, false)
			if ferr != nil || t == nil {
				return nil, outcomeUnknown(lost, fmt.Errorf("FOG now refuses the task (%w) but no new task is active", err))
			}
			return t, nil
		case !answerLost(err):
			return nil, err
		}
		lost = err
		if in.TypeID == TaskTypeWakeUp {
			// FOG deletes a Wake-Up's row at once, so there is nothing to
			// find. Sending it again is harmless (one more Wake-on-LAN
			// packet) as long as the host has no active task that FOG would
			// cancel and replace (fog-api.md 7.2 step 3).
			c.noteLostAnswer(err, "checking that the host has no active task before sending the Wake-Up again")
			now, aerr := c.ActiveTasksForHost(ctx, hostID)
			switch {
			case aerr != nil:
				return nil, outcomeUnknown(lost, fmt.Errorf("listing the host's active tasks failed: %w", aerr))
			case len(now) > 0 || len(before) > 0:
				return nil, outcomeUnknown(lost, errors.New("the host has an active task, which a repeated Wake-Up would cancel"))
			}
			if werr := c.beforeResend(ctx, sends, lost, "an answer to the Wake-Up"); werr != nil {
				return nil, werr
			}
			continue
		}
		c.noteLostAnswer(err, "looking for the task among the host's active tasks")
		t, ferr := c.findCreatedTask(ctx, hostID, in.TypeID, wasActive, false)
		switch {
		case ferr != nil:
			return nil, outcomeUnknown(lost, fmt.Errorf("listing the host's active tasks failed: %w", ferr))
		case t != nil:
			if c.logger != nil {
				c.logger.Warn("found the task the lost request created; using it", "id", t.ID)
			}
			return t, nil
		}
		c.noteLostAnswer(err, "the task does not exist; sending the request again")
		if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("a type %d task for host %d", in.TypeID, hostID)); werr != nil {
			return nil, werr
		}
	}
}

// isActiveTaskConflict reports FOG's refusal of a second imaging task
// (500 {"error":"Host is already a member of an active task"}, fog-api.md 7.2).
func isActiveTaskConflict(err error) bool {
	var fe *Error
	return errors.Is(err, ErrTaskRejected) && errors.As(err, &fe) && strings.Contains(strings.ToLower(fe.Message), "already a member of an active task")
}

// findCreatedTask returns the newest active task of the type that was not
// active before the request (nil when there is none). accepted is true when
// FOG answered the request with success: the task must then exist.
func (c *Client) findCreatedTask(ctx context.Context, hostID, typeID int64, wasActive map[int64]bool, accepted bool) (*Task, error) {
	tasks, err := c.ActiveTasksForHost(ctx, hostID)
	if err != nil {
		return nil, err
	}
	fresh := filter(tasks, func(t Task) bool { return !wasActive[t.ID] })
	if t := newestOfType(fresh, typeID); t != nil {
		return t, nil
	}
	if typeID == TaskTypeSingleSnapin || typeID == TaskTypeAllSnapins {
		// A snapin request joins the host's active snapin task, which FOG
		// may turn into an All Snapins task (fog-api.md 7.2 step 3).
		for _, want := range []int64{typeID, TaskTypeAllSnapins} {
			if t := newestOfType(tasks, want); t != nil {
				return t, nil
			}
		}
	}
	if !accepted {
		return nil, nil
	}
	return nil, &Error{Kind: ErrUnexpectedResponse, Method: http.MethodGet, Route: c.route("/task/active"), Status: http.StatusOK,
		Err: fmt.Errorf("FOG accepted the task (type %d) for host %d, but it is not in the active task list", typeID, hostID)}
}

// cancelTask cancels one task that it has just seen active, with the scoping
// body, and settles a lost answer by looking at the active list again before
// anything else is sent.
func (c *Client) cancelTask(ctx context.Context, id int64) error {
	scope := map[string]any{"id": id}
	var lost error // the last cancel whose answer was lost; the loop only goes round after one
	for sends := 0; ; sends++ {
		active, err := listOf(ctx, c, "/task/active", "tasks", scope, (*taskWire).task)
		switch {
		case err != nil && sends == 0:
			return err
		case err != nil:
			return outcomeUnknown(lost, fmt.Errorf("checking whether the task is still active failed: %w", err))
		case !slices.ContainsFunc(active, func(t Task) bool { return t.ID == id }) && sends == 0:
			return fmt.Errorf("fogclient: task %d is not in /fog/task/active, nothing was cancelled: %w", id, ErrTaskNotActive)
		case !slices.ContainsFunc(active, func(t Task) bool { return t.ID == id }):
			c.noteLostAnswer(lost, "the task is no longer active, so the cancel is done")
			return nil
		case sends > 0:
			c.noteLostAnswer(lost, "the task is still active; sending the cancel again")
			if werr := c.beforeResend(ctx, sends, lost, "the cancel of task "+strconv.FormatInt(id, 10)); werr != nil {
				return werr
			}
		}
		_, err = c.do(ctx, call{method: http.MethodDelete, path: idPath("task", id, "/cancel"), body: scope})
		if err == nil || !answerLost(err) {
			return err
		}
		lost = err
		c.noteLostAnswer(err, "checking whether the task is still active")
	}
}

// ---- comparing what FOG returns with what was sent ------------------------------------

// diff collects the fields whose value differs from what was sent.
type diff []Difference

func (d *diff) add(field, have, sent string) {
	*d = append(*d, Difference{Field: field, Have: have, Sent: sent})
}

func (d *diff) str(field, have, sent string) {
	if have != storedText(sent) {
		d.add(field, have, sent)
	}
}

func (d *diff) num(field string, have, sent int64) {
	if have != sent {
		d.add(field, strconv.FormatInt(have, 10), strconv.FormatInt(sent, 10))
	}
}

func (d *diff) flag(field string, have, sent bool) {
	if have != sent {
		d.add(field, strconv.FormatBool(have), strconv.FormatBool(sent))
	}
}

func (d *diff) strP(field, have string, sent *string) {
	if sent != nil {
		d.str(field, have, *sent)
	}
}

func (d *diff) numP(field string, have int64, sent *int64) {
	if sent != nil {
		d.num(field, have, *sent)
	}
}

func (d *diff) flagP(field string, have bool, sent *bool) {
	if sent != nil {
		d.flag(field, have, *sent)
	}
}

// storedText is how FOG returns a string it was sent: characters outside the
// Basic Multilingual Plane become "????" (utf8mb3 tables, recording
// image-create-emoji-name), PHP's trim() removes surrounding whitespace, and
// the output filter turns runs of spaces into one (fog-api.md 4.1, 4.3).
func storedText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			b.WriteString("????")
			continue
		}
		b.WriteRune(r)
	}
	s = strings.Trim(b.String(), " \t\n\r\x00\x0B")
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}
