// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Resource identity of the resources whose object FOG names by its id
// (fog_image and fog_host) through the RPCs that carry it
// (GetResourceIdentitySchemas, PlanResourceChange/ApplyResourceChange,
// ReadResource, ImportResourceState), as Terraform 1.12+ and OpenTofu 1.12
// call them: the identity schema, the identity after
// create, read and update, a refresh that fills a missing identity, import
// by identity, id and name. TestAccImage_identity and TestAccHost_identity
// (identity_acc_test.go) check the same through a CLI.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// fogIDIdentityType is the identity of every resource FOG names by its id
// (fogIDIdentityModel); testIdentitySchema checks that the provider
// declares it.
var fogIDIdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.Number}}

func identityData(t *testing.T, id int64) *tfprotov6.ResourceIdentityData {
	t.Helper()
	return &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, tftypes.NewValue(fogIDIdentityType, map[string]tftypes.Value{"id": num(id)}))}
}

// identityID returns the id of an identity the provider returned.
func identityID(t *testing.T, data *tfprotov6.ResourceIdentityData) int64 {
	t.Helper()
	if data == nil || data.IdentityData == nil {
		t.Fatal("no identity returned")
	}
	return int64Of(t, decode(t, data.IdentityData, fogIDIdentityType)["id"])
}

func (e *protocolEnv) resourceType(t *testing.T, typeName string) tftypes.Type {
	t.Helper()
	s, ok := e.Schema.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no resource schema %s", typeName)
	}
	return s.ValueType()
}

// fogIDResource is what the identity tests need to know of a resource
// whose object FOG names by its id.
type fogIDResource struct {
	typeName string // "fog_image"
	object   string // "image"
	anObject string // "an image"
	// config is a configuration of a new object with this name.
	config func(name string) map[string]tftypes.Value
	// get reads the object's name and description from FOG.
	get func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error)
	// del deletes the object outside Terraform.
	del func(ctx context.Context, c *fogclient.Client, id int64) error
	// seed creates an object outside Terraform.
	seed func(t *testing.T, e *protocolEnv, name string) int64

	createdName string // the object the create, read and update tests create
	seededName  string // the object the import tests import
	importName  string // seededName as an import by name gives it
	// exampleName names the objects seeded for the documented import by id.
	exampleName string
	// failedUpdate, when set, is the fault that makes an update fail, to
	// check that the object keeps its identity then.
	failedUpdate *fogtest.FaultRule
	// noForceDestroy: the resource has no force_destroy.
	noForceDestroy bool
}

type fogObjectText struct{ Name, Description string }

var imageIdentityResource = fogIDResource{
	typeName: "fog_image", object: "image", anObject: "an image",
	config: func(name string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str(name), "path": str(name), "image_type_id": num(1), "os_id": num(9)}
	},
	get: func(ctx context.Context, c *fogclient.Client, id int64) (fogObjectText, error) {
		img, err := c.GetImage(ctx, id)
		if err != nil {
			return fogObjectText{}, err
		}
		return fogObjectText{img.Name, img.Description}, nil
	},
	del:  func(ctx context.Context, c *fogclient.Client, id int64) error { return c.DeleteImage(ctx, id) },
	seed: func(t *testing.T, e *protocolEnv, name string) int64 { return e.seedImage(t, name, false) },

	createdName: "golden",
	seededName:  "Win10-Base",
	importName:  "Win10-Base",
	exampleName: "img%02d",
}

// create plans and applies a new object as Terraform would, and returns the
// new state and identity.
func (e *protocolEnv) create(t *testing.T, typeName string, config map[string]tftypes.Value) (*tfprotov6.DynamicValue, *tfprotov6.ResourceIdentityData) {
	t.Helper()
	ctx := context.Background()
	s := e.Schema.ResourceSchemas[typeName]
	cfg := dynamic(t, e.object(t, s, config))
	prior := dynamic(t, nullOf(s.ValueType()))
	plan, err := e.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
	applied, err := e.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: prior, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "ApplyResourceChange", applied.Diagnostics)
	return applied.NewState, applied.NewIdentity
}

// TestImageIdentitySchema: fog_image is identified by the image's FOG id, a
// number, required to import by identity.
func TestImageIdentitySchema(t *testing.T) {
	t.Parallel()
	resp := testIdentitySchema(t, imageIdentityResource)
	if _, ok := resp.IdentitySchemas["fog_task"]; ok {
		t.Error("fog_task has an identity, but a task is not importable")
	}
}

// TestImageIdentityCreateReadUpdate: see testIdentityCreateReadUpdate.
func TestImageIdentityCreateReadUpdate(t *testing.T) {
	t.Parallel()
	testIdentityCreateReadUpdate(t, imageIdentityResource)
}

// TestImageImportByIdentity: see testImportByIdentity.
func TestImageImportByIdentity(t *testing.T) {
	t.Parallel()
	testImportByIdentity(t, imageIdentityResource)
}

// TestImageImportExamples: see testImportExamples.
func TestImageImportExamples(t *testing.T) {
	t.Parallel()
	testImportExamples(t, imageIdentityResource)
}

// testIdentitySchema: the object is identified by its FOG id, a number,
// required to import by identity and described as the object's id.
func testIdentitySchema(t *testing.T, r fogIDResource) *tfprotov6.GetResourceIdentitySchemasResponse {
	t.Helper()
	env := newProtocolEnv(t, nil)
	resp, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := resp.IdentitySchemas[r.typeName]
	if s == nil || len(s.IdentityAttributes) != 1 {
		t.Fatalf("%s identity schema: %+v", r.typeName, s)
	}
	a := s.IdentityAttributes[0]
	if a.Name != "id" || !a.Type.Is(tftypes.Number) || !a.RequiredForImport || a.OptionalForImport ||
		a.Description != fmt.Sprintf("The FOG id of the %s.", r.object) {
		t.Errorf("identity attribute %+v, want id: number, required for import, described as the %s's id", a, r.object)
	}
	if !s.ValueType().Equal(fogIDIdentityType) {
		t.Errorf("identity type %s, want %s", s.ValueType(), fogIDIdentityType)
	}
	return resp
}

// testIdentityCreateReadUpdate: the identity is the new object's id after
// create; a refresh of an object stored before identities existed (no
// identity in the state) fills it in; reading such an object once it is
// gone removes it without an error; an update keeps the identity, and, for
// the resources that check it, so does an update that fails, even of an
// object stored without an identity.
func testIdentityCreateReadUpdate(t *testing.T, r fogIDResource) {
	t.Helper()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, r.typeName)

	config := r.config(r.createdName)
	state, identity := env.create(t, r.typeName, config)
	id := identityID(t, identity)
	stored := decode(t, state, typ)
	if got := stringOf(t, stored["id"]); got != strconv.FormatInt(id, 10) {
		t.Fatalf("identity id %d, state id %q", id, got)
	}
	if obj, err := r.get(ctx, env.Client, id); err != nil || obj.Name != r.createdName {
		t.Fatalf("%s %d on the server: %+v, %v", r.object, id, obj, err)
	}

	t.Run("read without an identity fills it", func(t *testing.T) {
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: r.typeName, CurrentState: state})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		if got := identityID(t, read.NewIdentity); got != id {
			t.Errorf("identity id %d, want %d", got, id)
		}
		if got := decode(t, read.NewState, typ); stringOf(t, got["name"]) != r.createdName {
			t.Errorf("state after read %v", got)
		}
	})

	t.Run(fmt.Sprintf("read of %s deleted outside Terraform", r.anObject), func(t *testing.T) {
		// Stored before identities existed (or by a CLI that keeps none):
		// the resource is removed from the state, without an error.
		other, _ := env.create(t, r.typeName, r.config("gone"))
		if err := r.del(ctx, env.Client, mustID(t, stringOf(t, decode(t, other, typ)["id"]))); err != nil {
			t.Fatal(err)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: r.typeName, CurrentState: other})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		if v, err := read.NewState.Unmarshal(typ); err != nil || !v.IsNull() {
			t.Errorf("state %v (%v), want null", v, err)
		}
	})

	update := func(t *testing.T, description string, prior *tfprotov6.ResourceIdentityData) *tfprotov6.ApplyResourceChangeResponse {
		t.Helper()
		set := maps.Clone(config)
		set["description"] = str(description)
		cfg := dynamic(t, env.object(t, env.Schema.ResourceSchemas[r.typeName], set))
		proposed := maps.Clone(stored)
		proposed["description"] = str(description)
		plan, err := env.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: r.typeName, PriorState: state, ProposedNewState: dynamic(t, tftypes.NewValue(typ, proposed)), Config: cfg,
			PriorIdentity: prior,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
		applied, err := env.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: r.typeName, PriorState: state, PlannedState: plan.PlannedState, Config: cfg,
			PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
		})
		if err != nil {
			t.Fatal(err)
		}
		return applied
	}

	t.Run("update keeps it", func(t *testing.T) {
		applied := update(t, "updated", identity)
		expectNoProtoErrors(t, "ApplyResourceChange", applied.Diagnostics)
		if got := identityID(t, applied.NewIdentity); got != id {
			t.Errorf("identity id %d after update, want %d", got, id)
		}
		if obj, err := r.get(ctx, env.Client, id); err != nil || obj.Description != "updated" {
			t.Errorf("%s %d on the server: %+v, %v", r.object, id, obj, err)
		}
	})

	if r.failedUpdate == nil {
		return
	}
	t.Run("failed update fills it", func(t *testing.T) {
		// A state without an identity (planned with -refresh=false after an
		// upgrade): the object keeps its id even when FOG refuses the write.
		fault := env.Emulator.AddFault(*r.failedUpdate)
		defer env.Emulator.RemoveFault(fault)
		applied := update(t, "never written", nil)
		expectProtoDiag(t, applied.Diagnostics, tfprotov6.DiagnosticSeverityError, "Unable to update "+r.object)
		if got := identityID(t, applied.NewIdentity); got != id {
			t.Errorf("identity id %d after a failed update, want %d", got, id)
		}
	})
}

// testImportByIdentity: an import block with identity = { id = N } imports
// object N (and the read that follows fills the state); an import by id or
// by name returns the identity too; an identity that names no object leaves
// nothing to read, and an invalid one is refused.
func testImportByIdentity(t *testing.T, r fogIDResource) {
	t.Helper()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, r.typeName)
	objectID := r.seed(t, env, r.seededName)

	importAndRead := func(t *testing.T, req *tfprotov6.ImportResourceStateRequest) (map[string]tftypes.Value, int64) {
		t.Helper()
		req.TypeName = r.typeName
		imp, err := env.Server.ImportResourceState(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		if len(imp.ImportedResources) != 1 {
			t.Fatalf("%d imported resources", len(imp.ImportedResources))
		}
		res := imp.ImportedResources[0]
		if got := identityID(t, res.Identity); got != objectID {
			t.Errorf("imported identity id %d, want %d", got, objectID)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: r.typeName, CurrentState: res.State, CurrentIdentity: res.Identity, Private: res.Private,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		return decode(t, read.NewState, typ), identityID(t, read.NewIdentity)
	}

	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"identity": {Identity: identityData(t, objectID)},
		"id":       {ID: strconv.FormatInt(objectID, 10)},
		"name":     {ID: "name:" + r.importName},
	} {
		t.Run("by "+name, func(t *testing.T) {
			state, gotID := importAndRead(t, req)
			if gotID != objectID || stringOf(t, state["id"]) != strconv.FormatInt(objectID, 10) || stringOf(t, state["name"]) != r.seededName {
				t.Errorf("after import: identity %d, state %v", gotID, state)
			}
			if r.noForceDestroy {
				return
			}
			var forceDestroy bool
			if v, has := state["force_destroy"]; has {
				if err := v.As(&forceDestroy); err != nil || forceDestroy {
					t.Errorf("force_destroy %v after import, want false", v)
				}
			}
		})
	}

	t.Run("identity of a missing "+r.object, func(t *testing.T) {
		imp, err := env.Server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
			TypeName: r.typeName, Identity: identityData(t, 9999),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: r.typeName, CurrentState: imp.ImportedResources[0].State, CurrentIdentity: imp.ImportedResources[0].Identity,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		// A null state: Terraform reports "Cannot import non-existent remote object".
		if v, err := read.NewState.Unmarshal(typ); err != nil || !v.IsNull() {
			t.Errorf("state %v (%v), want null", v, err)
		}
	})

	t.Run("invalid identity", func(t *testing.T) {
		imp, err := env.Server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
			TypeName: r.typeName, Identity: identityData(t, 0),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectProtoDiag(t, imp.Diagnostics, tfprotov6.DiagnosticSeverityError, "Unable to import "+r.object,
			"identity.id must be the FOG id of the "+r.object)
	})
}

// testImportExamples: the documented import blocks name the identity's
// attributes and an id the resource's import accepts.
func testImportExamples(t *testing.T, r fogIDResource) {
	t.Helper()
	env := newProtocolEnv(t, nil)
	ids, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	examples := "../../examples/resources/" + r.typeName
	identity := exampleBlock(t, examples+"/import-by-identity.tf", "import").Attributes["identity"]
	if identity == nil {
		t.Fatal("the identity example has no identity")
	}
	obj, ok := identity.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatalf("identity is a %T, not an object", identity.Expr)
	}
	var keys []string
	for _, item := range obj.Items {
		k, diags := item.KeyExpr.Value(nil)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		keys = append(keys, k.AsString())
	}
	var want []string
	for _, a := range ids.IdentitySchemas[r.typeName].IdentityAttributes {
		want = append(want, a.Name)
	}
	if !slices.Equal(keys, want) {
		t.Errorf("the example's identity sets %v, the identity schema has %v", keys, want)
	}

	byID := exampleBlock(t, examples+"/import-by-string-id.tf", "import").Attributes["id"]
	if byID == nil {
		t.Fatal("the id example has no id")
	}
	v, diags := byID.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var objectID int64
	for i := 1; i <= 12; i++ { // the example's object is 12
		objectID = r.seed(t, env, fmt.Sprintf(r.exampleName, i))
	}
	if got := v.AsString(); got != strconv.FormatInt(objectID, 10) {
		t.Fatalf("the example imports id %q; this test seeds %s %d", got, r.object, objectID)
	}
	imp, err := env.Server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: r.typeName, ID: v.AsString()})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
}

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
