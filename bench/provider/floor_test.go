// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	fog "github.com/fogproject/terraform-provider-fog/internal/provider"
)

// The floor must ask Terraform for the same work as the real provider: the
// same attributes, with the same types and flags, in the two resources the
// benchmark uses.
func TestFloorMatchesProviderSchemas(t *testing.T) {
	schemas := func(p provider.Provider) map[string]*tfprotov6.Schema {
		resp, err := providerserver.NewProtocol6(p)().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return resp.ResourceSchemas
	}
	provided, floor := schemas(fog.New("test")()), schemas(newFloor())
	for _, name := range []string{"fog_image", "fog_host_image_assignment"} {
		want, got := attributes(t, provided[name]), attributes(t, floor[name])
		if len(want) != len(got) {
			t.Errorf("%s: floor has %d attributes, the provider %d", name, len(got), len(want))
		}
		for attr, w := range want {
			if g, ok := got[attr]; !ok || g != w {
				t.Errorf("%s.%s: floor %+v, provider %+v", name, attr, g, w)
			}
		}
	}
}

type shape struct {
	typ                          string
	required, optional, computed bool
}

func attributes(t *testing.T, s *tfprotov6.Schema) map[string]shape {
	t.Helper()
	if s == nil || s.Block == nil {
		t.Fatal("no schema")
	}
	out := map[string]shape{}
	for _, a := range s.Block.Attributes {
		out[a.Name] = shape{typ: a.Type.String(), required: a.Required, optional: a.Optional, computed: a.Computed}
	}
	return out
}
