// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Command provider serves, for the benchmark only, either the real provider
// (internal/provider) or the floor (a provider of the same resource shapes
// that does nothing, floor.go) in debug mode: one long-lived process that
// Terraform reattaches to through TF_REATTACH_PROVIDERS for every walk of a
// run, so that the provider's whole CPU time is that of one process (the
// benchmark reads it from the process's rusage when it exits). It prints the
// value of TF_REATTACH_PROVIDERS as one line on stdout, serves until SIGINT
// or SIGTERM, and with -cpuprofile writes a pprof CPU profile of everything
// it served.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	fog "github.com/fogproject/terraform-provider-fog/internal/provider"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench provider:", err)
		os.Exit(1)
	}
}

func run() error {
	floor := flag.Bool("floor", false, "serve the floor provider instead of the real one")
	quiet := flag.Bool("silence-unread-logs", false, "turn off the logs Terraform discards, as the provider's main does (the floor: as the real provider's main would)")
	address := flag.String("address", fog.Address, "provider source address Terraform knows the provider by (the reattach key)")
	cpuProfile := flag.String("cpuprofile", "", "write a pprof CPU profile of the whole run to this file")
	allocProfile := flag.String("allocprofile", "", "write a pprof profile of the whole run's allocations to this file when it ends")
	flag.Parse()

	if *allocProfile != "" {
		defer func() {
			if err := writeAllocProfile(*allocProfile); err != nil {
				fmt.Fprintln(os.Stderr, "allocation profile:", err)
			}
		}()
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		}()
	}

	// Terraform reads no logs of a reattached provider; the benchmark runs
	// it without TF_LOG, so the provider's main would silence them.
	if *quiet && !fog.SilenceUnreadLogs() {
		return fmt.Errorf("-silence-unread-logs: TF_LOG or TF_LOG_PROVIDER is set")
	}
	p := fog.New("bench")
	if *floor {
		p = newFloor
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- tf6server.Serve(*address, providerserver.NewProtocol6(p()), tf6server.WithDebug(ctx, reattach, closed))
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	}
	type addr struct{ Network, String string }
	line, err := json.Marshal(map[string]any{*address: map[string]any{
		"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
		"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
	}})
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	<-closed
	return nil
}

// writeAllocProfile writes every allocation sampled since the start.
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
