// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Starting a task, shared by the fog_task resource and action: the type is
// resolved again, the host (and its image) checked, then the task created,
// or the host's active task of that type adopted.
//
// Two starts for one host (two fog_task resources, or a resource and an
// action, in one apply) cannot both see "no active task":
// fogclient.CreateHostTaskIf reads the host's active tasks and creates under
// one per-host lock of the client, with decideCreate taken in between
// (TestStartTask_concurrentStartsOnOneHost).

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// taskRequest is the task fog_task (resource or action) asks FOG for, with
// every value known.
type taskRequest struct {
	HostID int64
	// ImageID is the image the host must have assigned, or nil.
	ImageID                             *int64
	TaskName                            string
	Shutdown, Debug, WOL, DeploySnapins bool
	// SnapinID is the one snapin to deploy (task_snapins.go), 0 for none.
	SnapinID int64
}

// request is the task to ask FOG for; unset flags are false.
func (m taskArguments) request() taskRequest {
	req := taskRequest{
		HostID: m.HostID.ValueInt64(), TaskName: m.TaskName.ValueString(),
		Shutdown: m.Shutdown.ValueBool(), Debug: m.Debug.ValueBool(), WOL: m.WOL.ValueBool(), DeploySnapins: m.DeploySnapins.ValueBool(),
	}
	if known(m.ImageID) {
		v := m.ImageID.ValueInt64()
		req.ImageID = &v
	}
	req.SnapinID = m.SnapinID.ValueInt64()
	return req
}

// resolveTaskForApply resolves `type` again at apply time (the plan may
// have been made without a server) and refuses flags FOG would ignore.
func resolveTaskForApply(ctx context.Context, data *ProviderData, taskType string, req taskRequest, diags *diag.Diagnostics) (fogclient.TaskType, bool) {
	object := fmt.Sprintf("a %s task for host %d", taskType, req.HostID)
	all, err := data.serverTaskTypes(ctx)
	if err != nil {
		addClientError(diags, "create", object, fmt.Errorf("listing task types: %w", err))
		return fogclient.TaskType{}, false
	}
	tt, err := resolveTaskType(taskType, all)
	if err != nil {
		diags.AddAttributeError(path.Root("type"), unableTo("create", object), "Invalid type: "+err.Error()+".")
		return fogclient.TaskType{}, false
	}
	object = fmt.Sprintf("a %s task for host %d", tt.Name, req.HostID)
	problems := append(taskFlagProblems(tt, req.WOL, req.DeploySnapins), snapinIDProblems(tt, req.SnapinID > 0, req.DeploySnapins)...)
	for _, p := range problems {
		diags.AddAttributeError(path.Root("type"), unableTo("create", object), p)
	}
	return tt, len(problems) == 0
}

// taskStarter words the adoption warning for what starts the task.
type taskStarter struct {
	name, adoptedMark, neverCancels string
}

// startTask runs the checks and creates or adopts the task. task is nil for
// a Wake-Up; ok is false when an error was added.
func startTask(ctx context.Context, client *fogclient.Client, req taskRequest, tt fogclient.TaskType, by taskStarter, diags *diag.Diagnostics) (task *fogclient.Task, adopted, ok bool) {
	hostID := req.HostID
	object := fmt.Sprintf("a %s task for host %d", tt.Name, hostID)
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		addMissingHostError(diags, "create", object, hostID)
		return nil, false, false
	}
	if err != nil {
		addClientError(diags, "create", object, err)
		return nil, false, false
	}
	object = fmt.Sprintf("a %s task for host %q", tt.Name, host.Name)

	wantImage := req.ImageID
	if wantImage != nil {
		v := *wantImage
		if host.ImageID != v {
			diags.AddAttributeError(path.Root("image_id"), unableTo("create", object), fmt.Sprintf(
				"image_id is %d, but the host has image %s assigned, so the task was refused (it would use the "+
					"host's image). Assign image %d to the host first (fog_host_image_assignment, and set image_id to its image_id "+
					"so the task waits for the assignment), or correct image_id.", v, hostImageText(host), v))
			return nil, false, false
		}
	}
	if kind := classifyTaskType(tt); (kind == kindDeploy || kind == kindCapture) && host.ImageID == 0 {
		// FOG would answer "Image is not valid" (recording
		// host-task-deploy-host-without-image); say what to do instead. On
		// host_id: image_id is not set, so Terraform could not show its line.
		diags.AddAttributeError(path.Root("host_id"), unableTo("create", object),
			"The host has no image assigned, so FOG would refuse the task (\"Image is not valid\"). Assign one "+
				"with a fog_host_image_assignment and set image_id = fog_host_image_assignment.<name>.image_id on this task, so "+
				"that it is created after the assignment.")
		return nil, false, false
	}
	if classifyTaskType(tt) == kindCapture && host.ImageID != 0 {
		img, err := client.GetImage(ctx, host.ImageID)
		switch {
		case err == nil && img.Protected:
			diags.AddAttributeError(path.Root("type"), unableTo("create", object), protectedImageDetail(host, img, tt))
			return nil, false, false
		case err != nil && !errors.Is(err, fogclient.ErrNotFound):
			addClientError(diags, "create", object, fmt.Errorf("checking whether image %d is protected: %w", host.ImageID, err))
			return nil, false, false
		}
	}

	if !applySnapinChecks(ctx, client, hostID, req.SnapinID, diags) {
		return nil, false, false
	}

	// The decision is made on the active tasks the create reads anyway, right
	// before its request.
	var (
		decision createDecision
		listed   bool
	)
	_, created, err := client.CreateHostTaskIf(ctx, hostID, fogclient.TaskCreate{
		TypeID:        tt.ID,
		TaskName:      req.TaskName,
		Shutdown:      req.Shutdown,
		Debug:         req.Debug,
		WOL:           req.WOL,
		DeploySnapins: req.DeploySnapins,
		SnapinID:      req.SnapinID,
	}, func(active []fogclient.Task) bool {
		listed = true
		decision = decideSnapinTask(ctx, client, decideCreate(active, tt, host.Name, wantImage), tt, host.Name, req.SnapinID)
		return decision.Action == actionCreate
	})
	if err != nil && !listed {
		addClientError(diags, "create", object, fmt.Errorf("listing the host's active tasks: %w", err))
		return nil, false, false
	}
	switch decision.Action {
	case actionRefuse:
		diags.AddError(unableTo("create", object), sentence(decision.Reason))
		return nil, false, false
	case actionAdopt:
		t := decision.Task
		diags.AddWarning("Adopted an existing task", fmt.Sprintf(
			"Host %q (id %d) already had an active %s task: %s, created outside %s. FOG runs one such task per host, "+
				"so %s adopted it%s instead of starting a second one. %s", host.Name, host.ID, tt.Name, describeTask(t),
			by.name, by.name, by.adoptedMark, by.neverCancels))
		tflog.Info(ctx, "adopted active task", map[string]any{"task_id": t.ID, "host_id": hostID, "type_id": tt.ID})
		return t, true, true
	}
	if err != nil {
		addClientError(diags, "create", object, err)
		return nil, false, false
	}
	if created == nil && tt.ID != fogclient.TaskTypeWakeUp {
		diags.AddError(unableTo("create", object), "FOG accepted the task but it could not be found "+
			"afterwards. This is a bug in the provider, please report it.")
		return nil, false, false
	}
	if created != nil {
		tflog.Info(ctx, "created task", map[string]any{"task_id": created.ID, "host_id": hostID, "type_id": tt.ID})
	}
	return created, false, true
}

func hostImageText(h *fogclient.Host) string {
	if h.ImageID == 0 {
		return "none"
	}
	return describeImage(h.ImageID, h.ImageName)
}
