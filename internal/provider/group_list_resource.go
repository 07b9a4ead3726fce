// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ list.ListResource              = (*groupListResource)(nil)
	_ list.ListResourceWithConfigure = (*groupListResource)(nil)
)

// NewGroupListResource is the constructor of the fog_group list resource
// (`list "fog_group"` blocks of `terraform query`, Terraform 1.14 and later).
func NewGroupListResource() list.ListResource { return &groupListResource{} }

type groupListResource struct {
	data *ProviderData
}

type groupListConfigModel struct {
	Search    types.String `tfsdk:"search"`
	NameRegex types.String `tfsdk:"name_regex"`
	HostID    types.Int64  `tfsdk:"host_id"`
}

func (r *groupListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (r *groupListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the FOG server's host groups for `terraform query` (Terraform 1.14 or later), so that " +
			"existing groups can be brought under Terraform: `terraform query -generate-config-out=groups.tf` writes a " +
			"`fog_group` resource and an import block (by identity, the group's FOG id) for each group found, with its " +
			"members in `host_ids`. The filters combine (all must match); groups are listed by id. FOG itself hides groups " +
			"whose name contains `_api_`; a group with an empty name, which FOG lists but its API cannot read, is left out too.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				MarkdownDescription: groupSearchDescription,
				Optional:            true,
				Validators:          []validator.String{searchTermValidator()},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: groupNameRegexDescription,
				Optional:            true,
				Validators:          []validator.String{regexValidator()},
			},
			"host_id": schema.Int64Attribute{
				MarkdownDescription: groupHostIDDescription,
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		},
	}
}

func (r *groupListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads the groups and every membership row (two requests) and returns
// the groups that match, each with its identity and, when asked, the
// attributes the resource's Read would store.
func (r *groupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	ctx = r.data.LogContext(ctx)
	var cfg groupListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	var nameRE *regexp.Regexp
	if !diags.HasError() {
		if known(cfg.Search) {
			for _, rule := range []stringRule{ruleNotBlank("The search"), ruleSearchChars} {
				if msg := rule(cfg.Search.ValueString()); msg != "" {
					diags.AddAttributeError(path.Root("search"), "Invalid search", msg)
				}
			}
		}
		if known(cfg.HostID) && cfg.HostID.ValueInt64() < 1 {
			diags.AddAttributeError(path.Root("host_id"), "Invalid host_id",
				fmt.Sprintf("host_id must be a host's FOG id, 1 or more (got %d).", cfg.HostID.ValueInt64()))
		}
		nameRE = compileNameRegex(cfg.NameRegex, &diags)
	}
	var client *fogclient.Client
	if !diags.HasError() {
		client = r.data.clientOrError(&diags, "list", "groups")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	groups, rows, ok := readGroups(ctx, groupReader{client.ListGroups, client.ListGroupMemberships}, client, cfg.Search, &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	matched := firstResults(matchingGroups(groups, rows, nameRE, cfg.HostID), req.Limit)
	tflog.Debug(ctx, "listed groups", map[string]any{"listed": len(groups), "matched": len(matched), "include_resource": req.IncludeResource})

	stream.Results = fogListResults(matched, func(g *fogclient.Group) list.ListResult {
		var m groupModel
		m.fromAPI(g, fogclient.MemberIDs(rows, g.ID))
		return fogListResult(ctx, req, g.ID, fmt.Sprintf("%s (id %d, %d hosts)", g.Name, g.ID, g.HostCount), &m)
	})
}
