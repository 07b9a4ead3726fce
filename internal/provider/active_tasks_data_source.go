// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ datasource.DataSource              = (*activeTasksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*activeTasksDataSource)(nil)
)

// NewActiveTasksDataSource is the constructor of the fog_active_tasks data source.
func NewActiveTasksDataSource() datasource.DataSource { return &activeTasksDataSource{} }

type activeTasksDataSource struct {
	data *ProviderData
}

type activeTasksModel struct {
	HostID            types.Int64             `tfsdk:"host_id"`
	Tasks             []activeTaskModel       `tfsdk:"tasks"`
	MulticastSessions []multicastSessionModel `tfsdk:"multicast_sessions"`
}

type activeTaskModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	HostID      types.Int64  `tfsdk:"host_id"`
	HostName    types.String `tfsdk:"host_name"`
	TypeID      types.Int64  `tfsdk:"type_id"`
	Type        types.String `tfsdk:"type"`
	StateID     types.Int64  `tfsdk:"state_id"`
	State       types.String `tfsdk:"state"`
	Percent     types.Int64  `tfsdk:"percent"`
	ImageID     types.Int64  `tfsdk:"image_id"`
	ImageName   types.String `tfsdk:"image_name"`
	CreatedTime types.String `tfsdk:"created_time"`
}

type multicastSessionModel struct {
	ID      types.Int64  `tfsdk:"id"`
	Name    types.String `tfsdk:"name"`
	ImageID types.Int64  `tfsdk:"image_id"`
	StateID types.Int64  `tfsdk:"state_id"`
	Clients types.Int64  `tfsdk:"clients"`
}

func (d *activeTasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_active_tasks"
}

func (d *activeTasksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	task := map[string]schema.Attribute{
		"id":           schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the task."},
		"name":         schema.StringAttribute{Computed: true, MarkdownDescription: "Task name (FOG appends ` - <host name>`)."},
		"host_id":      schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the host."},
		"host_name":    schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the host."},
		"type_id":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Task type id, for example `1` Deploy, `2` Capture."},
		"type":         schema.StringAttribute{Computed: true, MarkdownDescription: "Task type name, for example `Deploy`."},
		"state_id":     schema.Int64Attribute{Computed: true, MarkdownDescription: "`1` Queued, `2` Checked In, `3` In-Progress (`0` for a new multicast task)."},
		"state":        schema.StringAttribute{Computed: true, MarkdownDescription: "State name, for example `Queued`."},
		"percent":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Progress in percent, 0-100, as reported by the imaging client."},
		"image_id":     schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the image the task uses; `0` when none."},
		"image_name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the image; empty when none."},
		"created_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the task was created (`YYYY-MM-DD HH:MM:SS`, server time)."},
	}
	session := map[string]schema.Attribute{
		"id":       schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the multicast session."},
		"name":     schema.StringAttribute{Computed: true, MarkdownDescription: "Session name."},
		"image_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "FOG id of the image being multicast."},
		"state_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "`0` new, `1` Queued, `2` Checked In, `3` In-Progress."},
		"clients":  schema.Int64Attribute{Computed: true, MarkdownDescription: "Expected number of clients (`-1` for a session started from a host task)."},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists FOG's active tasks (queued, checked in or in progress) and active multicast sessions, " +
			"as FOG's Task Management shows them. Finished and cancelled tasks are not included.",
		Attributes: map[string]schema.Attribute{
			"host_id": schema.Int64Attribute{
				MarkdownDescription: "Only the tasks of this host, and only the multicast sessions of its multicast tasks.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"tasks": schema.ListNestedAttribute{
				MarkdownDescription: "Active tasks, sorted by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: task},
			},
			"multicast_sessions": schema.ListNestedAttribute{
				MarkdownDescription: "Active multicast sessions, sorted by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: session},
			},
		},
	}
}

func (d *activeTasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *activeTasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = d.data.LogContext(ctx)
	var cfg activeTasksModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics, "list", "active tasks")
	if client == nil {
		return
	}

	var (
		tasks []fogclient.Task
		err   error
	)
	if cfg.HostID.IsNull() {
		tasks, err = d.data.reads.ActiveTasks(ctx)
	} else {
		tasks, err = client.ActiveTasksForHost(ctx, cfg.HostID.ValueInt64())
	}
	if err != nil {
		object := "active tasks"
		if !cfg.HostID.IsNull() {
			object = fmt.Sprintf("active tasks of host %d", cfg.HostID.ValueInt64())
		}
		addClientError(&resp.Diagnostics, "list", object, err)
		return
	}
	sessions, err := client.ActiveMulticastSessions(ctx)
	if err != nil {
		addClientError(&resp.Diagnostics, "list", "active multicast sessions", err)
		return
	}

	var hostID *int64
	if !cfg.HostID.IsNull() {
		v := cfg.HostID.ValueInt64()
		hostID = &v
	}
	cfg.Tasks, cfg.MulticastSessions = mapActiveTasks(tasks, sessions, hostID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// mapActiveTasks maps and sorts tasks and sessions. With hostID set, only
// that host's tasks are kept (even if the server ignored the filter) and
// only the sessions of the images its multicast tasks use.
func mapActiveTasks(tasks []fogclient.Task, sessions []fogclient.MulticastSession, hostID *int64) ([]activeTaskModel, []multicastSessionModel) {
	outTasks := make([]activeTaskModel, 0, len(tasks))
	multicastImages := map[int64]bool{}
	for _, t := range tasks {
		if !t.Active() || (hostID != nil && t.HostID != *hostID) {
			continue
		}
		if t.TypeID == fogclient.TaskTypeMulticast {
			multicastImages[t.ImageID] = true
		}
		outTasks = append(outTasks, activeTaskModel{
			ID:          types.Int64Value(t.ID),
			Name:        types.StringValue(t.Name),
			HostID:      types.Int64Value(t.HostID),
			HostName:    types.StringValue(t.HostName),
			TypeID:      types.Int64Value(t.TypeID),
			Type:        types.StringValue(t.TypeName),
			StateID:     types.Int64Value(t.StateID),
			State:       types.StringValue(t.StateName),
			Percent:     types.Int64Value(t.Percent),
			ImageID:     types.Int64Value(t.ImageID),
			ImageName:   types.StringValue(t.ImageName),
			CreatedTime: types.StringValue(t.CreatedTime),
		})
	}
	sort.Slice(outTasks, func(i, j int) bool { return outTasks[i].ID.ValueInt64() < outTasks[j].ID.ValueInt64() })

	outSessions := make([]multicastSessionModel, 0, len(sessions))
	for _, s := range sessions {
		if hostID != nil && !multicastImages[s.ImageID] {
			continue
		}
		outSessions = append(outSessions, multicastSessionModel{
			ID:      types.Int64Value(s.ID),
			Name:    types.StringValue(s.Name),
			ImageID: types.Int64Value(s.ImageID),
			StateID: types.Int64Value(s.StateID),
			Clients: types.Int64Value(s.Clients),
		})
	}
	sort.Slice(outSessions, func(i, j int) bool { return outSessions[i].ID.ValueInt64() < outSessions[j].ID.ValueInt64() })
	return outTasks, outSessions
}
