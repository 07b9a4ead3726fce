// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*operatingSystemsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*operatingSystemsDataSource)(nil)
)

// NewOperatingSystemsDataSource is the constructor of the fog_operating_systems data source.
func NewOperatingSystemsDataSource() datasource.DataSource { return &operatingSystemsDataSource{} }

type operatingSystemsDataSource struct {
	data *ProviderData
}

type operatingSystemsDataSourceModel struct {
	Name             types.String           `tfsdk:"name"`
	OperatingSystems []operatingSystemModel `tfsdk:"operating_systems"`
}

type operatingSystemModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (d *operatingSystemsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_operating_systems"
}

func (d *operatingSystemsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the operating systems the FOG server knows (the values of `os_id` of `fog_image`), so " +
			"that configurations never hard-code their ids. Sorted by id. A stock FOG 1.5.9 has Windows 2000/XP to Windows 10, " +
			"Apple Mac OS, Linux, Chromium OS and Other; it has no Windows 11 entry.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the operating system with this name, compared without regard to letter case and " +
					"repeated spaces, for example `Windows 10`. Reading fails, listing the valid names, when none has it.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator("name")},
			},
			"operating_systems": schema.ListNestedAttribute{
				MarkdownDescription: "The operating systems, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the operating system."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Name, for example `Windows 10`."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description (usually empty)."},
				}},
			},
		},
	}
}

func (d *operatingSystemsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

var operatingSystemLookup = lookupList[fogclient.OperatingSystem, operatingSystemModel]{
	kind: "operating system", kinds: "operating systems",
	list: (*fogclient.Client).OperatingSystems,
	key:  func(os fogclient.OperatingSystem) (int64, string) { return os.ID, os.Name },
	model: func(os fogclient.OperatingSystem) operatingSystemModel {
		return operatingSystemModel{ID: types.Int64Value(os.ID), Name: types.StringValue(os.Name), Description: types.StringValue(os.Description)}
	},
}

func (d *operatingSystemsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg operatingSystemsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ok bool
	if cfg.OperatingSystems, ok = operatingSystemLookup.read(ctx, d.data, cfg.Name, &resp.Diagnostics); !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
