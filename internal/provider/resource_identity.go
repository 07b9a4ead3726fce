package provider

// Resource identity for the FOG objects a FOG id names (fog_image, and
// fog_host the same way): the identity schema, the identity every read and
// write records, import by identity, and the `terraform query` results that
// carry it. Terraform 1.12 and later (and OpenTofu 1.12) store identities;
// older CLIs never ask for them, and nothing else changes for them.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
		diags.AddError(fmt.Sprintf("Unable to import %s", object), fmt.Sprintf(
			"Unable to import %s: the import gave neither an id nor an identity. Use `terraform import <resource address> <id>`, "+
				"or an import block with `id = \"<id>\"` or `identity = { id = <id> }`.", object))
		return 0, false
	}
	var id types.Int64
	diags.Append(identity.GetAttribute(ctx, path.Root("id"), &id)...)
	if diags.HasError() {
		return 0, false
	}
	if id.IsNull() || id.IsUnknown() || id.ValueInt64() < 1 {
		diags.AddAttributeError(path.Root("id"), fmt.Sprintf("Unable to import %s", object), fmt.Sprintf(
			"Unable to import %s: identity.id must be the FOG id of the %s, a number of 1 or more (got %s).", object, object, id))
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
