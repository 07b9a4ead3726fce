// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

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
	_ datasource.DataSource                     = (*snapinDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*snapinDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*snapinDataSource)(nil)
)

// NewSnapinDataSource is the constructor of the fog_snapin data source.
func NewSnapinDataSource() datasource.DataSource { return &snapinDataSource{} }

type snapinDataSource struct {
	data *ProviderData
}

// snapinDataModel is a snapin as the data sources show it: the attributes
// of the fog_snapin resource (without force_destroy) and what FOG adds.
type snapinDataModel struct {
	ID               types.String `tfsdk:"id"`
	Name             types.String `tfsdk:"name"`
	File             types.String `tfsdk:"file"`
	Description      types.String `tfsdk:"description"`
	Args             types.String `tfsdk:"args"`
	RunWith          types.String `tfsdk:"run_with"`
	RunWithArgs      types.String `tfsdk:"run_with_args"`
	Timeout          types.Int64  `tfsdk:"timeout"`
	Reboot           types.Bool   `tfsdk:"reboot"`
	Shutdown         types.Bool   `tfsdk:"shutdown"`
	Hidden           types.Bool   `tfsdk:"hidden"`
	Enabled          types.Bool   `tfsdk:"enabled"`
	Replicate        types.Bool   `tfsdk:"replicate"`
	Protected        types.Bool   `tfsdk:"protected"`
	PackType         types.String `tfsdk:"pack_type"`
	CreatedTime      types.String `tfsdk:"created_time"`
	CreatedBy        types.String `tfsdk:"created_by"`
	StorageGroupName types.String `tfsdk:"storage_group_name"`
	Hash             types.String `tfsdk:"hash"`
	Size             types.Int64  `tfsdk:"size"`
}

func snapinDataModelFromAPI(s *fogclient.Snapin) snapinDataModel {
	var r snapinModel
	r.fromAPI(s)
	return snapinDataModel{
		ID: r.ID, Name: r.Name, File: r.File, Description: types.StringValue(s.Description), Args: types.StringValue(s.Args),
		RunWith: types.StringValue(s.RunWith), RunWithArgs: types.StringValue(s.RunWithArgs), Timeout: r.Timeout,
		Reboot: r.Reboot, Shutdown: r.Shutdown, Hidden: r.Hidden, Enabled: r.Enabled, Replicate: r.Replicate,
		Protected: r.Protected, PackType: r.PackType, CreatedTime: r.CreatedTime, CreatedBy: r.CreatedBy,
		StorageGroupName: types.StringValue(s.StorageGroupName), Hash: types.StringValue(s.Hash), Size: types.Int64Value(s.Size),
	}
}

func snapinDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                 schema.StringAttribute{Computed: true, MarkdownDescription: "The FOG id of the snapin, as a string."},
		"name":               schema.StringAttribute{Computed: true, MarkdownDescription: "Snapin name."},
		"file":               schema.StringAttribute{Computed: true, MarkdownDescription: "File name in the storage node's snapin directory."},
		"description":        schema.StringAttribute{Computed: true, MarkdownDescription: "Free text."},
		"args":               schema.StringAttribute{Computed: true, MarkdownDescription: "Arguments passed to the file."},
		"run_with":           schema.StringAttribute{Computed: true, MarkdownDescription: "Program that runs the file."},
		"run_with_args":      schema.StringAttribute{Computed: true, MarkdownDescription: "Arguments of `run_with`."},
		"timeout":            schema.Int64Attribute{Computed: true, MarkdownDescription: "Seconds the FOG client waits for the snapin; `0` for no limit."},
		"reboot":             schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the host reboots after the snapin."},
		"shutdown":           schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the host shuts down after the snapin."},
		"hidden":             schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the FOG client hides the snapin's arguments and log."},
		"enabled":            schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG deploys the snapin."},
		"replicate":          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG replicates the snapin's file."},
		"protected":          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG's web UI refuses to delete the snapin."},
		"pack_type":          schema.StringAttribute{Computed: true, MarkdownDescription: "`normal` or `pack` (a Snapin Pack)."},
		"created_time":       schema.StringAttribute{Computed: true, MarkdownDescription: "When the snapin was created (server time)."},
		"created_by":         schema.StringAttribute{Computed: true, MarkdownDescription: "FOG user that created the snapin."},
		"storage_group_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The storage group FOG serves the snapin from."},
		"hash":               schema.StringAttribute{Computed: true, MarkdownDescription: "Checksum of the file as FOG recorded it at upload; empty when the file did not go through FOG's UI."},
		"size":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Size of the file in bytes as FOG recorded it at upload; `0` when unknown."},
	}
}

func (d *snapinDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_snapin"
}

func (d *snapinDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := snapinDataAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The FOG id of the snapin to read, as a string. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a FOG id such as \"12\"")},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the snapin to read, compared without regard to letter case (an exact match wins). " +
			"Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator("name")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one snapin by name or id, for example to give hosts a snapin managed in FOG's UI " +
			"(`fog_host_snapin`). Reading fails when no such snapin exists.",
		Attributes: attrs,
	}
}

func (d *snapinDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (d *snapinDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *snapinDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg snapinDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var s *fogclient.Snapin
	if !cfg.Name.IsNull() {
		name := cfg.Name.ValueString()
		object := fmt.Sprintf("snapin %q", name)
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		found, err := client.FindSnapinsByName(ctx, name)
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
		if s = pickByName(found, name, func(s *fogclient.Snapin) string { return s.Name }); s == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("read", object),
				"FOG has no snapin with this name (names are compared without regard to letter case). The fog_snapins data source lists the snapins FOG has.")
			return
		}
	} else {
		object := "snapin " + cfg.ID.ValueString()
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		id, err := strconv.ParseInt(cfg.ID.ValueString(), 10, 64)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), "The id must be a FOG id such as \"12\".")
			return
		}
		s, err = client.GetSnapin(ctx, id)
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), missingSnapinDetail(id))
			return
		}
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	m := snapinDataModelFromAPI(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
