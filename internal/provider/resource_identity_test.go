package provider

// Resource identity of fog_image through the RPCs that carry it
// (GetResourceIdentitySchemas, PlanResourceChange/ApplyResourceChange,
// ReadResource, ImportResourceState), as Terraform 1.12+ and OpenTofu 1.12
// call them. TestAccImage_identity (resource_identity_acc_test.go) checks the
// same through a CLI.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fogIDIdentityType is the identity of every resource FOG names by its id
// (fogIDIdentityModel); TestImageIdentitySchema checks that the provider
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

// createImage plans and applies a new fog_image as Terraform would, and
// returns the new state and identity.
func (e *protocolEnv) createImage(t *testing.T, name string) (*tfprotov6.DynamicValue, *tfprotov6.ResourceIdentityData) {
	t.Helper()
	ctx := context.Background()
	s := e.Schema.ResourceSchemas["fog_image"]
	cfg := dynamic(t, e.object(t, s, map[string]tftypes.Value{
		"name": str(name), "path": str(name), "image_type_id": num(1), "os_id": num(9),
	}))
	prior := dynamic(t, nullOf(s.ValueType()))
	plan, err := e.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "fog_image", PriorState: prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
	applied, err := e.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "fog_image", PriorState: prior, PlannedState: plan.PlannedState, Config: cfg,
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
	env := newProtocolEnv(t, nil)
	resp, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := resp.IdentitySchemas["fog_image"]
	if s == nil || len(s.IdentityAttributes) != 1 {
		t.Fatalf("fog_image identity schema: %+v", s)
	}
	a := s.IdentityAttributes[0]
	if a.Name != "id" || !a.Type.Is(tftypes.Number) || !a.RequiredForImport || a.OptionalForImport || a.Description == "" {
		t.Errorf("identity attribute %+v, want id: number, required for import, described", a)
	}
	if !s.ValueType().Equal(fogIDIdentityType) {
		t.Errorf("identity type %s, want %s", s.ValueType(), fogIDIdentityType)
	}
	if _, ok := resp.IdentitySchemas["fog_task"]; ok {
		t.Error("fog_task has an identity, but a task is not importable")
	}
}

// TestImageIdentityCreateReadUpdate: the identity is the new image's id
// after create; a refresh of an image stored before identities existed
// (no identity in the state) fills it in; an update keeps it.
func TestImageIdentityCreateReadUpdate(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, "fog_image")

	state, identity := env.createImage(t, "golden")
	id := identityID(t, identity)
	stored := decode(t, state, typ)
	if got := stringOf(t, stored["id"]); got != strconv.FormatInt(id, 10) {
		t.Fatalf("identity id %d, state id %q", id, got)
	}
	if img, err := env.Client.GetImage(ctx, id); err != nil || img.Name != "golden" {
		t.Fatalf("image %d on the server: %+v, %v", id, img, err)
	}

	t.Run("read without an identity fills it", func(t *testing.T) {
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "fog_image", CurrentState: state})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		if got := identityID(t, read.NewIdentity); got != id {
			t.Errorf("identity id %d, want %d", got, id)
		}
	})

	t.Run("read of an image deleted outside Terraform", func(t *testing.T) {
		// Stored before identities existed (or by a CLI that keeps none):
		// the resource is removed from the state, without an error.
		other, _ := env.createImage(t, "gone")
		if err := env.Client.DeleteImage(ctx, mustID(t, stringOf(t, decode(t, other, typ)["id"]))); err != nil {
			t.Fatal(err)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "fog_image", CurrentState: other})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		if v, err := read.NewState.Unmarshal(typ); err != nil || !v.IsNull() {
			t.Errorf("state %v (%v), want null", v, err)
		}
	})

	t.Run("update keeps it", func(t *testing.T) {
		cfg := dynamic(t, env.object(t, env.Schema.ResourceSchemas["fog_image"], map[string]tftypes.Value{
			"name": str("golden"), "path": str("golden"), "image_type_id": num(1), "os_id": num(9), "description": str("updated"),
		}))
		proposed := stored
		proposed["description"] = str("updated")
		proposedValue := dynamic(t, tftypes.NewValue(typ, proposed))
		plan, err := env.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "fog_image", PriorState: state, ProposedNewState: proposedValue, Config: cfg, PriorIdentity: identity,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
		applied, err := env.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "fog_image", PriorState: state, PlannedState: plan.PlannedState, Config: cfg,
			PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ApplyResourceChange", applied.Diagnostics)
		if got := identityID(t, applied.NewIdentity); got != id {
			t.Errorf("identity id %d after update, want %d", got, id)
		}
		if img, err := env.Client.GetImage(ctx, id); err != nil || img.Description != "updated" {
			t.Errorf("image %d on the server: %+v, %v", id, img, err)
		}
	})
}

// TestImageImportByIdentity: an import block with identity = { id = N }
// imports image N (and the read that follows fills the state); an import by
// id or by name returns the identity too; an identity that names no image
// leaves nothing to read, and an invalid one is refused.
func TestImageImportByIdentity(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, "fog_image")
	imageID := env.seedImage(t, "Win10-Base", false)

	importAndRead := func(t *testing.T, req *tfprotov6.ImportResourceStateRequest) (map[string]tftypes.Value, int64) {
		t.Helper()
		req.TypeName = "fog_image"
		imp, err := env.Server.ImportResourceState(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		if len(imp.ImportedResources) != 1 {
			t.Fatalf("%d imported resources", len(imp.ImportedResources))
		}
		r := imp.ImportedResources[0]
		if got := identityID(t, r.Identity); got != imageID {
			t.Errorf("imported identity id %d, want %d", got, imageID)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "fog_image", CurrentState: r.State, CurrentIdentity: r.Identity, Private: r.Private,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		return decode(t, read.NewState, typ), identityID(t, read.NewIdentity)
	}

	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"identity": {Identity: identityData(t, imageID)},
		"id":       {ID: strconv.FormatInt(imageID, 10)},
		"name":     {ID: "name:Win10-Base"},
	} {
		t.Run("by "+name, func(t *testing.T) {
			state, gotID := importAndRead(t, req)
			if gotID != imageID || stringOf(t, state["id"]) != strconv.FormatInt(imageID, 10) || stringOf(t, state["name"]) != "Win10-Base" {
				t.Errorf("after import: identity %d, state %v", gotID, state)
			}
			var forceDestroy bool
			if err := state["force_destroy"].As(&forceDestroy); err != nil || forceDestroy {
				t.Errorf("force_destroy %v after import, want false", state["force_destroy"])
			}
		})
	}

	t.Run("identity of a missing image", func(t *testing.T) {
		imp, err := env.Server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
			TypeName: "fog_image", Identity: identityData(t, 9999),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "fog_image", CurrentState: imp.ImportedResources[0].State, CurrentIdentity: imp.ImportedResources[0].Identity,
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
			TypeName: "fog_image", Identity: identityData(t, 0),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectProtoDiag(t, imp.Diagnostics, tfprotov6.DiagnosticSeverityError, "Unable to import image", "identity.id must be the FOG id")
	})
}

// TestImageImportExamples: the documented import blocks name the identity's
// attributes and an id the resource's import accepts.
func TestImageImportExamples(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ids, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identity := exampleBlock(t, "../../examples/resources/fog_image/import-by-identity.tf", "import").Attributes["identity"]
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
	for _, a := range ids.IdentitySchemas["fog_image"].IdentityAttributes {
		want = append(want, a.Name)
	}
	if !slices.Equal(keys, want) {
		t.Errorf("the example's identity sets %v, the identity schema has %v", keys, want)
	}

	byID := exampleBlock(t, "../../examples/resources/fog_image/import-by-string-id.tf", "import").Attributes["id"]
	if byID == nil {
		t.Fatal("the id example has no id")
	}
	v, diags := byID.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var imageID int64
	for i := 1; i <= 12; i++ { // the example's image is 12
		imageID = env.seedImage(t, fmt.Sprintf("img%02d", i), false)
	}
	if got := v.AsString(); got != strconv.FormatInt(imageID, 10) {
		t.Fatalf("the example imports id %q; this test seeds image %d", got, imageID)
	}
	imp, err := env.Server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: "fog_image", ID: v.AsString()})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
}
