// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Objects FOG names by an id (fog_image, fog_host): the id in the state,
// the resource identity every read and write records, import by id, name or
// identity, the `terraform query` results that carry the identity, and
// delete. Terraform 1.12 and later (and OpenTofu 1.12) store identities;
// older CLIs never ask for them, and nothing else changes for them.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// fogIDIdentityModel is the identity of an object FOG names by its id. The
// id is a number, as FOG has it (the resources' `id` attribute is its text).
type fogIDIdentityModel struct {
	ID types.Int64 `tfsdk:"id"`
}

// fogIDIdentitySchema is the identity schema of a resource whose object
// FOG names by its id; object is what it is ("image").
func fogIDIdentitySchema(object string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.Int64Attribute{
				Description:       fmt.Sprintf("The FOG id of the %s.", object),
				RequiredForImport: true,
			},
		},
	}
}

// setFOGIDIdentity records the identity of the object with this id. Every
// Create, Read and Update calls it, so a resource created before identities
// existed gets one at its next refresh. identity is nil only when the
// framework was not asked for one.
func setFOGIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id int64) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, fogIDIdentityModel{ID: types.Int64Value(id)})
}

// fogIDFromIdentity returns the id of an import by identity (an import block
// with `identity = { id = 12 }`, Terraform 1.12 and later).
func fogIDFromIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, object string, diags *diag.Diagnostics) (int64, bool) {
	if identity == nil || identity.Raw.IsNull() {
		diags.AddError(unableTo("import", object), "The import gave neither an id nor an identity. Use "+
			"`terraform import <resource address> <id>`, or an import block with `id = \"<id>\"` or `identity = { id = <id> }`.")
		return 0, false
	}
	var id types.Int64
	diags.Append(identity.GetAttribute(ctx, path.Root("id"), &id)...)
	if diags.HasError() {
		return 0, false
	}
	if id.IsNull() || id.IsUnknown() || id.ValueInt64() < 1 {
		diags.AddAttributeError(path.Root("id"), unableTo("import", object), fmt.Sprintf(
			"identity.id must be the FOG id of the %s, a number of 1 or more (got %s).", object, id))
		return 0, false
	}
	return id.ValueInt64(), true
}

// fogListResult is one `terraform query` result for the object with this
// id: its identity (from which Terraform writes the import block), a display
// name, and, when Terraform asks for it, the resource's attributes (model,
// as the resource's Read would store them).
func fogListResult(ctx context.Context, req list.ListRequest, id int64, displayName string, model any) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = displayName
	result.Diagnostics.Append(result.Identity.Set(ctx, fogIDIdentityModel{ID: types.Int64Value(id)})...)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, model)...)
	}
	return result
}

// firstResults is the first limit objects of a `terraform query` (all when
// limit is 0).
func firstResults[T any](objects []T, limit int64) []T {
	if limit > 0 && int64(len(objects)) > limit {
		return objects[:limit]
	}
	return objects
}

// fogListResults streams one `terraform query` result per object, in order.
func fogListResults[T any](objects []T, result func(*T) list.ListResult) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i := range objects {
			if !push(result(&objects[i])) {
				return
			}
		}
	}
}

// fogIDToRefresh returns the id of the object a Read refreshes, after
// recording the identity it gives; false when there is nothing to read.
// The identity comes from the state's id, before the read: it fills the
// identity of objects stored before identities existed, and the framework
// wants one even when the object is gone and removed from the state. Before
// the provider is configured the state is kept as it is. object is what it
// is ("image").
func fogIDToRefresh(ctx context.Context, data *ProviderData, object string, stateID types.String, resp *resource.ReadResponse) (int64, bool) {
	if data == nil || data.Client == nil {
		tflog.Debug(ctx, fmt.Sprintf("provider not configured yet; keeping the %s's state as it is", object))
		if id, err := strconv.ParseInt(stateID.ValueString(), 10, 64); err == nil {
			resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
		}
		return 0, false
	}
	id, ok := parseID(stateID.ValueString(), &resp.Diagnostics)
	if !ok {
		return 0, false
	}
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	return id, true
}

// fogIDImport is how ImportState finds an object FOG names by its id.
type fogIDImport struct {
	object      string // what it is: "image"
	exampleName string // a name for the example of `name:<name>`
	// findByName returns the id of the object with this name, 0 for none.
	findByName func(ctx context.Context, client *fogclient.Client, name string) (int64, error)
	// noSuchName says that FOG has no object of that name, and where to look.
	noSuchName string
}

// importFOGObject imports an object FOG names by its id from the FOG id
// ("12"), the name ("name:Win10-Base"), or an identity (`identity = { id =
// 12 }` in an import block). force_destroy, where the object has it, starts
// false, as after a create;
// the Read that follows fills the rest.
func importFOGObject(ctx context.Context, how fogIDImport, data *ProviderData, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" {
		n, ok := fogIDFromIdentity(ctx, req.Identity, how.object, &resp.Diagnostics)
		if !ok {
			return
		}
		id = strconv.FormatInt(n, 10)
	}
	if name, ok := strings.CutPrefix(id, "name:"); ok {
		object := fmt.Sprintf("%s %q", how.object, name)
		client := data.clientOrError(&resp.Diagnostics, "import", object)
		if client == nil {
			return
		}
		n, err := how.findByName(ctx, client, name)
		if err != nil {
			addClientError(&resp.Diagnostics, "import", object, err)
			return
		}
		if n == 0 {
			resp.Diagnostics.AddError(unableTo("import", object),
				how.noSuchName+", or import by id instead: terraform import <resource address> <id>.")
			return
		}
		id = strconv.FormatInt(n, 10)
	} else if n, err := strconv.ParseInt(id, 10, 64); err != nil || n < 1 {
		resp.Diagnostics.AddError(fmt.Sprintf("Unable to import %s %q", how.object, req.ID), fmt.Sprintf(
			"The import id must be the %s's FOG id (for example 12) or its name prefixed with \"name:\" (for example name:%s).",
			how.object, how.exampleName))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if _, ok := resp.State.Schema.GetAttributes()["force_destroy"]; ok {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
	}
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, n)...)
	}
}

// pickByName prefers an exact match over a case-insensitive one (FOG
// compares names without regard to letter case).
func pickByName[T any](objects []T, name string, nameOf func(*T) string) *T {
	for i := range objects {
		if nameOf(&objects[i]) == name {
			return &objects[i]
		}
	}
	for i := range objects {
		if strings.EqualFold(nameOf(&objects[i]), name) {
			return &objects[i]
		}
	}
	return nil
}

// deleteFOGObject deletes the object with this id; one already gone counts
// as deleted. kind is what it is ("image"), object how messages name it.
func deleteFOGObject(ctx context.Context, kind, object string, id int64, del func(context.Context, int64) error, diags *diag.Diagnostics) {
	err := del(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		return // already gone
	}
	if err != nil {
		addClientError(diags, "delete", object, err)
		return
	}
	tflog.Info(ctx, "deleted "+kind, map[string]any{"id": id})
}

// parseID turns a state id back into FOG's integer id.
func parseID(s string, diags *diag.Diagnostics) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		diags.AddError("Invalid id in state", fmt.Sprintf(
			"The id %q in the state is not a FOG id. Remove the resource from the state (terraform state rm) and import it again.", s))
		return 0, false
	}
	return id, true
}

// sameName compares names as FOG does (fogclient.SameName).
func sameName(a, b string) bool { return fogclient.SameName(a, b) }
