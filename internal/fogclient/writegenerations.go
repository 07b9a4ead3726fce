// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Write generations let a caller that keeps copies of server data (a list
// fetched once and served many times) know when to drop them: every request
// that may change the server (POST, PUT, DELETE) advances the generation of
// each class it can affect, FOG's side effects included, once it has ended,
// whatever its outcome (an answer that was lost may still have been applied:
// FOG keeps running a request whose client went away, fog-api.md 1.7).
//
// Generations are shared by every Client of the same server in the process,
// so a write through one client also invalidates what another one keeps.

// writeEffects maps the class a write is sent to onto every class whose
// objects (or lists) it can change. A class not listed here is assumed to
// affect everything.
var writeEffects = map[string][]string{
	// Hosts and tasks embed the image; deleting an image sets imageID 0 on
	// every host that used it (edge recordings F, f-host-get-h1-after-image-
	// delete) and empties the image object of its queued tasks
	// (f-task-get-after-image-delete).
	"image": {"image", "host", "task", "multicastsession"},
	// Tasks embed their host and end with its name; deleting a host deletes
	// its tasks (f-task-get-after-host-delete), MACs and inventory.
	"host": {"host", "task", "macaddressassociation", "inventory", "multicastsession", "snapinjob", "snapintask"},
	// A host without a primary MAC disappears from lists together with its
	// tasks (b-host-list-without-primary).
	"macaddressassociation": {"macaddressassociation", "host", "task"},
	// Cancelling a task cancels its multicast session and snapin job.
	"task":             {"task", "multicastsession", "snapinjob", "snapintask"},
	"multicastsession": {"multicastsession", "task"},
	// A group's imageID and tasks are applied to its member hosts.
	"group": {"group", "groupassociation", "host", "task", "multicastsession", "snapinjob", "snapintask"},
}

// taskingEffects are the classes a task request (POST /fog/{class}/{id}/task)
// or a cancel (DELETE .../cancel) can change, whatever class it is sent to.
var taskingEffects = []string{"task", "multicastsession", "snapinjob", "snapintask"}

// effectsOf returns the classes a write to path (below the API base, e.g.
// "/image/12/edit" or "/host/3/task") can change; known is false when the
// client does not know, and then every class must be assumed changed.
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

// writeLog counts the writes made to one server.
type writeLog struct {
	// all advances for writes whose effects are unknown.
	all atomic.Uint64
	// total advances for every write.
	total   atomic.Uint64
	classes sync.Map // class -> *atomic.Uint64
}

// serverWrites holds one writeLog per server (normalised API base URL).
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

// record notes that a write to path has ended.
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

// WriteGeneration returns a number that changes whenever a request that may
// have changed objects of class (a FOG class name such as "image", "host" or
// "task") has ended on this client's server: every POST, PUT and DELETE made
// through any Client of that server in this process counts, for every class
// it can affect (deleting an image also changes hosts, deleting a host also
// deletes its tasks). Two equal values mean no such write ended in between.
// Writes made by other processes or people are not seen.
func (c *Client) WriteGeneration(class string) uint64 {
	return c.writes.generation(class)
}

// WriteCount returns how many requests that may have changed the server
// (POST, PUT, DELETE) have ended on this client's server, through any Client
// of that server in this process.
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
