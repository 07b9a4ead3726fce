// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*taskTypesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*taskTypesDataSource)(nil)
)

// NewTaskTypesDataSource is the constructor of the fog_task_types data source.
func NewTaskTypesDataSource() datasource.DataSource { return &taskTypesDataSource{} }

type taskTypesDataSource struct {
	data *ProviderData
}

type taskTypesDataSourceModel struct {
	Name      types.String    `tfsdk:"name"`
	TaskTypes []taskTypeModel `tfsdk:"task_types"`
}

type taskTypeModel struct {
	ID              types.Int64  `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Description     types.String `tfsdk:"description"`
	Access          types.String `tfsdk:"access"`
	IsAdvanced      types.Bool   `tfsdk:"is_advanced"`
	KernelArgs      types.String `tfsdk:"kernel_args"`
	IsDeploy        types.Bool   `tfsdk:"is_deploy"`
	IsCapture       types.Bool   `tfsdk:"is_capture"`
	IsImaging       types.Bool   `tfsdk:"is_imaging"`
	IsMulticast     types.Bool   `tfsdk:"is_multicast"`
	IsSnapinTasking types.Bool   `tfsdk:"is_snapin_tasking"`
}

func (d *taskTypesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task_types"
}

func (d *taskTypesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the task types of the FOG server (Deploy, Capture, Wake-Up, ...), with how FOG classifies " +
			"each, so that configurations never hard-code their ids. Sorted by id.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the task type with this name, matched as `fog_task` matches its `type`: ignoring letter " +
					"case, spaces, dashes and underscores (`deploy-debug` finds \"Deploy - Debug\"). Reading fails, listing the valid " +
					"names, when no task type has it.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator("name")},
			},
			"task_types": schema.ListNestedAttribute{
				MarkdownDescription: "The task types, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the task type."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Name, for example `Deploy`."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "FOG's description of the task type."},
					"access": schema.StringAttribute{Computed: true, MarkdownDescription: "Where FOG's web UI offers it: `host`, `group` " +
						"or `both` (FOG's API does not enforce it for hosts)."},
					"is_advanced": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG's web UI lists it under " +
						"the advanced tasks."},
					"kernel_args": schema.StringAttribute{Computed: true, MarkdownDescription: "Kernel arguments FOG boots the task " +
						"with, for example `type=down`."},
					"is_deploy": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG treats it as a deploy " +
						"(writes the host's image to its disk)."},
					"is_capture": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG treats it as a capture " +
						"(reads the host's disk into its image)."},
					"is_imaging": schema.BoolAttribute{Computed: true, MarkdownDescription: "Deploy or capture: the host needs an " +
						"enabled image, and can have only one such task at a time."},
					"is_multicast":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether it deploys by multicast."},
					"is_snapin_tasking": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether it only runs snapins."},
				}},
			},
		},
	}
}

func (d *taskTypesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *taskTypesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg taskTypesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "task types")
	if client == nil {
		return
	}
	all, err := client.TaskTypes(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "list", "task types", err)
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	cfg.TaskTypes = make([]taskTypeModel, 0, len(all))
	for _, t := range all {
		if !cfg.Name.IsNull() && normalizeTaskTypeName(t.Name) != normalizeTaskTypeName(cfg.Name.ValueString()) {
			continue
		}
		cfg.TaskTypes = append(cfg.TaskTypes, taskTypeFromAPI(t))
	}
	if !cfg.Name.IsNull() && len(cfg.TaskTypes) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to find task type %q", cfg.Name.ValueString()), fmt.Sprintf(
			"The FOG server has no task type of this name (names are matched ignoring letter case, spaces, dashes and "+
				"underscores). Valid task types: %s.", validTaskTypes(all)))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func taskTypeFromAPI(t fogclient.TaskType) taskTypeModel {
	return taskTypeModel{
		ID:              types.Int64Value(t.ID),
		Name:            types.StringValue(t.Name),
		Description:     types.StringValue(t.Description),
		Access:          types.StringValue(t.Access),
		IsAdvanced:      types.BoolValue(t.IsAdvanced),
		KernelArgs:      types.StringValue(t.KernelArgs),
		IsDeploy:        types.BoolValue(t.IsDeploy()),
		IsCapture:       types.BoolValue(t.IsCapture()),
		IsImaging:       types.BoolValue(t.IsImaging()),
		IsMulticast:     types.BoolValue(t.IsMulticast()),
		IsSnapinTasking: types.BoolValue(t.IsSnapinTasking),
	}
}
