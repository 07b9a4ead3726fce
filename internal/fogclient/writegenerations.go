// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Write generations tell a caller that keeps copies of server data when to
// drop them: every write advances the generation of each class it can affect,
// FOG's side effects included, whatever its outcome (a lost answer may have been
// applied, reference/fog-api.md §1.7). They are shared by every Client of a server.

// writeEffects: the classes a write to a class can change; a class not listed
// affects everything.
var writeEffects = map[string][]string{
	// Deleting an image sets imageID 0 on its hosts (edge recordings F,
	// f-host-get-h1-after-image-delete) and empties its tasks' image
	// (f-task-get-after-image-delete).
	"image": {"image", "host", "task", "multicastsession"},
	// Deleting a host deletes its tasks (f-task-get-after-host-delete).
	// It also deletes its memberships and every scheduled task whose hostID is
	// its id, a group's included (reference/fleet.md §2.4, §5.4).
	"host": {"host", "task", "macaddressassociation", "inventory", "multicastsession", "snapinjob", "snapintask",
		"groupassociation", "group", "scheduledtask"},
	// A host without a primary MAC leaves the lists, with its tasks
	// (b-host-list-without-primary).
	"macaddressassociation": {"macaddressassociation", "host", "task"},
	"task":                  {"task", "multicastsession", "snapinjob", "snapintask"},
	"multicastsession":      {"multicastsession", "task"},
	"group":                 {"group", "groupassociation", "host", "task", "multicastsession", "snapinjob", "snapintask"},
	// A membership changes the group's hostcount.
	"groupassociation": {"groupassociation", "group"},
	"scheduledtask":    {"scheduledtask"},
	// Deleting a snapin deletes its links and snapin tasks (recording 682).
	"snapin":            {"snapin", "snapinassociation", "snapingroupassociation", "snapinjob", "snapintask"},
	"snapinassociation": {"snapinassociation"},
	// An image's links decide its storagegroupname.
	"imageassociation": {"imageassociation", "image"},
}

// taskingEffects: a task request or a cancel, whatever class it is sent to.
var taskingEffects = []string{"task", "multicastsession", "snapinjob", "snapintask"}

// effectsOf: known is false when every class must be assumed changed.
func effectsOf(path string) (classes []string, known bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 0 || parts[0] == "" {
		return nil, false
	}
	if last := parts[len(parts)-1]; len(parts) > 1 && (last == "task" || last == "cancel") {
		return taskingEffects, true
	}
	classes, known = writeEffects[parts[0]]
	return classes, known
}

type writeLog struct {
	all     atomic.Uint64
	total   atomic.Uint64
	classes sync.Map // class -> *atomic.Uint64
}

var serverWrites sync.Map // string -> *writeLog

func writeLogFor(base string) *writeLog {
	v, _ := serverWrites.LoadOrStore(base, &writeLog{})
	w, _ := v.(*writeLog)
	return w
}

func (w *writeLog) counter(class string) *atomic.Uint64 {
	if v, ok := w.classes.Load(class); ok {
		c, _ := v.(*atomic.Uint64)
		return c
	}
	v, _ := w.classes.LoadOrStore(class, new(atomic.Uint64))
	c, _ := v.(*atomic.Uint64)
	return c
}

func (w *writeLog) record(path string) {
	w.total.Add(1)
	classes, known := effectsOf(path)
	if !known {
		w.all.Add(1)
		return
	}
	for _, class := range classes {
		w.counter(class).Add(1)
	}
}

func (w *writeLog) generation(class string) uint64 {
	return w.all.Load() + w.counter(class).Load()
}

// WriteGeneration changes whenever a write that may have changed objects of
// class ("image", "host", "task") has ended through any Client of this server
// in this process. Writes of other processes are not seen.
func (c *Client) WriteGeneration(class string) uint64 {
	return c.writes.generation(class)
}

// WriteCount is how many writes have ended through any Client of this server.
func (c *Client) WriteCount() uint64 {
	return c.writes.total.Load()
}

func isWriteMethod(method string) bool {
	switch method {
	case "GET", "HEAD":
		return false
	}
	return true
}
