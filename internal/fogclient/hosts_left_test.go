// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// hostsLeftFixture seeds an image with hosts on it and a client whose
// batches are sent at once (a window of 0: a batch of one).
func hostsLeftFixture(t *testing.T, hosts int) (*fogtest.Server, *Client, int64, []int64) {
	t.Helper()
	srv, c := newEmulator(t, fogtest.Options{})
	img, err := srv.SeedImage("left")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range hosts {
		id, err := srv.SeedHost(fmt.Sprintf("left-%d", i), img, fmt.Sprintf("02:00:00:00:0f:%02x", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return srv, c, img, ids
}

// hostsLeft calls HostsLeftOnImage and returns its answer with the lists it
// sent.
func hostsLeft(t *testing.T, srv *fogtest.Server, c *Client, img int64) (hosts []Host, reused bool, lists int64) {
	t.Helper()
	srv.ResetCounters()
	hosts, reused, err := c.HostsLeftOnImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	return hosts, reused, srv.Count("GET /fog/host")
}

// TestHostsLeftOnImageReusesTheUnassignsList: right after this process moved
// the image's only host off it, the check before the image's delete sends
// nothing; once, and only within UnassignListReuse.
func TestHostsLeftOnImageReusesTheUnassignsList(t *testing.T) {
	srv, c, img, ids := hostsLeftFixture(t, 1)
	if _, after, err := c.UnassignImageIfStill(context.Background(), ids[0], img); err != nil || after == nil || after.ImageID != 0 {
		t.Fatalf("unassign: %+v %v", after, err)
	}
	hosts, reused, lists := hostsLeft(t, srv, c, img)
	if !reused || lists != 0 || len(hosts) != 0 {
		t.Fatalf("after the unassign: hosts %v, reused %v, %d lists; want none, reused, no request", hosts, reused, lists)
	}
	// The record is used once: the next check reads.
	if _, reused, lists := hostsLeft(t, srv, c, img); reused || lists != 1 {
		t.Errorf("second check: reused %v, %d lists; want a list of its own", reused, lists)
	}

	// Too old: read again.
	if _, err := c.AssignImage(context.Background(), ids[0], img); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.UnassignImageIfStill(context.Background(), ids[0], img); err != nil {
		t.Fatal(err)
	}
	age(c)
	if _, reused, lists := hostsLeft(t, srv, c, img); reused || lists != 1 {
		t.Errorf("a list older than %s: reused %v, %d lists; want a list of its own", UnassignListReuse, reused, lists)
	}
}

// TestHostsLeftOnImageReadsWhenAnotherHostHadIt: the unassign's list showed
// a second host with the image, so the check reads, and finds it.
func TestHostsLeftOnImageReadsWhenAnotherHostHadIt(t *testing.T) {
	srv, c, img, ids := hostsLeftFixture(t, 2)
	if _, _, err := c.UnassignImageIfStill(context.Background(), ids[0], img); err != nil {
		t.Fatal(err)
	}
	hosts, reused, lists := hostsLeft(t, srv, c, img)
	if reused || lists != 1 || len(hosts) != 1 || hosts[0].ID != ids[1] {
		t.Fatalf("hosts %v, reused %v, %d lists; want host %d from a list of its own", hosts, reused, lists, ids[1])
	}
}

// TestHostsLeftOnImageAfterAnAssignment: an image assignment written by this
// process after the unassign's list voids it (the host may now have the
// image).
func TestHostsLeftOnImageAfterAnAssignment(t *testing.T) {
	srv, c, img, ids := hostsLeftFixture(t, 1)
	other, err := srv.SeedHost("left-other", 0, "02:00:00:00:0f:99")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.UnassignImageIfStill(context.Background(), ids[0], img); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AssignImage(context.Background(), other, img); err != nil {
		t.Fatal(err)
	}
	hosts, reused, lists := hostsLeft(t, srv, c, img)
	if reused || lists != 1 || len(hosts) != 1 || hosts[0].ID != other {
		t.Fatalf("hosts %v, reused %v, %d lists; want host %d from a list of its own", hosts, reused, lists, other)
	}

	// An assignment written while the unassign's list was out: no record.
	c.unassigned.mu.Lock()
	gen := c.unassigned.gen
	c.unassigned.mu.Unlock()
	c.unassigned.assigned()
	c.unassigned.note(img, time.Now(), gen)
	if c.unassigned.take(img, UnassignListReuse, false) {
		t.Error("a record read before an assignment was kept")
	}
}

// TestHostsLeftOnImageHostAssignedOutside: a host given the image outside
// this process within UnassignListReuse is not seen (the window the
// reuse costs, stated at UnassignListReuse); after it, it is.
func TestHostsLeftOnImageHostAssignedOutside(t *testing.T) {
	srv, c, img, ids := hostsLeftFixture(t, 1)
	if _, _, err := c.UnassignImageIfStill(context.Background(), ids[0], img); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SeedHost("left-outside", img, "02:00:00:00:0f:98"); err != nil {
		t.Fatal(err)
	}
	age(c)
	hosts, reused, _ := hostsLeft(t, srv, c, img)
	if reused || len(hosts) != 1 || hosts[0].Name != "left-outside" {
		t.Fatalf("hosts %v, reused %v; want left-outside from a list of its own", hosts, reused)
	}
}

// age makes every record of c older than UnassignListReuse.
func age(c *Client) {
	c.unassigned.mu.Lock()
	defer c.unassigned.mu.Unlock()
	for id, r := range c.unassigned.m {
		r.sent = r.sent.Add(-UnassignListReuse - time.Millisecond)
		c.unassigned.m[id] = r
	}
}

// unassignedImages seeds n images, each with one host that this process then
// moves off it, and ages the records of those unassigns past
// UnassignListReuse: what the image deletes of a destroy meet seconds
// after the assignments' destroys.
func unassignedImages(t *testing.T, srv *fogtest.Server, c *Client, prefix string, macByte, n int) []int64 {
	t.Helper()
	var imgs []int64
	for i := range n {
		img, err := srv.SeedImage(fmt.Sprintf("%s-%d", prefix, i))
		if err != nil {
			t.Fatal(err)
		}
		h, err := srv.SeedHost(fmt.Sprintf("%s-%d", prefix, i), img, fmt.Sprintf("02:00:00:00:%02x:%02x", macByte, i))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
		if _, _, err := c.UnassignImageIfStill(context.Background(), h, img); err != nil {
			t.Fatal(err)
		}
	}
	age(c)
	return imgs
}

// TestHostsLeftOnImageAsksForTheDeletesToCome: Terraform destroys every
// assignment before the images (their deletes come seconds later), so the
// check of one image also asks for the other images this process moved
// hosts off; their checks then need no request while that list is fresh.
// A list that shows one of them with a host (assigned outside) voids its
// record: its check reads and finds the host.
func TestHostsLeftOnImageAsksForTheDeletesToCome(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	imgs := unassignedImages(t, srv, c, "ahead", 0x0d, 3)
	outside, err := srv.SeedHost("ahead-outside", imgs[2], "02:00:00:00:0d:99")
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	if got, reused, err := c.HostsLeftOnImage(ctx, imgs[0]); err != nil || reused || len(got) != 0 {
		t.Fatalf("first image: %v, reused %v, %v", got, reused, err)
	}
	if got, reused, err := c.HostsLeftOnImage(ctx, imgs[1]); err != nil || !reused || len(got) != 0 {
		t.Fatalf("second image: %v, reused %v, %v; want none from the first image's list", got, reused, err)
	}
	if n := srv.Count("GET /fog/host"); n != 1 {
		t.Errorf("%d lists for two images, want 1", n)
	}
	got, reused, err := c.HostsLeftOnImage(ctx, imgs[2])
	if err != nil || reused || len(got) != 1 || got[0].ID != outside {
		t.Fatalf("third image: %v, reused %v, %v; want host %d from a list of its own", got, reused, err, outside)
	}
	if n := srv.Count("GET /fog/host"); n != 2 {
		t.Errorf("%d lists for three images, want 2", n)
	}
	if len(c.unassigned.m) != 0 {
		t.Errorf("records left after the three deletes' checks: %v", c.unassigned.m)
	}
}

// TestHostsLeftOnImageWaitsForTheListOnItsWay: an image's check that starts
// while a list asking for it (another check's, with the deletes to come) is
// on its way waits for that list's answer instead of sending its own (a
// batch of its own would also wait for the coalescing window).
func TestHostsLeftOnImageWaitsForTheListOnItsWay(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	imgs := unassignedImages(t, srv, c, "way", 0x0c, 2)
	srv.ResetCounters()
	srv.SetLatency(300 * time.Millisecond) // the first check's list stays on its way
	first := make(chan error, 1)
	go func() {
		got, reused, err := c.HostsLeftOnImage(ctx, imgs[0])
		if err == nil && (reused || len(got) != 0) {
			err = fmt.Errorf("first image: %v, reused %v; want none from a list of its own", got, reused)
		}
		first <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); c.unassigned.answerFor(imgs[1], UnassignListReuse) == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first check's list never asked for the second image")
		}
	}
	got, reused, err := c.HostsLeftOnImage(ctx, imgs[1])
	if err != nil || !reused || len(got) != 0 {
		t.Fatalf("second image: %v, reused %v, %v; want none, from the first check's list", got, reused, err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("GET /fog/host"); n != 1 {
		t.Errorf("%d lists for two images, want 1", n)
	}
}
