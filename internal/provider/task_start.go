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
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// taskRequest is the task fog_task (resource or action) asks FOG for, with
// every value known.
type taskRequest struct {
	// HostID or GroupID (exactly one is set) is what the task is for.
	HostID  int64
	GroupID int64
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
		HostID: m.HostID.ValueInt64(), GroupID: m.GroupID.ValueInt64(), TaskName: m.TaskName.ValueString(),
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
	object := req.object(taskType)
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
	object = req.object(tt.Name)
	problems := append(taskFlagProblems(tt, req.WOL, req.DeploySnapins), snapinIDProblems(tt, req.SnapinID > 0, req.DeploySnapins)...)
	if req.GroupID != 0 {
		problems = append(problems, groupTypeProblems(tt, req.WOL, req.DeploySnapins)...)
	}
	for _, p := range problems {
		diags.AddAttributeError(path.Root("type"), unableTo("create", object), p)
	}
	return tt, len(problems) == 0
}

// object names the task for messages: "a Deploy task for host 12".
func (r taskRequest) object(taskType string) string {
	if r.GroupID != 0 {
		return fmt.Sprintf("a %s task for group %d", taskType, r.GroupID)
	}
	return fmt.Sprintf("a %s task for host %d", taskType, r.HostID)
}

// taskStarter words the adoption warning for what starts the task.
type taskStarter struct {
	name, adoptedMark, neverCancels string
}

// taskAttempt is the record of a task create whose outcome stayed unknown
// (create_record.go): the task it may have made is the newest active one
// of its host and type that was not active before.
type taskAttempt struct {
	HostID int64   `json:"host_id"`
	TypeID int64   `json:"type_id"`
	Before []int64 `json:"active_before"`
}

// startTask runs the checks and creates or adopts the task. task is nil for
// a Wake-Up; ok is false when an error was added. A create whose outcome
// stayed unknown goes to unknown, when given, which reports it.
func startTask(ctx context.Context, client *fogclient.Client, req taskRequest, tt fogclient.TaskType, by taskStarter, diags *diag.Diagnostics,
	unknown func(taskAttempt, error)) (task *fogclient.Task, adopted, ok bool) {
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
			if _, err := client.GetImage(ctx, v); errors.Is(err, fogclient.ErrNotFound) {
				diags.AddAttributeError(path.Root("image_id"), unableTo("create", object), unknownTaskImageDetail(v))
				return nil, false, false
			}
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
	before, created, err := client.CreateHostTaskIf(ctx, hostID, fogclient.TaskCreate{
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
	if unknown != nil && createOutcomeUnknown(err) && tt.ID != fogclient.TaskTypeWakeUp {
		attempt := taskAttempt{HostID: hostID, TypeID: tt.ID, Before: []int64{}}
		for _, t := range before {
			attempt.Before = append(attempt.Before, t.ID)
		}
		unknown(attempt, err)
		return nil, false, false
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

// startGroupTask creates the task for every member of a group, after the
// hazards of FOG's group route were ruled out on the members as read under
// their task locks (fogclient.CreateGroupTaskIf; no adoption: a member with
// an active task refuses). res has no tasks for a Wake-Up; ok is false
// when an error was added.
func startGroupTask(ctx context.Context, client *fogclient.Client, req taskRequest, tt fogclient.TaskType, diags *diag.Diagnostics) (res *fogclient.GroupTaskResult, ok bool) {
	object := req.object(tt.Name)
	var hazards []groupHazard
	chk, res, err := client.CreateGroupTaskIf(ctx, req.GroupID, fogclient.TaskCreate{
		TypeID:   tt.ID,
		TaskName: req.TaskName,
		Shutdown: req.Shutdown,
		Debug:    req.Debug,
		WOL:      req.WOL,
	}, func(c fogclient.GroupTaskCheck) bool {
		hazards = groupTaskHazards(c, tt, req.ImageID)
		return len(hazards) == 0
	})
	if chk != nil {
		object = fmt.Sprintf("a %s task for group %q", tt.Name, chk.Group.Name)
	}
	var gte *fogclient.GroupTaskError
	switch {
	case chk == nil && errors.Is(err, fogclient.ErrNotFound):
		diags.AddAttributeError(path.Root("group_id"), unableTo("create", object), missingGroupDetail(req.GroupID))
		return nil, false
	case len(hazards) > 0:
		for _, h := range hazards {
			diags.AddAttributeError(path.Root(h.attr), unableTo("create", object), h.detail)
		}
		return nil, false
	case errors.As(err, &gte):
		diags.AddAttributeError(path.Root("group_id"), unableTo("create", object), groupTaskErrorDetail(gte))
		return nil, false
	case err != nil:
		addClientError(diags, "create", object, err)
		return nil, false
	}
	attrs := map[string]any{"group_id": req.GroupID, "type_id": tt.ID, "tasks": len(res.Tasks)}
	if res.Session != nil {
		attrs["multicast_session_id"] = res.Session.ID
	}
	tflog.Info(ctx, "created group task", attrs)
	return res, true
}

// groupTaskErrorDetail explains a group task FOG accepted but got wrong.
func groupTaskErrorDetail(e *fogclient.GroupTaskError) string {
	detail := "FOG accepted the task but did not create one task per member with the member's image: " +
		strings.Join(e.Problems, "; ") + ". "
	switch {
	case len(e.Created) == 0 && e.SessionID == 0:
		detail += "It created nothing that the API can see."
	case e.CancelErr != nil:
		detail += fmt.Sprintf("Cancelling the %d task(s) it created failed (%s): cancel them in FOG's Task Management before "+
			"the hosts boot from the network.", len(e.Created), describeClientErrorText(e.CancelErr))
	default:
		detail += fmt.Sprintf("The %d task(s) it created were cancelled.", len(e.Created))
	}
	return detail + " This happens when a member got an active task or another image between the check and the request " +
		"(another FOG user, or FOG's scheduler). FOG may also have written a task for host 0, which its API can neither " +
		"list nor cancel. Check the members in FOG, then apply again."
}
