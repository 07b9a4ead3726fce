// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Resource identity of fog_snapin, fog_storage_group and fog_storage_node
// at the protocol level, with identity_test.go's checks.

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var snapinIdentityResource = fogIDResource{
	typeName: "fog_snapin", object: "snapin", anObject: "a snapin",
	config: func(name string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str(name), "file": str(name + ".msi")}
	},
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		s, err := c.GetSnapin(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{s.Name, s.Description}, nil
	},
	del: func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteSnapin(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 {
		s, err := e.Client.CreateSnapin(context.Background(), fogclient.SnapinCreate{Name: name, File: "seed.msi", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	},
	createdName: "7zip", seededName: "Office-2021", importName: "office-2021",
}

var storageGroupIdentityResource = fogIDResource{
	typeName: "fog_storage_group", object: "storage group", anObject: "a storage group",
	config: func(name string) map[string]tftypes.Value { return map[string]tftypes.Value{"name": str(name)} },
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		g, err := c.GetStorageGroup(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{g.Name, g.Description}, nil
	},
	del: func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteStorageGroup(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 {
		g, err := e.Client.CreateStorageGroup(context.Background(), fogclient.StorageGroupCreate{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	},
	createdName: "site-b", seededName: "Site-C", importName: "site-c",
}

var storageNodeIdentityResource = fogIDResource{
	typeName: "fog_storage_node", object: "storage node", anObject: "a storage node",
	config: func(name string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str(name), "storage_group_id": num(1), "ip": str("10.5.5.5"),
			"user": str("fogproject"), "password": str("pw-identity")}
	},
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		n, err := c.GetStorageNode(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{n.Name, n.Description}, nil
	},
	del: func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteStorageNode(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 {
		n, err := e.Client.CreateStorageNode(context.Background(), fogclient.StorageNodeCreate{Name: name, StorageGroupID: 1,
			IP: "10.5.5.6", Path: "/images", FTPPath: "/images", User: "fogproject", Password: "pw-seed"})
		if err != nil {
			t.Fatal(err)
		}
		return n.ID
	},
	createdName: "node-b1", seededName: "Node-B2", importName: "node-b2",
}

func TestStorageIdentities(t *testing.T) {
	for _, r := range []fogIDResource{snapinIdentityResource, storageGroupIdentityResource, storageNodeIdentityResource} {
		t.Run(r.typeName, func(t *testing.T) {
			t.Parallel()
			testIdentitySchema(t, r)
			testIdentityCreateReadUpdate(t, r)
			testImportByIdentity(t, r)
		})
	}
}
