// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"net/http"
	"slices"
)

// Multicast sessions (class multicastsession) and their task links (class
// multicastsessionassociation), reference/fleet.md §4.

type msAssocWire struct {
	MSID   flexInt `json:"msID"`
	ID     flexInt `json:"id"`
	TaskID flexInt `json:"taskID"`
}

// MulticastSessionTaskIDs lists the ids of the tasks linked to a session
// (recording 591), in link order.
func (c *Client) MulticastSessionTaskIDs(ctx context.Context, sessionID int64) ([]int64, error) {
	if err := checkID("multicast session", sessionID); err != nil {
		return nil, err
	}
	type link struct{ session, task int64 }
	links, err := listOf(ctx, c, "/multicastsessionassociation", "multicastsessionassociations",
		map[string]any{"msID": sessionID}, func(w *msAssocWire) link { return link{int64(w.MSID), int64(w.TaskID)} })
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, l := range links {
		if l.session == sessionID {
			out = append(out, l.task)
		}
	}
	return out, nil
}

// GetMulticastSession reads one session; its imageID is a string (recording 589).
func (c *Client) GetMulticastSession(ctx context.Context, id int64) (*MulticastSession, error) {
	if err := checkID("multicast session", id); err != nil {
		return nil, err
	}
	var w multicastWire
	if _, err := c.getObject(ctx, idPath("multicastsession", id, ""), &w); err != nil {
		return nil, err
	}
	s := w.session()
	return &s, nil
}

// CancelMulticastSession cancels a session that is active a moment before
// (else ErrTaskNotActive): the session and every task linked to it go to
// Cancelled (recordings 605-607). The body always names the session: FOG
// treats a cancel whose id it cannot load as a cancel of every session
// (reference/fog-api.md §7.6, as for tasks).
func (c *Client) CancelMulticastSession(ctx context.Context, id int64) error {
	if err := checkID("multicast session", id); err != nil {
		return err
	}
	active := func() (bool, error) {
		sessions, err := c.ActiveMulticastSessions(ctx)
		if err != nil {
			return false, err
		}
		return slices.ContainsFunc(sessions, func(s MulticastSession) bool { return s.ID == id }), nil
	}
	scope := map[string]any{"id": id}
	var lost error
	for sends := 0; ; sends++ {
		isActive, err := active()
		switch {
		case err != nil && sends == 0:
			return err
		case err != nil:
			return outcomeUnknown(lost, fmt.Errorf("checking whether the session is still active failed: %w", err))
		case !isActive && sends == 0:
			return fmt.Errorf("fogclient: multicast session %d is not active, nothing was cancelled: %w", id, ErrTaskNotActive)
		case !isActive:
			c.noteLostAnswer(ctx, lost, "the session is no longer active, so the cancel is done")
			return nil
		case sends > 0:
			c.noteLostAnswer(ctx, lost, "the session is still active; sending the cancel again")
			if werr := c.beforeResend(ctx, sends, lost, fmt.Sprintf("the cancel of multicast session %d", id)); werr != nil {
				return werr
			}
		}
		_, err = c.do(ctx, call{method: http.MethodDelete, path: idPath("multicastsession", id, "/cancel"), body: scope})
		if err == nil || !answerLost(err) {
			return err
		}
		lost = err
		c.noteLostAnswer(ctx, err, "checking whether the session is still active")
	}
}
