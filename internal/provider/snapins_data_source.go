// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"regexp"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*snapinsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*snapinsDataSource)(nil)
)

// NewSnapinsDataSource is the constructor of the fog_snapins data source.
func NewSnapinsDataSource() datasource.DataSource { return &snapinsDataSource{} }

type snapinsDataSource struct {
	data *ProviderData
}

type snapinsDataSourceModel struct {
	NameRegex types.String      `tfsdk:"name_regex"`
	Snapins   []snapinDataModel `tfsdk:"snapins"`
}

func (d *snapinsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_snapins"
}

func (d *snapinsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's snapins, optionally only those whose name matches a pattern, sorted by id.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only snapins whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)). " +
					"Case-sensitive unless it starts with `(?i)`.",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"snapins": schema.ListNestedAttribute{
				MarkdownDescription: "The matching snapins, sorted by id, with the attributes of the `fog_snapin` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: snapinDataAttributes()},
			},
		},
	}
}

func (d *snapinsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *snapinsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg snapinsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "snapins")
	if client == nil {
		return
	}
	all, err := client.ListSnapins(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "list", "snapins", err)
		return
	}
	var re *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		re = regexp.MustCompile(cfg.NameRegex.ValueString()) // validated at plan time
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	cfg.Snapins = []snapinDataModel{}
	for i := range all {
		if re == nil || re.MatchString(all[i].Name) {
			cfg.Snapins = append(cfg.Snapins, snapinDataModelFromAPI(&all[i]))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
