// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"fmt"
	"strings"
	"testing"
)

// Behaviour of the snapin and storage classes beyond what the fleet
// recordings replay: the paths derived from FOG's code and the decisions
// reference/snapins-storage.md lists.

// list returns the objects of a list answer (GET with a JSON body filter).
func (c *apiClient) list(t *testing.T, class, filter string) []map[string]any {
	t.Helper()
	m := c.must(200, "GET", "/fog/"+class, filter).json(t)
	var out []map[string]any
	for _, v := range asArray(t, m[class+"s"]) {
		out = append(out, asObject(t, v))
	}
	return out
}

// The secret scan looks for the raw password; FOG prints it HTML-escaped,
// so the default must read back unchanged through the API.
func TestDefaultFTPPasswordReadsBackUnchanged(t *testing.T) {
	c := newAPI(t, Options{})
	if htmlEscape(DefaultFTPPassword) != DefaultFTPPassword {
		t.Fatalf("DefaultFTPPassword %q changes when FOG escapes it", DefaultFTPPassword)
	}
	node := c.must(200, "GET", "/fog/storagenode/1", "").json(t)
	if node["pass"] != DefaultFTPPassword || node["user"] != DefaultFTPUser {
		t.Fatalf("node 1 user/pass %v/%v", node["user"], node["pass"])
	}
	_, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":1}`)
	task := c.list(t, "task", "")[0]
	if asObject(t, task["storagenode"])["pass"] != DefaultFTPPassword {
		t.Fatalf("task.storagenode %v", task["storagenode"])
	}
}

func TestStorageNodeWithoutNameIsAZombie(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(404, "POST", "/fog/storagenode", `{"ip":"10.0.0.9","path":"/images","ftppath":"/images","user":"u","pass":"p"}`)
	nodes := c.list(t, "storagenode", "")
	if len(nodes) != 2 || nodes[0]["name"] != "" {
		t.Fatalf("nodes %v", nodes)
	}
	c.must(404, "GET", "/fog/storagenode/2", "")
	c.must(417, "POST", "/fog/storagenode", `{"name":"n","ip":"10.0.0.9","ftppath":"/images","user":"u","pass":"p"}`)
}

func TestStorageNodeItemKey(t *testing.T) {
	c := newAPI(t, Options{})
	body := c.must(200, "GET", "/fog/storagenode/1/images", "").body
	if !strings.Contains(body, `"online": false, "images": [], "clientload": 0`) {
		t.Fatalf("item answer %s", body)
	}
	c.must(404, "GET", "/fog/storagenode/9/all", "")
	// Other classes ignore the item.
	if os := c.must(200, "GET", "/fog/os/9/all", "").json(t); len(os) != 3 || os["name"] != "Windows 10" {
		t.Fatalf("os 9 with an item: %v", os)
	}
}

// An image whose groups are all gone cannot be deployed either (the same
// min() of nothing), and a PUT of [] gets it a new primary group.
func TestImageWithDeletedGroups(t *testing.T) {
	c := newAPI(t, Options{})
	imageID, hostID := seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/storagegroup", `{"name":"g2"}`)
	c.must(200, "PUT", fmt.Sprintf("/fog/image/%d", imageID), `{"storagegroups":[2]}`)
	c.must(200, "DELETE", "/fog/storagegroup/2", "")
	if r := c.do("POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":1}`); r.status != 500 || r.body != "" || r.ctype != ctHTML {
		t.Fatalf("deploy: %d %q %q", r.status, r.ctype, r.body)
	}
	if r := c.do("GET", "/fog/image/search/img", ""); r.status != 500 {
		t.Fatalf("search: %d", r.status)
	}
	img := c.must(200, "PUT", fmt.Sprintf("/fog/image/%d", imageID), `{"storagegroups":[]}`).json(t)
	if img["storagegroupname"] != "default" {
		t.Fatalf("after PUT []: %v", img["storagegroupname"])
	}
	assocs := c.list(t, "imageassociation", fmt.Sprintf(`{"imageID":%d}`, imageID))
	if len(assocs) != 1 || num(t, assocs[0]["storagegroupID"]) != 1 || assocs[0]["primary"] != "1" {
		t.Fatalf("associations %v", assocs)
	}
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":1}`)
	// Deleting the image takes its associations along.
	c.must(200, "DELETE", fmt.Sprintf("/fog/task/%d/cancel", 1), "")
	c.must(200, "DELETE", fmt.Sprintf("/fog/image/%d", imageID), "")
	if a := c.list(t, "imageassociation", ""); len(a) != 0 {
		t.Fatalf("associations left %v", a)
	}
}

func TestImageAssociationUpsertChangesPrimary(t *testing.T) {
	c := newAPI(t, Options{})
	c.must(200, "POST", "/fog/image", `{"name":"i","path":"i","imageTypeID":1,"osID":9}`)
	// The pair exists with primary "1": the same pair without it rewrites
	// primary to "" and answers the existing row; the next id is skipped.
	a := c.must(200, "POST", "/fog/imageassociation", `{"imageID":1,"storagegroupID":1}`).json(t)
	if num(t, a["id"]) != 1 || a["primary"] != "" {
		t.Fatalf("upsert %v", a)
	}
	c.must(404, "POST", "/fog/imageassociation", `{"imageID":1,"storagegroupID":1}`)
	b := c.must(200, "POST", "/fog/imageassociation", `{"imageID":1,"storagegroupID":2}`).json(t)
	if num(t, b["id"]) != 4 {
		t.Fatalf("next id %v", b["id"])
	}
	c.must(417, "POST", "/fog/imageassociation", `{"imageID":1}`)
}

func snapinSetup(t *testing.T, c *apiClient) (hostID int64) {
	t.Helper()
	_, hostID = seedDeploySetup(t, c)
	c.must(200, "POST", "/fog/snapin", `{"name":"b-snap","file":"b.msi"}`)
	c.must(200, "POST", "/fog/snapin", `{"name":"a-snap","file":"a.msi"}`)
	c.must(200, "PUT", fmt.Sprintf("/fog/host/%d", hostID), `{"snapins":[1,2,99]}`)
	return hostID
}

func snapinIDs(t *testing.T, tasks []map[string]any) string {
	var ids []string
	for _, st := range tasks {
		ids = append(ids, fmt.Sprint(num(t, st["snapinID"])))
	}
	return strings.Join(ids, ",")
}

// All of a host's snapins are the existing ones, by name.
func TestAllSnapinsSkipsMissingSnapinsByName(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":12,"deploySnapins":-1}`)
	if got := snapinIDs(t, c.list(t, "snapintask", "")); got != "2,1" {
		t.Fatalf("snapin tasks %s, want 2,1", got)
	}
}

// A 12 on a host whose active task is a snapin task keeps the task and
// replaces its job; a 13 for a snapin already queued does not rename it.
func TestSnapinTaskOnActiveSnapinTask(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	task := fmt.Sprintf("/fog/host/%d/task", hostID)
	c.must(200, "POST", task, `{"taskTypeID":12,"deploySnapins":true}`)
	if r := c.must(200, "POST", task, `{"taskTypeID":12,"deploySnapins":true}`); r.body != "null" {
		t.Fatalf("answer %q", r.body)
	}
	tasks := c.list(t, "task", "")
	if len(tasks) != 1 || num(t, tasks[0]["stateID"]) != 1 || !strings.HasSuffix(asString(t, tasks[0]["name"]), "h1") {
		t.Fatalf("tasks %v", tasks)
	}
	jobs := c.list(t, "snapinjob", "")
	if len(jobs) != 2 || num(t, jobs[0]["stateID"]) != 5 || num(t, jobs[1]["stateID"]) != 1 {
		t.Fatalf("jobs %v", jobs)
	}
	old := c.list(t, "snapintask", `{"jobID":1}`)
	if len(old) != 2 || num(t, old[0]["return"]) != -9999 || old[0]["details"] != "Cancelled due to new tasking." ||
		old[0]["complete"] != zeroDate || num(t, old[0]["stateID"]) != 5 {
		t.Fatalf("cancelled snapin tasks %v", old)
	}
	c.must(200, "POST", task, `{"taskTypeID":13,"deploySnapins":"1"}`)
	tasks = c.list(t, "task", "")
	if len(tasks) != 1 || num(t, tasks[0]["typeID"]) != 12 || strings.HasPrefix(asString(t, tasks[0]["name"]), "Multiple") {
		t.Fatalf("13 for a queued snapin: %v", tasks)
	}
	if got := snapinIDs(t, c.list(t, "snapintask", `{"jobID":2}`)); got != "2,1,1" {
		t.Fatalf("job 2 snapins %s", got)
	}
}

// Cancelling any task of a host cancels the host's active snapin job, the
// mass cancel included; a snapin job cancel by body cancels only matching
// jobs' tasks.
func TestSnapinJobCancels(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	h2 := num(t, c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"],"snapins":[1]}`).json(t)["id"])
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":12,"deploySnapins":true}`)
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", h2), `{"taskTypeID":12,"deploySnapins":true}`)
	c.must(200, "DELETE", "/fog/snapinjob/999/cancel", fmt.Sprintf(`{"hostID":%d}`, h2))
	for _, st := range c.list(t, "snapintask", "") {
		want := int64(1)
		if num(t, st["jobID"]) == 2 {
			want = 5
		}
		if num(t, st["stateID"]) != want {
			t.Fatalf("after job cancel by body: %v", st)
		}
	}
	c.must(200, "DELETE", "/fog/task/cancel", fmt.Sprintf(`{"hostID":%d}`, hostID))
	jobs := c.list(t, "snapinjob", "")
	if num(t, jobs[0]["stateID"]) != 5 || num(t, jobs[1]["stateID"]) != 1 {
		t.Fatalf("jobs after mass task cancel %v", jobs)
	}
	for _, st := range c.list(t, "snapintask", `{"jobID":1}`) {
		if num(t, st["stateID"]) != 5 || st["complete"] == zeroDate {
			t.Fatalf("snapin task of the cancelled job %v", st)
		}
	}
}

func TestHostDeleteRemovesItsSnapinRows(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":12,"deploySnapins":true}`)
	c.must(200, "DELETE", fmt.Sprintf("/fog/host/%d", hostID), "")
	for _, class := range []string{"snapinassociation", "snapinjob", "snapintask"} {
		if ids := c.srv.IDs(class); len(ids) != 0 {
			t.Errorf("%s rows left: %v", class, ids)
		}
	}
	if len(c.list(t, "snapin", "")) != 2 {
		t.Error("snapins deleted with the host")
	}
}

// A group Single Snapin gives every member a job: the pairing bug only
// bites when some member has no snapin.
func TestGroupSingleSnapin(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	h2 := num(t, c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"]}`).json(t)["id"])
	c.must(200, "POST", "/fog/group", fmt.Sprintf(`{"name":"g","hosts":[%d,%d]}`, hostID, h2))
	if r := c.must(200, "POST", "/fog/group/1/task", `{"taskTypeID":13,"deploySnapins":2,"wol":true}`); r.body != `""` {
		t.Fatalf("answer %q", r.body)
	}
	jobs := c.list(t, "snapinjob", "")
	tasks := c.list(t, "snapintask", "")
	if len(jobs) != 2 || len(tasks) != 2 || num(t, tasks[0]["jobID"]) != 1 || num(t, tasks[1]["jobID"]) != 2 {
		t.Fatalf("jobs %v, snapin tasks %v", jobs, tasks)
	}
	for _, task := range c.list(t, "task", "") {
		if task["name"] != "- g" || task["createdBy"] != "" || task["wol"] != "1" || num(t, task["imageID"]) != 0 {
			t.Fatalf("group task %v", task)
		}
	}
	if c.srv.WakeOnLANSent() != 1 {
		t.Errorf("wake-on-LAN sent %d times", c.srv.WakeOnLANSent())
	}
	c.must(500, "POST", "/fog/group/1/task", `{"taskTypeID":12}`)
}

func TestDeploySnapinsArg(t *testing.T) {
	type arg struct {
		snapin int64
		ok     bool
	}
	for in, want := range map[string]arg{
		`true`: {-1, true}, `-1`: {-1, true}, `"-1"`: {-1, true},
		`3`: {3, true}, `" 3"`: {3, true}, `"3"`: {3, true},
		`false`: {}, `0`: {}, `"abc"`: {}, `null`: {}, `-2`: {}, `[1]`: {},
		`0.5`: {1, true}, // positive, so passed on; the INT column rounds it

	} {
		body := parseBody([]byte(`{"deploySnapins":` + in + `}`))
		if snapin, ok := deploySnapinsArg(body); (arg{snapin, ok}) != want {
			t.Errorf("%s: %v %v, want %+v", in, snapin, ok, want)
		}
	}
}

func TestSnapinDeleteCascade(t *testing.T) {
	c := newAPI(t, Options{})
	hostID := snapinSetup(t, c)
	c.must(200, "POST", fmt.Sprintf("/fog/host/%d/task", hostID), `{"taskTypeID":12,"deploySnapins":true}`)
	c.must(200, "DELETE", "/fog/snapin/1", "")
	if got := snapinIDs(t, c.list(t, "snapintask", "")); got != "2" {
		t.Fatalf("snapin tasks left %s", got)
	}
	for _, a := range c.list(t, "snapinassociation", "") {
		if num(t, a["snapinID"]) == 1 {
			t.Fatalf("association left %v", a)
		}
	}
	for _, a := range c.list(t, "snapingroupassociation", "") {
		if num(t, a["snapinID"]) == 1 {
			t.Fatalf("group association left %v", a)
		}
	}
	if len(c.list(t, "snapinjob", "")) != 1 {
		t.Fatal("the job went with the snapin")
	}
}

// A group deploy with deploySnapins, and every group multicast, write the
// members' snapin jobs through Group::_createSnapinTasking; Deploy - No
// Snapins (17) writes none. Only the member with snapins gets a job.
func TestGroupDeploySnapinJobs(t *testing.T) {
	for _, tc := range []struct {
		body string
		jobs int
	}{
		{`{"taskTypeID":1,"deploySnapins":true}`, 1},
		{`{"taskTypeID":1}`, 0},
		{`{"taskTypeID":17,"deploySnapins":true}`, 0},
		{`{"taskTypeID":8}`, 1},
	} {
		c := newAPI(t, Options{})
		hostID := snapinSetup(t, c)
		h2 := num(t, c.must(200, "POST", "/fog/host", `{"name":"h2","macs":["02:00:00:00:00:02"],"imageID":1}`).json(t)["id"])
		c.must(200, "POST", "/fog/group", fmt.Sprintf(`{"name":"g","hosts":[%d,%d]}`, hostID, h2))
		c.must(200, "POST", "/fog/group/1/task", tc.body)
		if got := len(c.srv.IDs("task")); got != 2 {
			t.Fatalf("%s: %d tasks, want 2", tc.body, got)
		}
		jobs := c.list(t, "snapinjob", "")
		if len(jobs) != tc.jobs {
			t.Fatalf("%s: jobs %v, want %d", tc.body, jobs, tc.jobs)
		}
		if tc.jobs == 0 {
			continue
		}
		if num(t, jobs[0]["hostID"]) != hostID {
			t.Fatalf("%s: job %v", tc.body, jobs[0])
		}
		// The host's links in row order, the missing snapin 99 included.
		tasks := c.list(t, "snapintask", "")
		if got := snapinIDs(t, tasks); got != "1,2,99" || num(t, tasks[0]["jobID"]) != num(t, jobs[0]["id"]) {
			t.Fatalf("%s: snapin tasks %v", tc.body, tasks)
		}
	}
}
