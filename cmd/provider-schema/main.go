// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Command provider-schema writes the provider's schemas in the format of
// `terraform providers schema -json`, straight from the provider (package
// schemajson), for `tfplugindocs generate --providers-schema`: `make docs`
// then documents actions, list resources and resource identities, which
// the Terraform CLI this project builds with (1.5.7) does not know.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/fogproject/terraform-provider-fog/internal/provider"
	"github.com/fogproject/terraform-provider-fog/internal/schemajson"
)

// docsAddress is the key tfplugindocs looks the provider up by: when it asks
// a Terraform CLI itself, it installs the provider under this address.
const docsAddress = "registry.terraform.io/hashicorp/fog"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "provider-schema:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("provider-schema", flag.ContinueOnError)
	out := fs.String("o", "", "file to write (default: standard output)")
	address := fs.String("address", docsAddress, "provider address to key the schema by")
	if err := fs.Parse(args); err != nil {
		return err
	}
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return err
	}
	schemas, err := schemajson.FromServer(context.Background(), server, *address)
	if err != nil {
		return err
	}
	raw, err := json.MarshalIndent(schemas, "", "  ")
	if err != nil {
		return err
	}
	raw = append(raw, '\n')
	if *out == "" {
		_, err = os.Stdout.Write(raw)
		return err
	}
	return os.WriteFile(*out, raw, 0o600)
}
