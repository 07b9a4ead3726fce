// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Command fog-emulator serves the in-memory FOG 1.5.9 emulator
// (internal/fogtest) on the loopback interface, for `make demo`, manual
// provider runs and benchmarks.
//
// The first line on stdout is the base URL (useful with -listen
// 127.0.0.1:0); the next lines are the header values a client must send.
// The knobs are reachable over HTTP under /_emulator/ (see package fogtest).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fog-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("fog-emulator", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "loopback address to listen on (port 0 picks a free port)")
	apiToken := fs.String("api-token", fogtest.DefaultAPIToken, "raw global API token (clients send its base64)")
	userToken := fs.String("user-token", fogtest.DefaultUserToken, "raw API token of user \"fog\" (clients send its base64)")
	latency := fs.Duration("latency", 0, "time each request holds a worker before it is handled")
	workers := fs.Int("workers", fogtest.DefaultWorkers, "worker pool size (php-fpm children)")
	phpStrings := fs.Bool("php-strings", false, "render every database value as a JSON string (PHP <= 8.0)")
	modPHP := fs.Bool("mod-php", false, "let HTTP Basic auth reach PHP (mod_php instead of php-fpm)")
	apiDisabled := fs.Bool("api-disabled", false, "start with FOG_API_ENABLED=0 (every API call answers 302)")
	progressPolls := fs.Int("progress-polls", 0, "advance a task one step every N times the API shows it (0: off)")
	progressEvery := fs.Duration("progress-every", 0, "advance every active task one step per interval (0: off)")
	demoHosts := fs.Int("demo-hosts", 0, "seed N hosts demo-01.. with locally administered MACs 02:00:00:00:00:NN")
	listRowCost := fs.Duration("list-row-cost", 0, "time a host list (or search) holds its worker per rendered host, e.g. 1.3ms (a real FOG 1.5.9 takes about 1 ms per host)")
	listMaxRows := fs.Int("list-max-rows", 0, "a host list that would render more hosts than this answers FOG's PHP memory-exhausted fatal (500, empty body); 0: unlimited")
	seedHosts := fs.Int("seed-hosts", 0, "bulk-add N hosts bulk-00001.. with unique MACs 02:b0:.. (a large server)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen %s: the emulator only serves on a loopback address", *listen)
	}
	if *demoHosts < 0 || *demoHosts > 250 {
		return errors.New("-demo-hosts must be between 0 and 250")
	}
	if *listRowCost < 0 || *listMaxRows < 0 || *seedHosts < 0 {
		return errors.New("-list-row-cost, -list-max-rows and -seed-hosts must not be negative")
	}

	srv := fogtest.New(fogtest.Options{
		APIToken:            *apiToken,
		UserToken:           *userToken,
		PHPStrings:          *phpStrings,
		BasicAuthReachesPHP: *modPHP,
		APIDisabled:         *apiDisabled,
		Latency:             *latency,
		Workers:             *workers,
		AutoProgress:        fogtest.AutoProgress{EveryPolls: *progressPolls, Every: *progressEvery},
		ListRowCost:         *listRowCost,
		ListMaxRows:         *listMaxRows,
	})
	for i := 1; i <= *demoHosts; i++ {
		mac := fmt.Sprintf("02:00:00:00:00:%02x", i)
		if _, err := srv.SeedHost(fmt.Sprintf("demo-%02d", i), 0, mac); err != nil {
			return err
		}
	}
	if _, err := srv.SeedHosts(*seedHosts); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr().String())
	fmt.Printf("fog-api-token: %s\n", fogtest.EncodeToken(*apiToken))
	fmt.Printf("fog-user-token: %s\n", fogtest.EncodeToken(*userToken))
	fmt.Printf("API base: http://%s/fog   admin: http://%s/_emulator/\n", ln.Addr().String(), ln.Addr().String())

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	// A "refuse" outage (PUT /_emulator/outage) closes this listener.
	go func() { errc <- hs.Serve(srv.Listener(ln)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}
