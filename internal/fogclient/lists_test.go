package fogclient

import (
	"context"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// TestHostsWithImage: one filtered request returns exactly the hosts of an
// image, whatever the number of other hosts.
func TestHostsWithImage(t *testing.T) {
	srv, c := newEmulator(t, fogtest.Options{})
	ctx := context.Background()
	used, err := srv.SeedImage("used")
	if err != nil {
		t.Fatal(err)
	}
	other, err := srv.SeedImage("other")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for i, img := range []int64{used, other, used, 0, other, used} {
		id, err := srv.SeedHost("hwi-"+string(rune('a'+i)), img, "02:00:00:00:cc:0"+string(rune('1'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if img == used {
			want[id] = true
		}
	}
	srv.ResetCounters()
	hosts, err := c.HostsWithImage(ctx, used)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != len(want) {
		t.Fatalf("got %d hosts, want %d: %+v", len(hosts), len(want), hosts)
	}
	for _, h := range hosts {
		if !want[h.ID] || h.ImageID != used {
			t.Errorf("unexpected host %d with image %d", h.ID, h.ImageID)
		}
	}
	if n := srv.TotalRequests(); n != 1 {
		t.Errorf("%d requests, want 1 (%v)", n, srv.Counters())
	}
	if none, err := c.HostsWithImage(ctx, 4242); err != nil || len(none) != 0 {
		t.Errorf("image without hosts: %v %v", none, err)
	}
}

// TestHostsWithImage_filtersOnTheServer: the filter travels in the GET body,
// so FOG renders only the matching hosts.
func TestHostsWithImage_filtersOnTheServer(t *testing.T) {
	f := newFake(t)
	f.json("/fog/host", `{"count":0,"hosts":[]}`)
	c := newTestClient(t, f.srv.URL)
	if _, err := c.HostsWithImage(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	assertLines(t, f.requestLines(), []string{`GET /fog/host {"imageID":5}`})
}
