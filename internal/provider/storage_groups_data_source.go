// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

var (
	_ datasource.DataSource              = (*storageGroupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*storageGroupsDataSource)(nil)
)

// NewStorageGroupsDataSource is the constructor of the fog_storage_groups data source.
func NewStorageGroupsDataSource() datasource.DataSource { return &storageGroupsDataSource{} }

type storageGroupsDataSource struct {
	data *ProviderData
}

type storageGroupsDataSourceModel struct {
	StorageGroups []storageGroupDataModel `tfsdk:"storage_groups"`
}

func (d *storageGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_groups"
}

func (d *storageGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's storage groups, sorted by id.",
		Attributes: map[string]schema.Attribute{
			"storage_groups": schema.ListNestedAttribute{
				MarkdownDescription: "The storage groups, sorted by id, with the attributes of the `fog_storage_group` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: storageGroupDataAttributes()},
			},
		},
	}
}

func (d *storageGroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *storageGroupsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	client := d.data.clientOrError(&resp.Diagnostics, "list", "storage groups")
	if client == nil {
		return
	}
	all, err := client.StorageGroups(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "list", "storage groups", err)
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	m := storageGroupsDataSourceModel{StorageGroups: []storageGroupDataModel{}}
	for i := range all {
		m.StorageGroups = append(m.StorageGroups, storageGroupDataModelFromAPI(&all[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
