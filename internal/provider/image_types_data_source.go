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
	_ datasource.DataSource              = (*imageTypesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*imageTypesDataSource)(nil)
)

// NewImageTypesDataSource is the constructor of the fog_image_types data source.
func NewImageTypesDataSource() datasource.DataSource { return &imageTypesDataSource{} }

type imageTypesDataSource struct {
	data *ProviderData
}

type imageTypesDataSourceModel struct {
	Name       types.String     `tfsdk:"name"`
	ImageTypes []imageTypeModel `tfsdk:"image_types"`
}

type imageTypeModel struct {
	ID   types.Int64  `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	Type types.String `tfsdk:"type"`
}

func (d *imageTypesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_types"
}

func (d *imageTypesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the image types of the FOG server (the values of `image_type_id` of `fog_image`), so that " +
			"configurations never hard-code their ids. Sorted by id.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the image type with this name, compared without regard to letter case and repeated " +
					"spaces, for example `Single Disk - Resizable`. Reading fails, listing the valid names, when no image type has it.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator("name")},
			},
			"image_types": schema.ListNestedAttribute{
				MarkdownDescription: "The image types, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the image type."},
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: "Name, for example `Single Disk - Resizable`."},
					"type": schema.StringAttribute{Computed: true, MarkdownDescription: "FOG's short code: `n` (resizable), `mps` " +
						"(multiple partitions, single disk), `mpa` (all disks), `dd` (raw)."},
				}},
			},
		},
	}
}

func (d *imageTypesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

var imageTypeLookup = lookupList[fogclient.ImageType, imageTypeModel]{
	kind: "image type", kinds: "image types",
	list: (*fogclient.Client).ImageTypes,
	key:  func(t fogclient.ImageType) (int64, string) { return t.ID, t.Name },
	model: func(t fogclient.ImageType) imageTypeModel {
		return imageTypeModel{ID: types.Int64Value(t.ID), Name: types.StringValue(t.Name), Type: types.StringValue(t.Type)}
	},
}

func (d *imageTypesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg imageTypesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ok bool
	if cfg.ImageTypes, ok = imageTypeLookup.read(ctx, d.data, cfg.Name, &resp.Diagnostics); !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
