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
	_ datasource.DataSource                     = (*storageGroupDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*storageGroupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*storageGroupDataSource)(nil)
)

// NewStorageGroupDataSource is the constructor of the fog_storage_group data source.
func NewStorageGroupDataSource() datasource.DataSource { return &storageGroupDataSource{} }

type storageGroupDataSource struct {
	data *ProviderData
}

type storageGroupDataModel struct {
	ID                    types.String  `tfsdk:"id"`
	Name                  types.String  `tfsdk:"name"`
	Description           types.String  `tfsdk:"description"`
	TotalSupportedClients types.Int64   `tfsdk:"total_supported_clients"`
	NodeIDs               []types.Int64 `tfsdk:"node_ids"`
	EnabledNodeIDs        []types.Int64 `tfsdk:"enabled_node_ids"`
}

func int64s(ids []int64) []types.Int64 {
	out := make([]types.Int64, len(ids))
	for i, id := range ids {
		out[i] = types.Int64Value(id)
	}
	return out
}

func storageGroupDataModelFromAPI(g *fogclient.StorageGroup) storageGroupDataModel {
	return storageGroupDataModel{
		ID: types.StringValue(strconv.FormatInt(g.ID, 10)), Name: types.StringValue(g.Name), Description: types.StringValue(g.Description),
		TotalSupportedClients: types.Int64Value(g.TotalSupportedClients), NodeIDs: int64s(g.AllNodes), EnabledNodeIDs: int64s(g.EnabledNodes),
	}
}

func storageGroupDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                      schema.StringAttribute{Computed: true, MarkdownDescription: "The FOG id of the storage group, as a string."},
		"name":                    schema.StringAttribute{Computed: true, MarkdownDescription: "Storage group name."},
		"description":             schema.StringAttribute{Computed: true, MarkdownDescription: "Free text."},
		"total_supported_clients": schema.Int64Attribute{Computed: true, MarkdownDescription: "How many hosts the group's enabled nodes serve at once (the sum of their `max_clients`)."},
		"node_ids":                schema.ListAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Ids of the group's storage nodes, in FOG's order (by node name)."},
		"enabled_node_ids":        schema.ListAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Ids of the group's enabled nodes that accept clients."},
	}
}

func (d *storageGroupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_group"
}

func (d *storageGroupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := storageGroupDataAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The FOG id of the storage group to read, as a string (`\"1\"` is FOG's default group). Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a FOG id such as \"1\"")},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the storage group to read, compared without regard to letter case (an exact match wins). " +
			"Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankValidator("name")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one storage group by name or id, for example FOG's default group for a `fog_storage_node` " +
			"or a `fog_image_storage_group`. Reading fails when no such group exists.",
		Attributes: attrs,
	}
}

func (d *storageGroupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (d *storageGroupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *storageGroupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg storageGroupDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var g *fogclient.StorageGroup
	if !cfg.Name.IsNull() {
		name := cfg.Name.ValueString()
		object := fmt.Sprintf("storage group %q", name)
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		found, err := client.FindStorageGroupsByName(ctx, name)
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
		if g = pickByName(found, name, func(g *fogclient.StorageGroup) string { return g.Name }); g == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("read", object),
				"FOG has no storage group with this name (names are compared without regard to letter case). The fog_storage_groups data source lists them.")
			return
		}
	} else {
		object := "storage group " + cfg.ID.ValueString()
		client := d.data.clientOrError(&resp.Diagnostics, "read", object)
		if client == nil {
			return
		}
		id, err := strconv.ParseInt(cfg.ID.ValueString(), 10, 64)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), "The id must be a FOG id such as \"1\".")
			return
		}
		g, err = client.GetStorageGroup(ctx, id)
		if errors.Is(err, fogclient.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), unableTo("read", object), missingStorageGroupDetail(id))
			return
		}
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	m := storageGroupDataModelFromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
