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
	_ list.ListResource              = (*imageListResource)(nil)
	_ list.ListResourceWithConfigure = (*imageListResource)(nil)
)

// NewImageListResource is the constructor of the fog_image list resource
// (`list "fog_image"` blocks of `terraform query`, Terraform 1.14 and later).
func NewImageListResource() list.ListResource { return &imageListResource{} }

type imageListResource struct {
	data *ProviderData
}

type imageListConfigModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
	OSID      types.Int64  `tfsdk:"os_id"`
}

func (r *imageListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (r *imageListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the FOG server's image definitions for `terraform query` (Terraform 1.14 or later), so that " +
			"existing images can be brought under Terraform: `terraform query -generate-config-out=images.tf` writes a " +
			"`fog_image` resource and an import block (by identity, the image's FOG id) for each image found. " +
			"The filters combine (all must match); images are listed by id. FOG itself hides images whose name contains " +
			"`_api_`; they never appear here.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only images whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), " +
					"for example `^win10-`. Case-sensitive unless it starts with `(?i)`.",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"os_id": schema.Int64Attribute{
				MarkdownDescription: "Only images of this operating system id, for example `9` Windows 10 or `50` Linux.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		},
	}
}

func (r *imageListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads every image in one request (GET /fog/image) and returns those
// that match, each with its identity and, when asked, the attributes the
// resource's Read would store (force_destroy false, as after an import).
func (r *imageListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	ctx = r.data.LogContext(ctx)
	var cfg imageListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	var nameRE *regexp.Regexp
	if !diags.HasError() {
		// A value known only now has not been validated (as the host and
		// group lists check theirs).
		if known(cfg.OSID) && cfg.OSID.ValueInt64() < 1 {
			diags.AddAttributeError(path.Root("os_id"), "Invalid os_id",
				fmt.Sprintf("os_id must be an operating system's FOG id, 1 or more (got %d).", cfg.OSID.ValueInt64()))
		}
		nameRE = compileNameRegex(cfg.NameRegex, &diags)
	}
	var client *fogclient.Client
	if !diags.HasError() {
		client = r.data.clientOrError(&diags, "list", "images")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	all, err := client.ListImages(ctx)
	if err != nil {
		addClientError(&diags, "list", "images", err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	matched := firstResults(matchingImages(all, nameRE, cfg.OSID), req.Limit)
	tflog.Debug(ctx, "listed images", map[string]any{"listed": len(all), "matched": len(matched), "include_resource": req.IncludeResource})

	stream.Results = fogListResults(matched, func(img *fogclient.Image) list.ListResult {
		var m imageModel
		m.fromAPI(img)
		m.ForceDestroy = types.BoolValue(false)
		return fogListResult(ctx, req, img.ID, fmt.Sprintf("%s (id %d)", img.Name, img.ID), &m)
	})
}
