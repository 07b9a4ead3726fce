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

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*imagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*imagesDataSource)(nil)
)

// NewImagesDataSource is the constructor of the fog_images data source.
func NewImagesDataSource() datasource.DataSource { return &imagesDataSource{} }

type imagesDataSource struct {
	data *ProviderData
}

type imagesDataSourceModel struct {
	NameRegex types.String     `tfsdk:"name_regex"`
	Images    []imageDataModel `tfsdk:"images"`
}

func (d *imagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_images"
}

func (d *imagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's image definitions, optionally only those whose name matches a pattern. Images are " +
			"sorted by id. FOG itself hides images whose name contains `_api_` (except at the very start); they never appear here.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only images whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), " +
					"for example `^win10-`. Case-sensitive unless it starts with `(?i)`. An expression that matches nothing gives an empty list.",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"images": schema.ListNestedAttribute{
				MarkdownDescription: "The matching images, sorted by id, with the attributes of the `fog_image` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: imageDataAttributes()},
			},
		},
	}
}

func (d *imagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *imagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg imagesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "images")
	if client == nil {
		return
	}
	all, err := client.ListImages(ctx)
	if err != nil {
		addImageReadError(ctx, client, &resp.Diagnostics, "list", "images", 0, err)
		return
	}
	var re *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		re = regexp.MustCompile(cfg.NameRegex.ValueString()) // validated at plan time
	}
	cfg.Images = filterImages(all, re)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// filterImages keeps the images whose name matches nameRegex (all when nil)
// and maps them, sorted by id.
func filterImages(all []fogclient.Image, nameRegex *regexp.Regexp) []imageDataModel {
	matched := matchingImages(all, nameRegex, types.Int64Null())
	out := make([]imageDataModel, 0, len(matched))
	for i := range matched {
		out = append(out, imageDataModelFromAPI(&matched[i]))
	}
	return out
}

// matchingImages keeps the images whose name matches nameRegex (any when
// nil) and whose operating system is osID (any when null), sorted by id.
// The fog_images data source and the fog_image list resource filter with it.
func matchingImages(all []fogclient.Image, nameRegex *regexp.Regexp, osID types.Int64) []fogclient.Image {
	out := make([]fogclient.Image, 0, len(all))
	for _, img := range all {
		if nameRegex != nil && !nameRegex.MatchString(img.Name) {
			continue
		}
		if known(osID) && img.OSID != osID.ValueInt64() {
			continue
		}
		out = append(out, img)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
