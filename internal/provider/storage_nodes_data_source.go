// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*storageNodesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*storageNodesDataSource)(nil)
)

// NewStorageNodesDataSource is the constructor of the fog_storage_nodes data source.
func NewStorageNodesDataSource() datasource.DataSource { return &storageNodesDataSource{} }

type storageNodesDataSource struct {
	data *ProviderData
}

type storageNodesDataSourceModel struct {
	StorageGroupID types.Int64            `tfsdk:"storage_group_id"`
	Nodes          []storageNodeDataModel `tfsdk:"storage_nodes"`
}

// storageNodeDataModel has no password: FOG returns it in clear text, and
// the client never decodes it (reference/snapins-storage.md §5).
type storageNodeDataModel struct {
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	StorageGroupID types.Int64  `tfsdk:"storage_group_id"`
	IP             types.String `tfsdk:"ip"`
	User           types.String `tfsdk:"user"`
	Master         types.Bool   `tfsdk:"is_master"`
	Enabled        types.Bool   `tfsdk:"enabled"`
	GraphEnabled   types.Bool   `tfsdk:"graph_enabled"`
	MaxClients     types.Int64  `tfsdk:"max_clients"`
	Path           types.String `tfsdk:"path"`
	FTPPath        types.String `tfsdk:"ftp_path"`
	SnapinPath     types.String `tfsdk:"snapin_path"`
	SSLPath        types.String `tfsdk:"ssl_path"`
	WebRoot        types.String `tfsdk:"webroot"`
	Interface      types.String `tfsdk:"interface"`
	Bandwidth      types.Int64  `tfsdk:"bandwidth"`
	Online         types.Bool   `tfsdk:"online"`
}

func storageNodeDataModelFromAPI(n *fogclient.StorageNode) storageNodeDataModel {
	return storageNodeDataModel{
		ID: types.StringValue(strconv.FormatInt(n.ID, 10)), Name: types.StringValue(n.Name), Description: types.StringValue(n.Description),
		StorageGroupID: types.Int64Value(n.StorageGroupID), IP: types.StringValue(n.IP), User: types.StringValue(n.User),
		Master: types.BoolValue(n.Master), Enabled: types.BoolValue(n.Enabled), GraphEnabled: types.BoolValue(n.GraphEnabled),
		MaxClients: types.Int64Value(n.MaxClients), Path: types.StringValue(n.Path), FTPPath: types.StringValue(n.FTPPath),
		SnapinPath: types.StringValue(n.SnapinPath), SSLPath: types.StringValue(n.SSLPath), WebRoot: types.StringValue(n.WebRoot),
		Interface: types.StringValue(n.Interface), Bandwidth: types.Int64Value(n.Bandwidth), Online: types.BoolValue(n.Online),
	}
}

func (d *storageNodesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_nodes"
}

func (d *storageNodesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	number := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's storage nodes, optionally those of one storage group, sorted by id. The nodes' FTP " +
			"passwords, which FOG returns in clear text, are never read. FOG checks whether each node's FTP port answers while " +
			"it lists them (up to a second per node).",
		Attributes: map[string]schema.Attribute{
			"storage_group_id": schema.Int64Attribute{
				MarkdownDescription: "Only the nodes of this storage group.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"storage_nodes": schema.ListNestedAttribute{
				MarkdownDescription: "The nodes, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":               computed("The FOG id of the node, as a string."),
					"name":             computed("Node name."),
					"description":      computed("Free text."),
					"storage_group_id": number("FOG id of the node's storage group."),
					"ip":               computed("Address of the node."),
					"user":             computed("FTP user FOG logs in as."),
					"is_master":        flag("Whether the node is its group's master."),
					"enabled":          flag("Whether hosts are sent to the node."),
					"graph_enabled":    flag("Whether FOG's dashboard graphs the node."),
					"max_clients":      number("How many hosts may image from the node at once."),
					"path":             computed("Image directory as hosts mount it."),
					"ftp_path":         computed("Image directory as FOG reaches it over FTP."),
					"snapin_path":      computed("Snapin directory."),
					"ssl_path":         computed("Directory of the node's FOG client certificates."),
					"webroot":          computed("Path of FOG's web UI on the node."),
					"interface":        computed("Network interface FOG's dashboard graphs."),
					"bandwidth":        number("Replication bandwidth limit in kbit/s; `0` for none."),
					"online":           flag("Whether FOG reached the node's FTP port when it listed the nodes."),
				}},
			},
		},
	}
}

func (d *storageNodesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *storageNodesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg storageNodesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "storage nodes")
	if client == nil {
		return
	}
	var all []fogclient.StorageNode
	var err error
	if known(cfg.StorageGroupID) {
		all, err = client.StorageNodesInGroup(ctx, cfg.StorageGroupID.ValueInt64())
	} else {
		all, err = client.ListStorageNodes(ctx)
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "list", "storage nodes", err)
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	cfg.Nodes = []storageNodeDataModel{}
	for i := range all {
		cfg.Nodes = append(cfg.Nodes, storageNodeDataModelFromAPI(&all[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
