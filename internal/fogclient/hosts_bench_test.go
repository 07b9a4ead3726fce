// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

// The fog_hosts data source (and the host list of a refresh) on a large
// server: decoding GET /fog/host with 10,000 hosts, each as FOG renders it
// (every key of reference/fog-api.md §5.1, a full inventory and the nested image).
//
//	go test -run '^$' -bench BenchmarkListHosts -benchmem ./internal/fogclient
//
// Besides ns/op, B/op and allocs/op it reports cpu-ms/op (the process's CPU
// time, garbage collection included) and peak-heap-MB (the most heap the
// decode held at once above what was in use before it).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// hostListBody returns GET /fog/host of a server with n hosts. The emulator
// renders one host (with its inventory, image and two MACs) in FOG's format;
// the list repeats it with a distinct id, name, MACs and serial numbers per
// host, because the emulator itself lists 10,000 hosts far too slowly.
func hostListBody(tb testing.TB, n int) []byte {
	tb.Helper()
	srv := fogtest.New(fogtest.Options{})
	img, err := srv.SeedImage("win10-22h2-base")
	if err != nil {
		tb.Fatal(err)
	}
	id, err := srv.SeedHost("lab-00001", img, "02:00:00:00:00:01", "02:00:00:10:00:01")
	if err != nil {
		tb.Fatal(err)
	}
	srv.InsertRawRow("inventory", map[string]string{
		"hostID": fmt.Sprint(id), "primaryUser": "jdoe", "createdTime": "2026-01-05 09:12:44",
		"sysman": "Dell Inc.", "sysproduct": "OptiPlex 7090", "sysversion": "1.0.3", "sysserial": "SN0000001",
		"sysuuid": "4c4c4544-0000-0000-0000-000000000001", "systype": "Type: Desktop",
		"biosversion": "1.23.0", "biosvendor": "Dell Inc.", "biosdate": "08/14/2025",
		"mbman": "Dell Inc.", "mbproductname": "0YXWJ4", "mbversion": "A00", "mbserial": "MB0000001", "mbasset": "Not Specified",
		"cpuman": "Intel(R) Corporation", "cpuversion": "11th Gen Intel(R) Core(TM) i7-11700 @ 2.50GHz",
		"cpucurrent": "Current Speed: 2500 MHz", "cpumax": "Max Speed: 4900 MHz", "mem": "MemTotal: 16318480 kB",
		"hdmodel": "PM9A1 NVMe Samsung 512GB", "hdserial": "HD0000001", "hdfirmware": "GXA7801Q",
		"caseman": "Dell Inc.", "casever": "Not Specified", "caseserial": "CS0000001", "caseasset": "AT0000001",
	})
	req := httptest.NewRequest(http.MethodGet, "/fog/host", nil)
	req.Header.Set("fog-api-token", srv.APITokenHeader())
	req.Header.Set("fog-user-token", srv.UserTokenHeader())
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body := rec.Body.String()
	start := strings.Index(body, "[ {")
	end := strings.LastIndex(body, "} ]")
	if rec.Code != http.StatusOK || start < 0 || end < start {
		tb.Fatalf("emulator host list: %d %.200s", rec.Code, body)
	}
	host := body[start+2 : end+1]
	for _, want := range []string{`"id": 1, "name": "lab-00001"`, `"id": 1, "hostID": 1,`, `"sysserial": "SN0000001"`, `"02:00:00:10:00:01"`} {
		if !strings.Contains(host, want) {
			tb.Fatalf("rendered host lacks %s: %s", want, host)
		}
	}
	var out bytes.Buffer
	out.Grow(n * (len(host) + 16))
	fmt.Fprintf(&out, "{ \"count\": %d, \"hosts\": [ ", n)
	for i := 1; i <= n; i++ {
		if i > 1 {
			out.WriteString(", ")
		}
		r := strings.NewReplacer(
			`"id": 1, "name": "lab-00001"`, fmt.Sprintf(`"id": %d, "name": "lab-%05d"`, i, i),
			`"id": 1, "hostID": 1,`, fmt.Sprintf(`"id": %d, "hostID": %d,`, i, i),
			"02:00:00:00:00:01", fmt.Sprintf("02:00:00:%02x:%02x:%02x", i>>16, (i>>8)&0xff, i&0xff),
			"02:00:00:10:00:01", fmt.Sprintf("02:00:01:%02x:%02x:%02x", i>>16, (i>>8)&0xff, i&0xff),
			"0000001", fmt.Sprintf("%07d", i),
		)
		out.WriteString(r.Replace(host))
	}
	out.WriteString(" ]\n}")
	return out.Bytes()
}

var (
	hostListOnce sync.Once
	hostList     []byte
)

const benchHostCount = 10000

// BenchmarkListHosts10000 decodes a list of 10,000 hosts through the
// client, as fog_hosts and the refresh of host assignments do.
func BenchmarkListHosts10000(b *testing.B) {
	hostListOnce.Do(func() { hostList = hostListBody(b, benchHostCount) })
	// The answer comes from memory, not from a server in this process, so
	// that the CPU measured is the client's alone.
	c := newTestClient(b, "http://fog.bench", func(cfg *Config) { cfg.Transport = fixedAnswer(hostList) })
	ctx := context.Background()
	check := func() {
		hosts, err := c.ListHosts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(hosts) != benchHostCount || hosts[benchHostCount-1].Name != fmt.Sprintf("lab-%05d", benchHostCount) ||
			hosts[0].Inventory.SysSerial != "SN0000001" || len(hosts[0].MACs) != 2 || hosts[0].ImageName != "win10-22h2-base" {
			b.Fatalf("decoded %d hosts, first %+v", len(hosts), hosts[0])
		}
	}
	check() // warm up, and prove the decode is right

	peak := startHeapPeak()
	cpu0 := processCPU()
	b.ReportAllocs()
	b.SetBytes(int64(len(hostList)))
	b.ResetTimer()
	for b.Loop() {
		hosts, err := c.ListHosts(ctx)
		if err != nil || len(hosts) != benchHostCount {
			b.Fatalf("%d hosts, %v", len(hosts), err)
		}
	}
	b.StopTimer()
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
}

// fixedAnswer is a transport that answers every request with 200 and body,
// as FOG sends a list.
type fixedAnswer []byte

func (f fixedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": []string{"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(f)),
		Request: req, ContentLength: int64(len(f)),
	}, nil
}

// processCPU is the CPU time (user and system) of the whole process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startHeapPeak samples the heap (objects, live or not yet swept) until the
// returned function is called, and returns the highest value above the
// heap in use after a garbage collection at the start.
func startHeapPeak() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var highest atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > highest.Load() {
				highest.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		if m := highest.Load(); m > base {
			return m - base
		}
		return 0
	}
}
