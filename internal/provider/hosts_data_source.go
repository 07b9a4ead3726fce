// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*hostsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*hostsDataSource)(nil)
)

// NewHostsDataSource is the constructor of the fog_hosts data source.
func NewHostsDataSource() datasource.DataSource { return &hostsDataSource{} }

type hostsDataSource struct {
	data *ProviderData
}

type hostsDataSourceModel struct {
	Search    types.String `tfsdk:"search"`
	NameRegex types.String `tfsdk:"name_regex"`
	ImageID   types.Int64  `tfsdk:"image_id"`
	GroupID   types.Int64  `tfsdk:"group_id"`
	Hosts     []hostModel  `tfsdk:"hosts"`
}

type hostModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	IP          types.String `tfsdk:"ip"`
	PrimaryMAC  types.String `tfsdk:"primary_mac"`
	MACs        []string     `tfsdk:"macs"`
	ImageID     types.Int64  `tfsdk:"image_id"`
	ImageName   types.String `tfsdk:"image_name"`
	Pending     types.Bool   `tfsdk:"pending"`
	CreatedTime types.String `tfsdk:"created_time"`
}

func (d *hostsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hosts"
}

func (d *hostsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG hosts, optionally narrowed by FOG's search, a name pattern, the assigned image and a group. " +
			"The filters combine (all must match). Hosts are sorted by id. FOG itself hides hosts that have no primary MAC address " +
			"and hosts whose name contains `_api_`; they never appear here.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				MarkdownDescription: "FOG's server-side search, as in the search box of Host Management: matches, case-insensitively " +
					"and as a substring, host names, descriptions, IP addresses, MAC addresses (`00:11:22` or `001122`), inventory " +
					"fields and the names of the assigned image, groups, snapins and printers. Spaces match any text. FOG reads the " +
					"term from the request path without decoding it, so it may hold only ASCII letters, digits, spaces and `" +
					fogclient.SearchTermPunctuation + "`.",
				Optional:   true,
				Validators: []validator.String{searchTermValidator()},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only hosts whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), " +
					"for example `^lab-`. Case-sensitive unless it starts with `(?i)`.",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "Only hosts that have this image assigned. `0` lists the hosts without an image.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: "Only hosts that are members of this group (its FOG id, for example `fog_group.lab.id`).",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"hosts": schema.ListNestedAttribute{
				MarkdownDescription: "The matching hosts, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the host."},
						"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Host name."},
						"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Host description."},
						"ip":          schema.StringAttribute{Computed: true, MarkdownDescription: "IP address as stored in FOG (informational; FOG does not use it for imaging)."},
						"primary_mac": schema.StringAttribute{Computed: true, MarkdownDescription: "Primary MAC address, lower case with colons."},
						"macs": schema.ListAttribute{
							Computed:            true,
							ElementType:         types.StringType,
							MarkdownDescription: "All MAC addresses of the host, primary first, lower case with colons.",
						},
						"image_id":     schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the assigned image; `0` when none."},
						"image_name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the assigned image; empty when none (or when the assigned image no longer exists)."},
						"pending":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the host registered itself and awaits approval in FOG."},
						"created_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the host was created (`YYYY-MM-DD HH:MM:SS`, server time)."},
					},
				},
			},
		},
	}
}

func (d *hostsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *hostsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg hostsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "hosts")
	if client == nil {
		return
	}

	var (
		hosts []fogclient.Host
		err   error
	)
	if term := cfg.Search.ValueString(); term != "" {
		hosts, err = client.SearchHosts(ctx, term)
		if err != nil {
			addClientError(&resp.Diagnostics, "search", fmt.Sprintf("hosts for %q", term), err)
			return
		}
	}

	var re *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		re = regexp.MustCompile(cfg.NameRegex.ValueString()) // validated at plan time
	}
	var members []int64
	if known(cfg.GroupID) {
		// Membership is only visible as groupassociation rows (reference/fleet.md §2.1).
		members, err = d.data.reads.GroupMemberIDs(ctx, cfg.GroupID.ValueInt64())
		if err != nil {
			addClientError(&resp.Diagnostics, "list", fmt.Sprintf("the members of group %d", cfg.GroupID.ValueInt64()), err)
			return
		}
		if members == nil {
			members = []int64{}
		}
	}
	if cfg.Search.ValueString() == "" {
		// The filters FOG can apply are sent as the list's JSON body, so
		// only the matching hosts are rendered: a large server's full list
		// may exhaust PHP's memory_limit. The filters below still apply
		// (the name pattern is a superset in SQL).
		filter := hostsFilter(cfg.NameRegex.ValueString(), int64Ptr(cfg.ImageID), members)
		switch {
		case members != nil && len(members) == 0:
			hosts = nil // an empty group; {"id":[]} would mean "id 0 or empty"
		case len(filter) == 0:
			hosts, err = d.data.reads.Hosts(ctx)
		default:
			hosts, err = client.ListHostsWhere(ctx, filter)
		}
		if err != nil {
			addHostsListError(&resp.Diagnostics, hostsFilterHelp, filter, err)
			return
		}
	}
	if members != nil {
		in := idSet(members)
		hosts = slices.DeleteFunc(hosts, func(h fogclient.Host) bool { return !in[h.ID] })
	}
	cfg.Hosts = filterHosts(hosts, re, cfg.ImageID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// filterHosts applies the client-side filters and maps the hosts, sorted by id.
func filterHosts(hosts []fogclient.Host, nameRegex *regexp.Regexp, imageID types.Int64) []hostModel {
	matched := matchingHosts(hosts, nameRegex, imageID)
	out := make([]hostModel, 0, len(matched))
	for _, h := range matched {
		out = append(out, hostFromAPI(h))
	}
	return out
}

// matchingHosts keeps the hosts whose name matches nameRegex (any when nil)
// and whose image is imageID (any when null), each once (FOG's search can
// return a host once per matching row), sorted by id. The fog_hosts data
// source and the fog_host list resource filter with it.
func matchingHosts(hosts []fogclient.Host, nameRegex *regexp.Regexp, imageID types.Int64) []fogclient.Host {
	out := make([]fogclient.Host, 0, len(hosts))
	seen := make(map[int64]bool, len(hosts))
	for _, h := range hosts {
		if seen[h.ID] {
			continue
		}
		seen[h.ID] = true
		if nameRegex != nil && !nameRegex.MatchString(h.Name) {
			continue
		}
		if known(imageID) && h.ImageID != imageID.ValueInt64() {
			continue
		}
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func hostFromAPI(h fogclient.Host) hostModel {
	macs := h.MACs
	if macs == nil {
		macs = []string{}
	}
	return hostModel{
		ID:          types.Int64Value(h.ID),
		Name:        types.StringValue(h.Name),
		Description: types.StringValue(h.Description),
		IP:          types.StringValue(h.IP),
		PrimaryMAC:  types.StringValue(h.PrimaryMAC),
		MACs:        macs,
		ImageID:     types.Int64Value(h.ImageID),
		ImageName:   types.StringValue(h.ImageName),
		Pending:     types.BoolValue(h.Pending),
		CreatedTime: types.StringValue(h.CreatedTime),
	}
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
