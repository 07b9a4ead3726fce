package provider

// Resource identity of fog_host through the RPCs that carry it, as
// resource_identity_test.go checks it for fog_image: the identity schema,
// the identity after create, read and update, a refresh that fills a
// missing identity, import by identity, id and name. TestAccHost_identity
// (resource_identity_acc_test.go) checks the same through a CLI.

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

// createHost plans and applies a new fog_host as Terraform would, and
// returns the new state and identity.
func (e *protocolEnv) createHost(t *testing.T, name string, macs ...string) (*tfprotov6.DynamicValue, *tfprotov6.ResourceIdentityData) {
	t.Helper()
	ctx := context.Background()
	s := e.Schema.ResourceSchemas["fog_host"]
	cfg := dynamic(t, e.object(t, s, map[string]tftypes.Value{"name": str(name), "macs": macList(macs...)}))
	prior := dynamic(t, nullOf(s.ValueType()))
	plan, err := e.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "fog_host", PriorState: prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
	applied, err := e.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "fog_host", PriorState: prior, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "ApplyResourceChange", applied.Diagnostics)
	return applied.NewState, applied.NewIdentity
}

// TestHostIdentitySchema: fog_host is identified by the host's FOG id, a
// number, required to import by identity: the identity fog_image has.
func TestHostIdentitySchema(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	resp, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := resp.IdentitySchemas["fog_host"]
	if s == nil || len(s.IdentityAttributes) != 1 {
		t.Fatalf("fog_host identity schema: %+v", s)
	}
	a := s.IdentityAttributes[0]
	if a.Name != "id" || !a.Type.Is(tftypes.Number) || !a.RequiredForImport || a.OptionalForImport || a.Description != "The FOG id of the host." {
		t.Errorf("identity attribute %+v, want id: number, required for import, described as the host's id", a)
	}
	if !s.ValueType().Equal(fogIDIdentityType) {
		t.Errorf("identity type %s, want %s", s.ValueType(), fogIDIdentityType)
	}
}

// TestHostIdentityCreateReadUpdate: the identity is the new host's id after
// create; a refresh of a host stored before identities existed (no
// identity in the state) fills it in; reading such a host once it is gone
// removes it without an error; an update keeps the identity, and so does
// an update that fails, even of a host stored without an identity.
func TestHostIdentityCreateReadUpdate(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, "fog_host")
	mac := randomMAC()

	state, identity := env.createHost(t, "lab-01", mac)
	id := identityID(t, identity)
	stored := decode(t, state, typ)
	if got := stringOf(t, stored["id"]); got != strconv.FormatInt(id, 10) {
		t.Fatalf("identity id %d, state id %q", id, got)
	}
	if h, err := env.Client.GetHost(ctx, id); err != nil || h.Name != "lab-01" {
		t.Fatalf("host %d on the server: %+v, %v", id, h, err)
	}

	t.Run("read without an identity fills it", func(t *testing.T) {
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "fog_host", CurrentState: state})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		if got := identityID(t, read.NewIdentity); got != id {
			t.Errorf("identity id %d, want %d", got, id)
		}
		if got := decode(t, read.NewState, typ); stringOf(t, got["name"]) != "lab-01" {
			t.Errorf("state after read %v", got)
		}
	})

	t.Run("read of a host deleted outside Terraform", func(t *testing.T) {
		// Stored before identities existed (or by a CLI that keeps none):
		// the resource is removed from the state, without an error.
		other, _ := env.createHost(t, "gone", randomMAC())
		if err := env.Client.DeleteHost(ctx, mustID(t, stringOf(t, decode(t, other, typ)["id"]))); err != nil {
			t.Fatal(err)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "fog_host", CurrentState: other})
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
		cfg := dynamic(t, env.object(t, env.Schema.ResourceSchemas["fog_host"], map[string]tftypes.Value{
			"name": str("lab-01"), "macs": macList(mac), "description": str(description),
		}))
		proposed := maps.Clone(stored)
		proposed["description"] = str(description)
		plan, err := env.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "fog_host", PriorState: state, ProposedNewState: dynamic(t, tftypes.NewValue(typ, proposed)), Config: cfg,
			PriorIdentity: prior,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "PlanResourceChange", plan.Diagnostics)
		applied, err := env.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: "fog_host", PriorState: state, PlannedState: plan.PlannedState, Config: cfg,
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
		if h, err := env.Client.GetHost(ctx, id); err != nil || h.Description != "updated" {
			t.Errorf("host %d on the server: %+v, %v", id, h, err)
		}
	})

	t.Run("failed update fills it", func(t *testing.T) {
		// A state without an identity (planned with -refresh=false after an
		// upgrade): the host keeps its id even when FOG refuses the write.
		fault := env.Emulator.AddFault(fogtest.FaultRule{Method: "PUT", Route: "/fog/host/{id}", Kind: fogtest.FaultFatal})
		defer env.Emulator.RemoveFault(fault)
		applied := update(t, "never written", nil)
		expectProtoDiag(t, applied.Diagnostics, tfprotov6.DiagnosticSeverityError, "Unable to update host")
		if got := identityID(t, applied.NewIdentity); got != id {
			t.Errorf("identity id %d after a failed update, want %d", got, id)
		}
	})
}

// TestHostImportByIdentity: an import block with identity = { id = N }
// imports host N (and the read that follows fills the state); an import by
// id or by name returns the identity too; an identity that names no host
// leaves nothing to read, and an invalid one is refused.
func TestHostImportByIdentity(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ctx := context.Background()
	typ := env.resourceType(t, "fog_host")
	hostID := env.seedHost(t, "Lab-01", 0)

	importAndRead := func(t *testing.T, req *tfprotov6.ImportResourceStateRequest) (map[string]tftypes.Value, int64) {
		t.Helper()
		req.TypeName = "fog_host"
		imp, err := env.Server.ImportResourceState(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		if len(imp.ImportedResources) != 1 {
			t.Fatalf("%d imported resources", len(imp.ImportedResources))
		}
		r := imp.ImportedResources[0]
		if got := identityID(t, r.Identity); got != hostID {
			t.Errorf("imported identity id %d, want %d", got, hostID)
		}
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "fog_host", CurrentState: r.State, CurrentIdentity: r.Identity, Private: r.Private,
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ReadResource", read.Diagnostics)
		return decode(t, read.NewState, typ), identityID(t, read.NewIdentity)
	}

	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"identity": {Identity: identityData(t, hostID)},
		"id":       {ID: strconv.FormatInt(hostID, 10)},
		"name":     {ID: "name:lab-01"}, // FOG compares host names without regard to case
	} {
		t.Run("by "+name, func(t *testing.T) {
			state, gotID := importAndRead(t, req)
			if gotID != hostID || stringOf(t, state["id"]) != strconv.FormatInt(hostID, 10) || stringOf(t, state["name"]) != "Lab-01" {
				t.Errorf("after import: identity %d, state %v", gotID, state)
			}
			var forceDestroy bool
			if err := state["force_destroy"].As(&forceDestroy); err != nil || forceDestroy {
				t.Errorf("force_destroy %v after import, want false", state["force_destroy"])
			}
		})
	}

	t.Run("identity of a missing host", func(t *testing.T) {
		imp, err := env.Server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
			TypeName: "fog_host", Identity: identityData(t, 9999),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
		read, err := env.Server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "fog_host", CurrentState: imp.ImportedResources[0].State, CurrentIdentity: imp.ImportedResources[0].Identity,
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
			TypeName: "fog_host", Identity: identityData(t, 0),
		})
		if err != nil {
			t.Fatal(err)
		}
		expectProtoDiag(t, imp.Diagnostics, tfprotov6.DiagnosticSeverityError, "Unable to import host", "identity.id must be the FOG id of the host")
	})
}

// TestHostImportExamples: the documented import blocks name the identity's
// attributes and an id the resource's import accepts.
func TestHostImportExamples(t *testing.T) {
	t.Parallel()
	env := newProtocolEnv(t, nil)
	ids, err := env.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identity := exampleBlock(t, "../../examples/resources/fog_host/import-by-identity.tf", "import").Attributes["identity"]
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
	for _, a := range ids.IdentitySchemas["fog_host"].IdentityAttributes {
		want = append(want, a.Name)
	}
	if !slices.Equal(keys, want) {
		t.Errorf("the example's identity sets %v, the identity schema has %v", keys, want)
	}

	byID := exampleBlock(t, "../../examples/resources/fog_host/import-by-string-id.tf", "import").Attributes["id"]
	if byID == nil {
		t.Fatal("the id example has no id")
	}
	v, diags := byID.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var hostID int64
	for i := 1; i <= 12; i++ { // the example's host is 12
		hostID = env.seedHost(t, fmt.Sprintf("lab-%02d", i), 0)
	}
	if got := v.AsString(); got != strconv.FormatInt(hostID, 10) {
		t.Fatalf("the example imports id %q; this test seeds host %d", got, hostID)
	}
	imp, err := env.Server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: "fog_host", ID: v.AsString()})
	if err != nil {
		t.Fatal(err)
	}
	expectNoProtoErrors(t, "ImportResourceState", imp.Diagnostics)
}
