// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*hostInventoryDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*hostInventoryDataSource)(nil)
)

// NewHostInventoryDataSource is the constructor of the fog_host_inventory data source.
func NewHostInventoryDataSource() datasource.DataSource { return &hostInventoryDataSource{} }

type hostInventoryDataSource struct {
	data *ProviderData
}

type hostInventoryModel struct {
	HostID                  types.Int64  `tfsdk:"host_id"`
	HostName                types.String `tfsdk:"host_name"`
	Inventoried             types.Bool   `tfsdk:"inventoried"`
	InventoriedTime         types.String `tfsdk:"inventoried_time"`
	PrimaryUser             types.String `tfsdk:"primary_user"`
	SysManufacturer         types.String `tfsdk:"sys_manufacturer"`
	SysProduct              types.String `tfsdk:"sys_product"`
	SysVersion              types.String `tfsdk:"sys_version"`
	SysSerial               types.String `tfsdk:"sys_serial"`
	SysUUID                 types.String `tfsdk:"sys_uuid"`
	SysType                 types.String `tfsdk:"sys_type"`
	BIOSVendor              types.String `tfsdk:"bios_vendor"`
	BIOSVersion             types.String `tfsdk:"bios_version"`
	BIOSDate                types.String `tfsdk:"bios_date"`
	MotherboardManufacturer types.String `tfsdk:"motherboard_manufacturer"`
	MotherboardProduct      types.String `tfsdk:"motherboard_product"`
	MotherboardVersion      types.String `tfsdk:"motherboard_version"`
	MotherboardSerial       types.String `tfsdk:"motherboard_serial"`
	MotherboardAsset        types.String `tfsdk:"motherboard_asset"`
	CPUManufacturer         types.String `tfsdk:"cpu_manufacturer"`
	CPUVersion              types.String `tfsdk:"cpu_version"`
	CPUCurrentSpeed         types.String `tfsdk:"cpu_current_speed"`
	CPUMaxSpeed             types.String `tfsdk:"cpu_max_speed"`
	Memory                  types.String `tfsdk:"memory"`
	MemoryRaw               types.String `tfsdk:"memory_raw"`
	DiskModel               types.String `tfsdk:"disk_model"`
	DiskSerial              types.String `tfsdk:"disk_serial"`
	DiskFirmware            types.String `tfsdk:"disk_firmware"`
	CaseManufacturer        types.String `tfsdk:"case_manufacturer"`
	CaseVersion             types.String `tfsdk:"case_version"`
	CaseSerial              types.String `tfsdk:"case_serial"`
	CaseAsset               types.String `tfsdk:"case_asset"`
}

func (d *hostInventoryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host_inventory"
}

func (d *hostInventoryDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	text := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a host's hardware inventory as FOG's client last reported it (a `Hardware Inventory` task, or " +
			"an imaging run): system, BIOS, motherboard, CPU, memory, disk and case. Values are FOG's text as reported, " +
			"empty when FOG has none; a host that was never inventoried has `inventoried = false` and every field empty.",
		Attributes: map[string]schema.Attribute{
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the host.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"host_name":                text("The host's name."),
			"inventoried":              schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether FOG has an inventory of the host."},
			"inventoried_time":         text("When the inventory was recorded (`YYYY-MM-DD HH:MM:SS`, server time)."),
			"primary_user":             text("The primary user recorded for the host."),
			"sys_manufacturer":         text("System manufacturer (SMBIOS)."),
			"sys_product":              text("System product name."),
			"sys_version":              text("System version."),
			"sys_serial":               text("System serial number."),
			"sys_uuid":                 text("System UUID."),
			"sys_type":                 text("System type."),
			"bios_vendor":              text("BIOS vendor."),
			"bios_version":             text("BIOS version."),
			"bios_date":                text("BIOS date."),
			"motherboard_manufacturer": text("Motherboard manufacturer."),
			"motherboard_product":      text("Motherboard product name."),
			"motherboard_version":      text("Motherboard version."),
			"motherboard_serial":       text("Motherboard serial number."),
			"motherboard_asset":        text("Motherboard asset tag."),
			"cpu_manufacturer":         text("CPU manufacturer."),
			"cpu_version":              text("CPU model."),
			"cpu_current_speed":        text("CPU current speed, as reported."),
			"cpu_max_speed":            text("CPU maximum speed, as reported."),
			"memory":                   text("Memory size as FOG shows it, for example `7.68 GiB`; empty when FOG has no inventory."),
			"memory_raw":               text("The memory line the client reported, for example `MemTotal: 8049116 kB`."),
			"disk_model":               text("Disk model."),
			"disk_serial":              text("Disk serial number."),
			"disk_firmware":            text("Disk firmware version."),
			"case_manufacturer":        text("Chassis manufacturer."),
			"case_version":             text("Chassis version."),
			"case_serial":              text("Chassis serial number."),
			"case_asset":               text("Chassis asset tag."),
		},
	}
}

func (d *hostInventoryDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *hostInventoryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg hostInventoryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hostID := cfg.HostID.ValueInt64()
	object := fmt.Sprintf("the inventory of host %d", hostID)
	client := d.data.clientOrError(&resp.Diagnostics, "read", object)
	if client == nil {
		return
	}
	host, err := d.data.reads.Host(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("host_id"), unableTo("read", object), missingHostDetail(hostID))
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	inv, err := client.GetHostInventory(ctx, hostID)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	state := hostInventoryFromAPI(hostID, host.Name, inv)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// hostInventoryFromAPI maps an inventory row; nil gives every field empty.
func hostInventoryFromAPI(hostID int64, hostName string, inv *fogclient.HostInventory) hostInventoryModel {
	v := fogclient.HostInventory{}
	if inv != nil {
		v = *inv
	}
	s := types.StringValue
	created := ""
	if inv != nil {
		created = dateOrEmpty(v.CreatedTime)
	}
	return hostInventoryModel{
		HostID: types.Int64Value(hostID), HostName: s(hostName), Inventoried: types.BoolValue(inv != nil), InventoriedTime: s(created),
		PrimaryUser: s(v.PrimaryUser), SysManufacturer: s(v.SysMan), SysProduct: s(v.SysProduct), SysVersion: s(v.SysVersion),
		SysSerial: s(v.SysSerial), SysUUID: s(v.SysUUID), SysType: s(v.SysType), BIOSVendor: s(v.BIOSVendor),
		BIOSVersion: s(v.BIOSVersion), BIOSDate: s(v.BIOSDate), MotherboardManufacturer: s(v.MBMan),
		MotherboardProduct: s(v.MBProductName), MotherboardVersion: s(v.MBVersion), MotherboardSerial: s(v.MBSerial),
		MotherboardAsset: s(v.MBAsset), CPUManufacturer: s(v.CPUMan), CPUVersion: s(v.CPUVersion), CPUCurrentSpeed: s(v.CPUCurrent),
		CPUMaxSpeed: s(v.CPUMax), Memory: s(v.Memory), MemoryRaw: s(v.Mem), DiskModel: s(v.HDModel), DiskSerial: s(v.HDSerial),
		DiskFirmware: s(v.HDFirmware), CaseManufacturer: s(v.CaseMan), CaseVersion: s(v.CaseVer), CaseSerial: s(v.CaseSerial),
		CaseAsset: s(v.CaseAsset),
	}
}
