// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource                     = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*groupDataSource)(nil)
)

// NewGroupDataSource is the constructor of the fog_group data source.
func NewGroupDataSource() datasource.DataSource { return &groupDataSource{} }

type groupDataSource struct {
	data *ProviderData
}

// groupDataModel is a group as the data sources show it: the attributes of
// the fog_group resource.
type groupDataModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	Kernel       types.String `tfsdk:"kernel"`
	KernelArgs   types.String `tfsdk:"kernel_args"`
	KernelDevice types.String `tfsdk:"kernel_device"`
	HostIDs      types.Set    `tfsdk:"host_ids"`
	HostCount    types.Int64  `tfsdk:"host_count"`
	CreatedTime  types.String `tfsdk:"created_time"`
	CreatedBy    types.String `tfsdk:"created_by"`
}

func groupDataModelFromAPI(g *fogclient.Group, members []int64) groupDataModel {
	var r groupModel
	r.fromAPI(g, members)
	return groupDataModel{
		ID: r.ID, Name: r.Name, Description: types.StringValue(g.Description), Kernel: r.Kernel, KernelArgs: r.KernelArgs,
		KernelDevice: r.KernelDevice, HostIDs: r.HostIDs, HostCount: r.HostCount, CreatedTime: r.CreatedTime, CreatedBy: r.CreatedBy,
	}
}

// groupDataAttributes are the attributes of one group, all computed.
func groupDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":            schema.StringAttribute{Computed: true, MarkdownDescription: "The FOG id of the group, as a string (as the `fog_group` resource's `id`)."},
		"name":          schema.StringAttribute{Computed: true, MarkdownDescription: "Group name."},
		"description":   schema.StringAttribute{Computed: true, MarkdownDescription: "Free text."},
		"kernel":        schema.StringAttribute{Computed: true, MarkdownDescription: "Kernel file of the members' imaging boots; empty for FOG's default."},
		"kernel_args":   schema.StringAttribute{Computed: true, MarkdownDescription: "Extra kernel arguments of the members' imaging boots."},
		"kernel_device": schema.StringAttribute{Computed: true, MarkdownDescription: "The members' primary disk; empty when FOS chooses."},
		"host_ids": schema.SetAttribute{
			Computed: true, ElementType: types.Int64Type,
			MarkdownDescription: "The FOG ids of the group's members (FOG's membership rows, including any for hosts that no longer exist).",
		},
		"host_count":   schema.Int64Attribute{Computed: true, MarkdownDescription: "How many members exist as hosts (FOG's `hostcount`)."},
		"created_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the group was created (`YYYY-MM-DD HH:MM:SS`, server time)."},
		"created_by":   schema.StringAttribute{Computed: true, MarkdownDescription: "FOG user that created the group."},
	}
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := groupDataAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The FOG id of the group to read, as a string (for example `\"3\"`). Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a FOG id such as \"3\"")},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the group to read, compared without regard to letter case as FOG compares group names " +
			"(an exact match wins). Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator("name")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one host group by name or id, with its members, so that configurations can deploy or " +
			"extend groups managed elsewhere without hard-coding their ids. Reading fails when no such group exists.",
		Attributes: attrs,
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *groupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg groupDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("group %s", cfg.ID.ValueString())
	if !cfg.Name.IsNull() {
		object = fmt.Sprintf("group %q", cfg.Name.ValueString())
	}
	if d.data.clientOrError(&resp.Diagnostics, "read", object) == nil {
		return
	}
	var g *fogclient.Group
	if !cfg.Name.IsNull() {
		found, err := d.data.reads.GroupsNamed(ctx, cfg.Name.ValueString())
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
		g = pickByName(found, cfg.Name.ValueString(), func(g *fogclient.Group) string { return g.Name })
		if g == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("read", object),
				"FOG has no group with this name (names are compared without regard to letter case). "+d.groupNames(ctx))
			return
		}
	} else {
		id, err := strconv.ParseInt(cfg.ID.ValueString(), 10, 64)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), "The id must be a FOG id such as \"3\".")
			return
		}
		g, err = d.data.reads.Group(ctx, id)
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object),
				fmt.Sprintf("FOG has no group with id %d. %s", id, d.groupNames(ctx)))
			return
		}
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	members, err := d.data.reads.GroupMemberIDs(ctx, g.ID)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", "the members of "+object, err)
		return
	}
	state := groupDataModelFromAPI(g, members)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// groupNames lists the server's groups for a "not found" message.
func (d *groupDataSource) groupNames(ctx context.Context) string {
	all, err := d.data.reads.Groups(ctx)
	if err != nil || len(all) == 0 {
		return "The fog_groups data source lists the groups FOG has."
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	const limit = 20
	parts := make([]string, 0, limit+1)
	for i, g := range all {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more", len(all)-limit))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (id %d)", g.Name, g.ID))
	}
	return "FOG has: " + strings.Join(parts, ", ") + "."
}
