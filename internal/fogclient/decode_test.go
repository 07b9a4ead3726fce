// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestFlexInt(t *testing.T) {
	cases := []struct {
		in   string
		want int64
	}{
		{`5`, 5}, {`"5"`, 5}, {`"0000000013"`, 13}, {`"0000000100"`, 100}, {`""`, 0}, {`null`, 0},
		{`-1`, -1}, {`"-1"`, -1}, {`"12.50"`, 12}, {`12.0`, 12}, {`true`, 1}, {`false`, 0},
		{`" 7 "`, 7}, {`1e3`, 1000}, {`9007199254740993`, 9007199254740993},
	}
	for _, tc := range cases {
		var v flexInt
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if int64(v) != tc.want {
			t.Errorf("%s = %d, want %d", tc.in, v, tc.want)
		}
	}
	for _, bad := range []string{`"abc"`, `{}`, `[]`, `"1e999"`, `"NaN"`} {
		var v flexInt
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded as %d", bad, v)
		}
	}
}

func TestFlexString(t *testing.T) {
	cases := []struct{ in, want string }{
		{`"R&amp;D &lt;lab&gt;"`, "R&D <lab>"},
		{`"q&quot;uo&#039;te"`, `q"uo'te`},
		// Double escaped by the ratchet: one level comes off, the database's
		// own "&quot;" stays (recording image-get-after-escape-ratchet).
		{`"q&amp;quot;uo&amp;#039;te"`, `q&quot;uo&#039;te`},
		{`"a\\b &lt;b&gt;x&lt;\/b&gt; &amp;amp; 100%"`, `a\b <b>x</b> &amp; 100%`},
		// Entities htmlspecialchars never writes are left alone.
		{`"&copy; &#65; &nbsp"`, "&copy; &#65; &nbsp"},
		{`"Grüße ✓"`, "Grüße ✓"},
		{`5`, "5"}, {`1.5`, "1.5"}, {`null`, ""}, {`true`, "1"}, {`false`, ""},
	}
	for _, tc := range cases {
		var v flexString
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if string(v) != tc.want {
			t.Errorf("%s = %q, want %q", tc.in, v, tc.want)
		}
	}
}

func TestFlexBoolAndFlags(t *testing.T) {
	for in, want := range map[string]bool{
		`true`: true, `false`: false, `"1"`: true, `"0"`: false, `""`: false, `null`: false, `1`: true, `0`: false,
	} {
		var v flexBool
		if err := json.Unmarshal([]byte(in), &v); err != nil || bool(v) != want {
			t.Errorf("%s = %v (%v), want %v", in, v, err, want)
		}
	}
	for in, want := range map[flexString]bool{"": false, "0": false, "1": true} {
		if isFlagSet(in) != want {
			t.Errorf("flag %q = %v", in, !want)
		}
	}
}

func TestFlexStringsAcceptsArraysAndObjects(t *testing.T) {
	for in, want := range map[string][]string{
		`["00:11:22:33:44:01","00:11:22:33:44:0b"]`:         {"00:11:22:33:44:01", "00:11:22:33:44:0b"},
		`{"0":"00:11:22:33:44:01","2":"00:11:22:33:44:0b"}`: {"00:11:22:33:44:01", "00:11:22:33:44:0b"},
		`{"2":"b","0":"a"}`:                                 {"b", "a"}, // document order
		`[]`:                                                {},
		`null`:                                              nil,
	} {
		var v flexStrings
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if len(v) != len(want) || (len(want) > 0 && !reflect.DeepEqual([]string(v), want)) {
			t.Errorf("%s = %q, want %q", in, v, want)
		}
	}
}

func TestDecodeImageAllFields(t *testing.T) {
	rec := loadRecording(t, "038-image-create-all-fields")
	img, err := decodeImage([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	want := Image{
		ID: 3, Name: "img-full", Description: "full description", Path: "img-full-path",
		ImageTypeID: 1, ImagePartitionTypeID: 1, OSID: 50, Format: "0", Compress: 6, Protected: true,
		Enabled: true, Replicate: true, Size: "", SrvSize: 0,
		CreatedTime: "2026-11-27 22:07:45", CreatedBy: "fog", Deployed: "0000-00-00 00:00:00",
		ImageTypeName: "Single Disk - Resizable", PartitionTypeName: "Everything", OSName: "Linux",
		StorageGroupName: "default",
	}
	if *img != want {
		t.Errorf("got  %+v\nwant %+v", *img, want)
	}
}

func TestDecodeImageNullJoins(t *testing.T) {
	// imagePartitionTypeID and imageparttypename are null when unset.
	rec := loadRecording(t, "035-image-create-minimal")
	img, err := decodeImage([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	if img.ImagePartitionTypeID != 0 || img.PartitionTypeName != "" || img.Enabled || img.Replicate {
		t.Errorf("got %+v", *img)
	}
}

func TestDecodeImageUnescapes(t *testing.T) {
	rec := loadRecording(t, "107-image-get-quotes-sql-name")
	img, err := decodeImage([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	// The values the recording's notes say the database holds.
	if img.Name != `q"uo'te;DROP TABLE images;--` || img.Path != `p'ath"x` || img.Description != `a\b <b>x</b> &amp; 100%` {
		t.Errorf("got name %q path %q description %q", img.Name, img.Path, img.Description)
	}
}

func TestDecodeHostEscapedFields(t *testing.T) {
	rec := loadRecording(t, "372-c-host-get-after-create")
	h, err := decodeHost([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	// The database values quoted in the recording's notes.
	if h.Description != "R&D <lab>" || h.KernelArgs != "quiet&x=1" || h.ProductKey != "AB&CD-<12>" ||
		h.ADPass != "p&ss<1>" || h.ADOU != "OU=R&D,DC=lab" {
		t.Errorf("got %+v", h)
	}
	if h.ImageName != "" || h.ImageID != 0 || h.PrimaryMAC != "00:11:22:cc:00:01" ||
		!reflect.DeepEqual(h.MACs, []string{"00:11:22:cc:00:01"}) || h.Inventory.Memory != "0.00 iB" {
		t.Errorf("got %+v", h)
	}
	if h.fields["description"] != "R&D <lab>" || h.fields["ADOU"] != "OU=R&D,DC=lab" {
		t.Errorf("fields %v", h.fields)
	}
	for _, k := range []string{"name", "pingstatus", "primac", "imagename", "macs", "inventory"} {
		if _, ok := h.fields[k]; ok {
			t.Errorf("field %q would be resent", k)
		}
	}
}

func TestDecodeHostPrimaryFirst(t *testing.T) {
	// After a primary swap FOG lists the MACs in insertion order.
	rec := loadRecording(t, "346-b-host-get-after-primary-swap")
	h, err := decodeHost([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.MACs) != 2 || h.MACs[0] != h.PrimaryMAC || h.PrimaryMAC != "00:11:22:bb:01:02" {
		t.Errorf("MACs %v primary %q", h.MACs, h.PrimaryMAC)
	}
}

func TestDecodeTaskProgress(t *testing.T) {
	rec := loadRecording(t, "246-task-get-deploy-progress-12pct")
	var w taskWire
	if err := decodeObject([]byte(rec.ResponseBody), &w); err != nil {
		t.Fatal(err)
	}
	task := w.task()
	want := Task{
		ID: 1, Name: "- prog-deploy", HostID: 1, HostName: "prog-deploy", TypeID: 1, TypeName: "Deploy",
		StateID: 3, StateName: "In-Progress", Percent: 13, PercentText: "12.50", BPM: "2.40GB",
		TimeElapsed: "00:01:00", TimeRemaining: "00:07:00", DataCopied: "2.233 GiB", DataTotal: "17.863 GiB",
		ImageID: 1, ImageName: "prog-deploy-img", CreatedTime: "2026-11-27 22:34:48", CreatedBy: "fog",
		CheckInTime: "2026-11-27 22:34:53",
	}
	if task != want {
		t.Errorf("got  %+v\nwant %+v", task, want)
	}
	if !task.Active() {
		t.Error("in-progress task not active")
	}
}

// The task's nested storagenode carries the node's FTP password (recording
// task-get-by-id: "pass": "fogftppass"); it must not end up anywhere.
func TestTaskNeverKeepsTheStorageNodePassword(t *testing.T) {
	rec := loadRecording(t, "173-task-get-by-id")
	if !strings.Contains(rec.ResponseBody, `"pass": "fogftppass"`) {
		t.Fatal("recording changed: no storage node password to guard")
	}
	f := newFake(t)
	f.replay("GET", "/fog/task/1", rec)
	task, err := newTestClient(t, f.srv.URL).GetTask(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%#v", task); strings.Contains(s, "fogftppass") || strings.Contains(s, "fogproject") {
		t.Errorf("task holds storage node credentials: %s", s)
	}
}

// stringifyNumbers rewrites every JSON number as a string: the PHP <= 8.0
// rendering of the same object (reference/fog-api.md §4.2).
func stringifyNumbers(t testing.TB, body string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			return x.String()
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPHP80StringsDecodeLikePHP81Numbers decodes each recording as recorded
// (PHP 8.x: numbers) and with every number turned into a string (PHP <= 8.0),
// through the client, and requires identical results.
func TestPHP80StringsDecodeLikePHP81Numbers(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		prefix, method, path string
		call                 func(c *Client) (any, error)
	}{
		{"038-image-create-all-fields", "GET", "/fog/image/3", func(c *Client) (any, error) { return c.GetImage(ctx, 3) }},
		{"064-image-list-nonempty", "GET", "/fog/image", func(c *Client) (any, error) { return c.ListImages(ctx) }},
		{"123-host-create-with-image-and-more", "GET", "/fog/host/2", func(c *Client) (any, error) { return c.GetHost(ctx, 2) }},
		{"136-host-list", "GET", "/fog/host", func(c *Client) (any, error) { return c.ListHosts(ctx) }},
		{"246-task-get-deploy-progress-12pct", "GET", "/fog/task/1", func(c *Client) (any, error) { return c.GetTask(ctx, 1) }},
		{"194-task-active-many", "GET", "/fog/task/active", func(c *Client) (any, error) { return c.ActiveTasks(ctx) }},
		{"316-task-list-end", "GET", "/fog/task", func(c *Client) (any, error) { return c.ListTasks(ctx) }},
		{"187-multicastsession-current-one", "GET", "/fog/multicastsession/current", func(c *Client) (any, error) { return c.ActiveMulticastSessions(ctx) }},
		{"028-tasktype-list", "GET", "/fog/tasktype", func(c *Client) (any, error) { return c.TaskTypes(ctx) }},
		{"025-imagetype-list", "GET", "/fog/imagetype", func(c *Client) (any, error) { return c.ImageTypes(ctx) }},
		{"027-imagepartitiontype-list", "GET", "/fog/imagepartitiontype", func(c *Client) (any, error) { return c.PartitionTypes(ctx) }},
		{"026-os-list", "GET", "/fog/os", func(c *Client) (any, error) { return c.OperatingSystems(ctx) }},
		{"029-storagegroup-list", "GET", "/fog/storagegroup", func(c *Client) (any, error) { return c.StorageGroups(ctx) }},
		{"354-b-macaddressassociation-list-end", "GET", "/fog/macaddressassociation", func(c *Client) (any, error) { return c.ListMACAssociations(ctx) }},
	}
	for _, tc := range cases {
		t.Run(tc.prefix, func(t *testing.T) {
			rec := loadRecording(t, tc.prefix)
			variant := stringifyNumbers(t, rec.ResponseBody)
			if !strings.Contains(variant, `"id":"`) {
				t.Fatal("conversion left the ids as numbers")
			}
			results := make([]any, 2)
			for i, body := range []string{rec.ResponseBody, variant} {
				f := newFake(t)
				f.replay(tc.method, tc.path, rec.withBody(body))
				v, err := tc.call(newTestClient(t, f.srv.URL))
				if err != nil {
					t.Fatalf("variant %d: %v", i, err)
				}
				results[i] = v
			}
			if v := reflect.ValueOf(results[0]); v.IsZero() ||
				(v.Kind() == reflect.Pointer && v.Elem().IsZero()) || (v.Kind() == reflect.Slice && v.Len() == 0) {
				t.Fatal("decoded nothing")
			}
			if !reflect.DeepEqual(results[0], results[1]) {
				t.Errorf("PHP 8.1 numbers: %+v\nPHP 8.0 strings: %+v", results[0], results[1])
			}
		})
	}
}

func TestUnknownFieldsAreIgnored(t *testing.T) {
	rec := loadRecording(t, "038-image-create-all-fields")
	base, err := decodeImage([]byte(rec.ResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	extended := strings.Replace(rec.ResponseBody, `{ "id": 3,`,
		`{ "futureField": {"a": [1, {"b": null}]}, "locationID": 7, "sites": [], "id": 3,`, 1)
	if extended == rec.ResponseBody {
		t.Fatal("recording changed")
	}
	got, err := decodeImage([]byte(extended))
	if err != nil {
		t.Fatal(err)
	}
	if *got != *base {
		t.Errorf("got %+v, want %+v", *got, *base)
	}
}

func TestListEnvelopeIsChecked(t *testing.T) {
	f := newFake(t)
	f.json("/fog/image", `{"count":0,"hosts":[]}`)
	_, err := newTestClient(t, f.srv.URL).ListImages(context.Background())
	if !errors.Is(err, ErrUnexpectedResponse) {
		t.Errorf("err = %v", err)
	}
}

func TestEmptyListIsEmpty(t *testing.T) {
	f := newFake(t)
	f.replay("GET", "/fog/image", loadRecording(t, "032-image-list-empty"))
	imgs, err := newTestClient(t, f.srv.URL).ListImages(context.Background())
	if err != nil || len(imgs) != 0 {
		t.Errorf("got %v, %v", imgs, err)
	}
}

func TestTaskTypeClassification(t *testing.T) {
	rec := loadRecording(t, "028-tasktype-list")
	f := newFake(t)
	f.replay("GET", "/fog/tasktype", rec)
	types, err := newTestClient(t, f.srv.URL).TaskTypes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(types) != 21 {
		t.Fatalf("got %d task types", len(types))
	}
	var deploy, capture, multicast, snapin []int64
	for _, tt := range types {
		if tt.IsDeploy() {
			deploy = append(deploy, tt.ID)
		}
		if tt.IsCapture() {
			capture = append(capture, tt.ID)
		}
		if tt.IsMulticast() {
			multicast = append(multicast, tt.ID)
		}
		if tt.IsSnapinTasking {
			snapin = append(snapin, tt.ID)
		}
	}
	// reference/fog-api.md §3.1
	for name, got := range map[string][]int64{"deploy": deploy, "capture": capture, "multicast": multicast, "snapin": snapin} {
		want := map[string]string{"deploy": "[1 8 15 17]", "capture": "[2 16]", "multicast": "[8]", "snapin": "[12 13]"}[name]
		if s := fmt.Sprint(sortedIDs(got)); s != want {
			t.Errorf("%s types %s, want %s", name, s, want)
		}
	}
	// By kernel arguments, as FOG's own regexps (case-insensitive, unanchored).
	custom := []struct {
		tt              TaskType
		deploy, capture bool
	}{
		{TaskType{ID: 30, KernelArgs: "TYPE=DOWN quiet"}, true, false},
		{TaskType{ID: 31, KernelArgs: "mode=x type=up"}, false, true},
		// FOG's deploy pattern is unanchored, so "type=16" also matches its
		// "type=1": FOG itself classifies such a type as both.
		{TaskType{ID: 32, KernelArgs: "type=16"}, true, true},
		{TaskType{ID: 33, KernelArgs: "mode=wipe"}, false, false},
		{TaskType{ID: 0, KernelArgs: "type=down"}, false, false},
		{TaskType{ID: 24}, true, false},
	}
	for _, c := range custom {
		if c.tt.IsDeploy() != c.deploy || c.tt.IsCapture() != c.capture || c.tt.IsImaging() != (c.deploy || c.capture) {
			t.Errorf("%+v: deploy %v capture %v", c.tt, c.tt.IsDeploy(), c.tt.IsCapture())
		}
	}
}

func sortedIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestLookupsDecode(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.replay("GET", "/fog/os", loadRecording(t, "026-os-list"))
	f.replay("GET", "/fog/imagetype", loadRecording(t, "025-imagetype-list"))
	f.replay("GET", "/fog/imagepartitiontype", loadRecording(t, "027-imagepartitiontype-list"))
	f.replay("GET", "/fog/storagegroup", loadRecording(t, "029-storagegroup-list"))
	c := newTestClient(t, f.srv.URL)
	oss, err := c.OperatingSystems(ctx)
	if err != nil || len(oss) != 12 {
		t.Fatalf("%d oss, %v", len(oss), err)
	}
	found := false
	for _, o := range oss {
		found = found || (o.ID == 51 && o.Name == "Chromium OS" && o.Description == "Chromium OS")
	}
	if !found {
		t.Errorf("no Chromium OS in %+v", oss)
	}
	its, err := c.ImageTypes(ctx)
	if err != nil || len(its) != 4 {
		t.Fatalf("%v %v", its, err)
	}
	pts, err := c.PartitionTypes(ctx)
	if err != nil || len(pts) != 12 {
		t.Fatalf("%v %v", pts, err)
	}
	sgs, err := c.StorageGroups(ctx)
	if err != nil || len(sgs) != 1 || sgs[0].ID != 1 || sgs[0].Name != "default" || sgs[0].Description != "Auto generated fog nfs group" {
		t.Fatalf("%+v %v", sgs, err)
	}
}

func TestPHPWarningsBeforeJSONAreIgnored(t *testing.T) {
	rec := loadRecording(t, "074-image-edit-only-description-no-name")
	warn := "<br /><b>Warning</b>: Undefined property: stdClass::$name in <b>/var/www/fog/lib/fog/route.class.php</b> on line <b>1550</b><br />" +
		"<br />\n<b>Deprecated</b>:  x {\"a\" in <b>/x.php</b> on line <b>2</b><br />\n"
	f := newFake(t)
	f.replay("GET", "/fog/image/2", loadRecording(t, "037-image-create-name-path-type-only-strings"))
	f.replay("PUT", "/fog/image/2/edit", rec.withBody(warn+rec.ResponseBody))
	logs := &captureLogger{}
	img, err := newTestClient(t, f.srv.URL, func(c *Config) { c.Logger = logs }).
		UpdateImage(context.Background(), 2, ImageUpdate{Description: ptr("only description")})
	if err != nil {
		t.Fatal(err)
	}
	if img.Description != "only description" {
		t.Errorf("got %+v", img)
	}
	if logs.count("FOG printed PHP warnings before its JSON answer (display_errors is on); they were ignored") != 1 {
		t.Errorf("not logged:\n%s", logs.all())
	}
	// A fatal error is not a warning.
	if _, ok := stripPHPWarnings(http.Header{"Content-Type": {"application/json"}},
		[]byte("<br /><b>Fatal error</b>: x in <b>/x.php</b> on line <b>1</b><br />{}")); ok {
		t.Error("fatal error stripped")
	}
}

// An object is FOG's error only without an "id" key: FOG's objects carry
// one, even when null, and an object may have a field named "error".
func TestCheckObject(t *testing.T) {
	for _, tc := range []struct {
		body    string
		message string // the fogMessageError's text; "" for no such error
		invalid bool   // not an object at all
	}{
		{body: `{"error":"error:1C800064:Provider routines::bad decrypt"}`, message: "error:1C800064:Provider routines::bad decrypt"},
		{body: `{"id":null,"error":"x"}`},
		{body: `{"id":"3","error":"x","name":"a"}`},
		{body: `{"name":"a"}`},
		{body: `{"error":7}`, message: "7"}, // FOG's scalars may be numbers
		{body: `[{"id":"1"}]`, invalid: true},
		{body: `{"id":`, invalid: true},
	} {
		err := checkObject([]byte(tc.body))
		var msg *fogMessageError
		switch {
		case tc.message != "":
			if !errors.As(err, &msg) || msg.msg != tc.message {
				t.Errorf("%s: got %v, want FOG's message %q", tc.body, err, tc.message)
			}
		case tc.invalid:
			if err == nil || errors.As(err, &msg) {
				t.Errorf("%s: got %v, want a decoding error", tc.body, err)
			}
		case err != nil:
			t.Errorf("%s: got %v, want no error", tc.body, err)
		}
	}
}
