// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Plan-time checks of fog_task, shared by the resource and the action: the
// type against the server's task types, flags FOG would accept and then
// ignore, and the host and image a deploy, capture or wipe would overwrite.
// They only read; the apply checks again (task_start.go), because a plan
// may be made without a server, or long before the apply, and those against
// the server's state only warn at plan (serverChecksAtPlan).

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// taskPlanArgs are the arguments of a fog_task (resource or action) that
// plan-time checks look at; any of them may be unknown.
type taskPlanArgs struct {
	Type                     types.String
	HostID, GroupID, ImageID types.Int64
	WOL, DeploySnapins       types.Bool
	SnapinID                 types.Int64
}

func (m taskArguments) planArgs() taskPlanArgs {
	return taskPlanArgs{Type: m.Type, HostID: m.HostID, GroupID: m.GroupID, ImageID: m.ImageID, WOL: m.WOL,
		DeploySnapins: m.DeploySnapins, SnapinID: m.SnapinID}
}

// planTaskChecks resolves `type` against the server's task types (ok is
// true when it did), refuses flag combinations FOG would accept and ignore,
// and runs the host checks. Before the provider is configured, or with an
// unknown type, it checks nothing: apply checks again. Checks against the
// server's state (the type, the host, the image) only warn
// (serverChecksAtPlan: the plan before a destroy must not fail); the apply
// refuses them before it creates anything (task_start.go).
func planTaskChecks(ctx context.Context, data *ProviderData, args taskPlanArgs, diags *diag.Diagnostics) (fogclient.TaskType, bool) {
	client := data.configuredClient()
	if client == nil || args.Type.IsUnknown() || args.Type.IsNull() {
		return fogclient.TaskType{}, false
	}
	all, err := data.serverTaskTypes(ctx)
	if err != nil {
		diags.AddWarning("Task type not checked at plan time", fmt.Sprintf(
			"Could not list the FOG server's task types to check type %q, so it is checked at apply time instead: %s",
			args.Type.ValueString(), describeClientErrorText(err)))
		return fogclient.TaskType{}, false
	}
	var checks diag.Diagnostics
	defer func() { diags.Append(serverChecksAtPlan(checks)...) }()
	tt, err := resolveTaskType(args.Type.ValueString(), all)
	if err != nil {
		checks.AddAttributeError(path.Root("type"), "Unknown task type", "Invalid type: "+err.Error()+".")
		return fogclient.TaskType{}, false
	}
	group := !args.GroupID.IsNull()
	if !args.WOL.IsUnknown() && !args.DeploySnapins.IsUnknown() {
		for _, p := range taskFlagProblems(tt, args.WOL.ValueBool(), args.DeploySnapins.ValueBool()) {
			diags.AddAttributeError(path.Root("type"), "Task would do nothing useful", p)
		}
		if group {
			for _, p := range groupTypeProblems(tt, args.WOL.ValueBool(), args.DeploySnapins.ValueBool()) {
				diags.AddAttributeError(path.Root("type"), "Task type refused for a group", p)
			}
		}
	}
	if !args.SnapinID.IsUnknown() && !args.DeploySnapins.IsUnknown() {
		// On snapin_id when it is set, so Terraform shows its line.
		at := path.Root("snapin_id")
		if args.SnapinID.IsNull() {
			at = path.Root("type")
		}
		for _, p := range snapinIDProblems(tt, !args.SnapinID.IsNull(), args.DeploySnapins.ValueBool()) {
			diags.AddAttributeError(at, "Task would not deploy the snapin asked for", p)
		}
	}
	switch {
	case diags.HasError():
	case group && known(args.GroupID):
		diags.Append(planGroupChecks(ctx, data, args.GroupID.ValueInt64(), args.ImageID, tt)...)
	case known(args.HostID):
		planHostChecks(ctx, client, args.HostID.ValueInt64(), args.ImageID, tt, &checks)
		planSnapinChecks(ctx, data, args.HostID.ValueInt64(), args.SnapinID, diags)
	}
	return tt, true
}

// planGroupChecks runs the checks of a group task on the members as the
// read cache has them (the group, every membership row, the hosts, the
// active tasks, the images: one list each), as warnings (serverChecksAtPlan):
// the apply checks again right before the request. It warns too that a
// deploy overwrites every member's disk.
func planGroupChecks(ctx context.Context, data *ProviderData, groupID int64, imageID types.Int64, tt fogclient.TaskType) diag.Diagnostics {
	if data.reads.Wrote() {
		return nil // an apply: the checks run again right before the request
	}
	object := fmt.Sprintf("a %s task for group %d", tt.Name, groupID)
	var checks diag.Diagnostics
	chk, err := groupCheckFromCache(ctx, data, groupID, tt)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		checks.AddAttributeError(path.Root("group_id"), unableTo("create", object), missingGroupDetail(groupID))
		return serverChecksAtPlan(checks)
	case err != nil:
		tflog.Warn(ctx, "could not read the group at plan time; it is checked at apply time", map[string]any{"group_id": groupID, "error": err.Error()})
		return nil
	}
	object = fmt.Sprintf("a %s task for group %q", tt.Name, chk.Group.Name)
	var want *int64
	if known(imageID) {
		v := imageID.ValueInt64()
		want = &v
	}
	for _, h := range groupTaskHazards(*chk, tt, want) {
		checks.AddAttributeError(path.Root(h.attr), unableTo("create", object), h.detail)
	}
	out := serverChecksAtPlan(checks)
	if len(chk.Members) == 0 {
		return out
	}
	names := make([]string, 0, len(chk.Members))
	for _, h := range chk.Members {
		names = append(names, fmt.Sprintf("%q (id %d)", h.Name, h.ID))
	}
	switch classifyTaskType(tt) {
	case kindDeploy:
		out.AddWarning("Deploy overwrites the disks of the group's hosts", fmt.Sprintf(
			"This plan starts a %s task for group %q: its %d hosts (%s) will be re-imaged the next time they boot from the "+
				"network, and everything on their disks will be replaced.", tt.Name, chk.Group.Name, len(names), strings.Join(names, ", ")))
	case kindWipe:
		out.AddWarning("Wipe erases the disks of the group's hosts", fmt.Sprintf(
			"This plan starts a %s task for group %q: the disks of its %d hosts (%s) will be erased the next time they boot "+
				"from the network.", tt.Name, chk.Group.Name, len(names), strings.Join(names, ", ")))
	}
	return out
}

// groupCheckFromCache builds what fogclient.CreateGroupTaskIf reads, from the
// read cache.
func groupCheckFromCache(ctx context.Context, data *ProviderData, groupID int64, tt fogclient.TaskType) (*fogclient.GroupTaskCheck, error) {
	g, err := data.reads.Group(ctx, groupID)
	if err != nil {
		return nil, err
	}
	ids, err := data.reads.GroupMemberIDs(ctx, groupID)
	if err != nil {
		return nil, err
	}
	chk := &fogclient.GroupTaskCheck{Group: g, MemberIDs: ids}
	sorted := append([]int64(nil), ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	seenImage := map[int64]bool{}
	for _, id := range sorted {
		h, err := data.reads.Host(ctx, id)
		switch {
		case errors.Is(err, fogclient.ErrNotFound):
			chk.Missing = append(chk.Missing, id)
			continue
		case err != nil:
			return nil, err
		}
		chk.Members = append(chk.Members, *h)
		if tt.IsDeploy() && h.ImageID > 0 && !seenImage[h.ImageID] {
			seenImage[h.ImageID] = true
			img, err := data.reads.Image(ctx, h.ImageID)
			switch {
			case errors.Is(err, fogclient.ErrNotFound):
			case err != nil:
				return nil, err
			default:
				chk.Images = append(chk.Images, *img)
			}
		}
	}
	active, err := data.reads.ActiveTasks(ctx)
	if err != nil {
		return nil, err
	}
	in := idSet(ids)
	for _, t := range active {
		if in[t.HostID] {
			chk.Active = append(chk.Active, t)
		}
	}
	return chk, nil
}

// sameType reports whether a changed `type` still names the state's task
// type, so that a change of spelling does not start a new task.
func (r *taskResource) sameType(ctx context.Context, state taskModel, newType string) bool {
	if sameTaskTypeSpelling(state.Type.ValueString(), newType) {
		return true
	}
	if r.data.configuredClient() == nil || !known(state.TypeID) {
		return false
	}
	all, err := r.data.serverTaskTypes(ctx)
	if err != nil {
		return false
	}
	tt, err := resolveTaskType(newType, all)
	return err == nil && tt.ID == state.TypeID.ValueInt64()
}

// planHostChecks looks at the host (and image) a deploy, capture or wipe
// would overwrite.
func planHostChecks(ctx context.Context, client *fogclient.Client, hostID int64, imageID types.Int64, tt fogclient.TaskType, diags *diag.Diagnostics) {
	host, err := client.GetHost(ctx, hostID)
	if errors.Is(err, fogclient.ErrNotFound) {
		diags.AddAttributeError(path.Root("host_id"), "Unknown host", missingHostDetail(hostID))
		return
	}
	if err != nil {
		tflog.Warn(ctx, "could not read the host at plan time; it is checked at apply time", map[string]any{"host_id": hostID, "error": err.Error()})
		return
	}
	kind := classifyTaskType(tt)
	if kind == kindOther {
		return
	}

	// The image the task will use: image_id when set (the assignment may
	// happen in this same apply), otherwise the host's current image.
	var img *fogclient.Image
	imageText := ""
	switch {
	case imageID.IsUnknown():
		imageText = "the image assigned to it by then (image_id is known only at apply time)"
	case !imageID.IsNull():
		img, err = client.GetImage(ctx, imageID.ValueInt64())
		if errors.Is(err, fogclient.ErrNotFound) {
			diags.AddAttributeError(path.Root("image_id"), "Unknown image", unknownTaskImageDetail(imageID.ValueInt64()))
			return
		}
		if err != nil {
			img = nil
		}
		imageText = "image " + describeImage(imageID.ValueInt64(), imageName(img))
	case host.ImageID == 0:
		if kind != kindWipe {
			diags.AddAttributeWarning(path.Root("image_id"), "Host has no image", fmt.Sprintf(
				"Host %q (id %d) has no image assigned now, so FOG would refuse the %s task with \"Image is not valid\". If a "+
					"fog_host_image_assignment in this configuration assigns one, set image_id = fog_host_image_assignment.<name>.image_id "+
					"so the task is created after the assignment.", host.Name, host.ID, tt.Name))
		}
		imageText = "no image"
	default:
		img, err = client.GetImage(ctx, host.ImageID)
		if err != nil {
			img = nil
		}
		imageText = "image " + describeImage(host.ImageID, host.ImageName)
	}

	if kind == kindCapture && img != nil && img.Protected {
		diags.AddAttributeError(path.Root("type"), "Image is protected", protectedImageDetail(host, img, tt))
		return
	}
	switch kind {
	case kindDeploy:
		diags.AddWarning("Deploy overwrites the host's disk", fmt.Sprintf(
			"This plan starts a %s task: host %q (id %d) will be re-imaged with %s the next time it boots from the network, "+
				"and everything on its disk will be replaced.", tt.Name, host.Name, host.ID, imageText))
	case kindCapture:
		diags.AddWarning("Capture overwrites the image", fmt.Sprintf(
			"This plan starts a %s task: the disk of host %q (id %d) will be captured into %s the next time the host boots "+
				"from the network, replacing the image's files.", tt.Name, host.Name, host.ID, imageText))
	case kindWipe:
		diags.AddWarning("Wipe erases the host's disk", fmt.Sprintf(
			"This plan starts a %s task: the disk of host %q (id %d) will be erased the next time it boots from the network "+
				"(its assigned image: %s).", tt.Name, host.Name, host.ID, imageText))
	}
}

// unknownTaskImageDetail explains an image_id FOG does not have.
func unknownTaskImageDetail(imageID int64) string {
	return fmt.Sprintf("FOG has no image with id %d, so the host can never have it assigned and the task would always be refused. "+
		"Use the id of an existing image.", imageID)
}

func protectedImageDetail(host *fogclient.Host, img *fogclient.Image, tt fogclient.TaskType) string {
	return fmt.Sprintf("Image %s is protected, so a %s task for host %q (id %d) is refused: it would overwrite the protected image. "+
		"FOG's web UI refuses this, but its API would accept it. Unprotect the image first (protected = false on its fog_image), "+
		"or assign the host another image.", describeImage(img.ID, img.Name), tt.Name, host.Name, host.ID)
}
