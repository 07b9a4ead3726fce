// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Resource identity of fog_host: the identity fog_image has, checked by the
// same tests (resource_identity_test.go).

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// macList is a macs value as a configuration writes it.
func macList(macs ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(macs))
	for i, m := range macs {
		vals[i] = str(m)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

var hostIdentityResource = fogIDResource{
	typeName: "fog_host", object: "host", anObject: "a host",
	config: func(name string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str(name), "macs": macList(randomMAC())}
	},
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		h, err := c.GetHost(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{h.Name, h.Description}, nil
	},
	del:  func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteHost(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 { return e.seedHost(t, name, 0) },

	createdName:  "lab-01",
	seededName:   "Lab-01",
	importName:   "lab-01", // FOG compares host names without regard to case
	exampleName:  "lab-%02d",
	failedUpdate: &fogtest.FaultRule{Method: "PUT", Route: "/fog/host/{id}", Kind: fogtest.FaultFatal},
}

// TestHostIdentitySchema: fog_host is identified by the host's FOG id, a
// number, required to import by identity: the identity fog_image has.
func TestHostIdentitySchema(t *testing.T) {
	t.Parallel()
	testIdentitySchema(t, hostIdentityResource)
}

// TestHostIdentityCreateReadUpdate: see testIdentityCreateReadUpdate; a
// host also keeps its identity through an update FOG refuses.
func TestHostIdentityCreateReadUpdate(t *testing.T) {
	t.Parallel()
	testIdentityCreateReadUpdate(t, hostIdentityResource)
}

// TestHostImportByIdentity: see testImportByIdentity.
func TestHostImportByIdentity(t *testing.T) {
	t.Parallel()
	testImportByIdentity(t, hostIdentityResource)
}

// TestHostImportExamples: see testImportExamples.
func TestHostImportExamples(t *testing.T) {
	t.Parallel()
	testImportExamples(t, hostIdentityResource)
}
