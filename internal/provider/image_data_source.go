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
	_ datasource.DataSource                     = (*imageDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*imageDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*imageDataSource)(nil)
)

// NewImageDataSource is the constructor of the fog_image data source.
func NewImageDataSource() datasource.DataSource { return &imageDataSource{} }

type imageDataSource struct {
	data *ProviderData
}

// imageDataModel is an image as the data sources show it: the attributes of
// the fog_image resource (without the Terraform-only force_destroy) and the
// names FOG resolves for its ids.
type imageDataModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Path              types.String `tfsdk:"path"`
	Description       types.String `tfsdk:"description"`
	ImageTypeID       types.Int64  `tfsdk:"image_type_id"`
	ImageTypeName     types.String `tfsdk:"image_type_name"`
	OSID              types.Int64  `tfsdk:"os_id"`
	OSName            types.String `tfsdk:"os_name"`
	PartitionTypeID   types.Int64  `tfsdk:"partition_type_id"`
	PartitionTypeName types.String `tfsdk:"partition_type_name"`
	Enabled           types.Bool   `tfsdk:"enabled"`
	Replicate         types.Bool   `tfsdk:"replicate"`
	Compress          types.Int64  `tfsdk:"compress"`
	Format            types.Int64  `tfsdk:"format"`
	Protected         types.Bool   `tfsdk:"protected"`
	CreatedTime       types.String `tfsdk:"created_time"`
	CreatedBy         types.String `tfsdk:"created_by"`
	Size              types.String `tfsdk:"size"`
	LastCaptured      types.String `tfsdk:"last_captured"`
}

// imageDataModelFromAPI maps a FOG image the way the fog_image resource does.
func imageDataModelFromAPI(img *fogclient.Image) imageDataModel {
	var r imageModel
	r.fromAPI(img)
	return imageDataModel{
		ID: r.ID, Name: r.Name, Path: r.Path, Description: types.StringValue(img.Description),
		ImageTypeID: r.ImageTypeID, ImageTypeName: types.StringValue(img.ImageTypeName),
		OSID: r.OSID, OSName: types.StringValue(img.OSName),
		PartitionTypeID: r.PartitionTypeID, PartitionTypeName: types.StringValue(img.PartitionTypeName),
		Enabled: r.Enabled, Replicate: r.Replicate, Compress: r.Compress, Format: r.Format, Protected: r.Protected,
		CreatedTime: r.CreatedTime, CreatedBy: r.CreatedBy, Size: r.Size, LastCaptured: r.LastCaptured,
	}
}

// imageDataAttributes are the attributes of one image, all computed; the
// fog_image data source makes id and name its (optional) arguments.
func imageDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                  schema.StringAttribute{Computed: true, MarkdownDescription: "The FOG id of the image, as a string (as the `fog_image` resource's `id`)."},
		"name":                schema.StringAttribute{Computed: true, MarkdownDescription: "Image name."},
		"path":                schema.StringAttribute{Computed: true, MarkdownDescription: "Directory of the image files, relative to the storage node's image directory."},
		"description":         schema.StringAttribute{Computed: true, MarkdownDescription: "Free text."},
		"image_type_id":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Image type id (see the `fog_image_types` data source)."},
		"image_type_name":     schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the image type; empty when FOG does not know the type."},
		"os_id":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Operating system id (see the `fog_operating_systems` data source)."},
		"os_name":             schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the operating system; empty when FOG does not know the id."},
		"partition_type_id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "Which partitions are captured and deployed: `1` Everything, `2` Partition Table and MBR only, `3`-`12` Partition 1-10 only; `0` when unset."},
		"partition_type_name": schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the partition type; empty when unset."},
		"enabled":             schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the image can be deployed or captured."},
		"replicate":           schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG replicates the image to other storage nodes and groups."},
		"compress":            schema.Int64Attribute{Computed: true, MarkdownDescription: "Compression level used at capture."},
		"format":              schema.Int64Attribute{Computed: true, MarkdownDescription: "Image format (as the `fog_image` resource's `format`); null when FOG stores none."},
		"protected":           schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG's web UI refuses to capture over the image."},
		"created_time":        schema.StringAttribute{Computed: true, MarkdownDescription: "When the image was created (`YYYY-MM-DD HH:MM:SS`, server time)."},
		"created_by":          schema.StringAttribute{Computed: true, MarkdownDescription: "FOG user that created the image."},
		"size":                schema.StringAttribute{Computed: true, MarkdownDescription: "Partition sizes in bytes from the last capture, colon-separated; empty until the first capture."},
		"last_captured":       schema.StringAttribute{Computed: true, MarkdownDescription: "When the image was last captured (`YYYY-MM-DD HH:MM:SS`, server time); empty if never."},
	}
}

func (d *imageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (d *imageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := imageDataAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The FOG id of the image to read, as a string (for example `\"12\"`). Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a FOG id such as \"12\"")},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the image to read, compared without regard to letter case as FOG compares image names " +
			"(an exact match wins). Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator("name")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one image definition by name or id, so that configurations can refer to images managed " +
			"elsewhere (in FOG's UI or another configuration) without hard-coding their ids. Reading fails when no such image " +
			"exists. FOG hides images whose name contains `_api_` from lookups by name; read those by id.",
		Attributes: attrs,
	}
}

func (d *imageDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *imageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *imageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg imageDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var img *fogclient.Image
	if name := cfg.Name.ValueString(); !cfg.Name.IsNull() {
		object := fmt.Sprintf("image %q", name)
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		var err error
		if img, err = findImageByName(ctx, client, name); err != nil {
			addImageReadError(ctx, client, &resp.Diagnostics, "read", object, 0, err)
			return
		}
		if img == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("read", object),
				"FOG has no image with this name (names are compared without regard to letter case). "+d.imageNames(ctx, client))
			return
		}
	} else {
		object := fmt.Sprintf("image %s", cfg.ID.ValueString())
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		id, err := strconv.ParseInt(cfg.ID.ValueString(), 10, 64)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Unable to read "+object, "The id must be a FOG id such as \"12\".")
			return
		}
		img, err = client.GetImage(ctx, id)
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), fmt.Sprintf(
				"FOG has no image with id %d (or considers it invalid, for example because its image type "+
					"no longer exists). %s", id, d.imageNames(ctx, client)))
			return
		}
		if err != nil {
			addImageReadError(ctx, client, &resp.Diagnostics, "read", object, id, err)
			return
		}
	}
	state := imageDataModelFromAPI(img)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// imageNames lists the server's images for a "not found" message.
func (d *imageDataSource) imageNames(ctx context.Context, client *fogclient.Client) string {
	all, err := client.ListImages(ctx)
	if err != nil || len(all) == 0 {
		return "The fog_images data source lists the images FOG has."
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	const limit = 20
	parts := make([]string, 0, limit+1)
	for i, img := range all {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more", len(all)-limit))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (id %d)", img.Name, img.ID))
	}
	return "FOG has: " + strings.Join(parts, ", ") + "."
}
