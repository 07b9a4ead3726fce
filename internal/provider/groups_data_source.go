// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*groupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*groupsDataSource)(nil)
)

// NewGroupsDataSource is the constructor of the fog_groups data source.
func NewGroupsDataSource() datasource.DataSource { return &groupsDataSource{} }

type groupsDataSource struct {
	data *ProviderData
}

type groupsDataSourceModel struct {
	Search    types.String     `tfsdk:"search"`
	NameRegex types.String     `tfsdk:"name_regex"`
	HostID    types.Int64      `tfsdk:"host_id"`
	Groups    []groupDataModel `tfsdk:"groups"`
}

// groupSearchDescription and the other filter descriptions are shared by
// the fog_groups data source and the fog_group list resource.
const (
	groupSearchDescription = "FOG's server-side search, as in the search box of Group Management: matches, case-insensitively " +
		"and as a substring, any field of the group (name, description, kernel settings). Spaces match any text. FOG reads the " +
		"term from the request path without decoding it, so it may hold only ASCII letters, digits, spaces and `" +
		fogclient.SearchTermPunctuation + "`."
	groupNameRegexDescription = "Only groups whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), " +
		"for example `^lab-`. Case-sensitive unless it starts with `(?i)`."
	groupHostIDDescription = "Only groups that have this host (its FOG id) as a member."
)

func (d *groupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_groups"
}

func (d *groupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's host groups with their members, optionally narrowed by FOG's search, a name pattern " +
			"and a member host. The filters combine (all must match). Groups are sorted by id. FOG itself hides groups whose " +
			"name contains `_api_`; a group with an empty name, which FOG lists but its API cannot read, is left out too.",
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
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The matching groups, sorted by id, with the attributes of the `fog_group` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: groupDataAttributes()},
			},
		},
	}
}

func (d *groupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg groupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "groups")
	if client == nil {
		return
	}
	groups, rows, ok := readGroups(ctx, groupReader{d.data.reads.Groups, d.data.reads.GroupMemberships}, client, cfg.Search, &resp.Diagnostics)
	if !ok {
		return
	}
	var re *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		re = regexp.MustCompile(cfg.NameRegex.ValueString()) // validated at plan time
	}
	matched := matchingGroups(groups, rows, re, cfg.HostID)
	cfg.Groups = make([]groupDataModel, 0, len(matched))
	for i := range matched {
		cfg.Groups = append(cfg.Groups, groupDataModelFromAPI(&matched[i], fogclient.MemberIDs(rows, matched[i].ID)))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// groupReader lists groups and membership rows: the read cache for a data
// source, the client for a list resource (which serves `terraform query`,
// not a refresh).
type groupReader struct {
	groups      func(context.Context) ([]fogclient.Group, error)
	memberships func(context.Context) ([]fogclient.GroupMembership, error)
}

// readGroups reads the groups (FOG's search when search is set) and every
// membership row: two requests whatever the number of groups.
func readGroups(ctx context.Context, from groupReader, client *fogclient.Client, search types.String, diags *diag.Diagnostics) (
	[]fogclient.Group, []fogclient.GroupMembership, bool) {
	var (
		groups []fogclient.Group
		err    error
	)
	if known(search) {
		groups, err = client.SearchGroups(ctx, search.ValueString())
		if err != nil {
			addClientError(diags, "search", fmt.Sprintf("groups for %q", search.ValueString()), err)
			return nil, nil, false
		}
	} else if groups, err = from.groups(ctx); err != nil {
		addClientError(diags, "list", "groups", err)
		return nil, nil, false
	}
	rows, err := from.memberships(ctx)
	if err != nil {
		addClientError(diags, "list", "the groups' members", err)
		return nil, nil, false
	}
	return groups, rows, true
}

// matchingGroups keeps the readable groups whose name matches nameRegex
// (any when nil) and that have hostID as a member (any when null), each once,
// sorted by id. The fog_groups data source and the fog_group list resource
// filter with it.
func matchingGroups(groups []fogclient.Group, rows []fogclient.GroupMembership, nameRegex *regexp.Regexp, hostID types.Int64) []fogclient.Group {
	inGroup := map[int64]bool{}
	if known(hostID) {
		for _, m := range rows {
			if m.HostID == hostID.ValueInt64() {
				inGroup[m.GroupID] = true
			}
		}
	}
	out := make([]fogclient.Group, 0, len(groups))
	seen := map[int64]bool{}
	for _, g := range groups {
		if seen[g.ID] || g.IsZombie() {
			continue
		}
		seen[g.ID] = true
		if nameRegex != nil && !nameRegex.MatchString(g.Name) {
			continue
		}
		if known(hostID) && !inGroup[g.ID] {
			continue
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
