// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// fog_task's snapin_id, shared by the resource and the action: the one
// snapin of a Single Snapin task, or the only snapin a deploy queues. FOG
// takes the id in deploySnapins and checks nothing: a snapin the host does
// not have, or one that does not exist, is queued anyway (recordings 656,
// 657, 660, 674). A Single Snapin request on a host whose active task is
// All Snapins creates no task at all: FOG renames that task and adds the
// snapin to its job (658).
//
// Tasks are only ever cancelled whole (the host task, fogclient.CancelTask):
// FOG's cancel of one snapin task marks its whole job cancelled, and its
// cancel of a job leaves the job and the host task queued (663, 665).

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

const taskSnapinIDDescription = "FOG id of one snapin: the snapin a `Single Snapin` task deploys (required for that type), " +
	"or the only snapin a `Deploy` or `Deploy - Debug` queues after imaging (instead of `deploy_snapins`, which queues all of " +
	"them). The host must have the snapin (`fog_host_snapin`; set `snapin_id = fog_host_snapin.<name>.snapin_id` so the task " +
	"is created after the link): FOG itself would queue any snapin, even one that does not exist."

// A group's snapin tasks are refused (FOG's group route writes corrupt rows for
// them, recordings 678-680), so snapin_id only goes with host_id.
var taskSnapinIDValidators = []validator.Int64{
	int64validator.AtLeast(1),
	int64validator.ConflictsWith(path.MatchRoot("group_id")),
}

// snapinIDProblems returns what is wrong with snapin_id for a type, as
// sentences: combinations FOG would accept and then do something else with.
func snapinIDProblems(t fogclient.TaskType, snapinIDSet, deploySnapins bool) []string {
	var out []string
	switch {
	case t.ID == fogclient.TaskTypeSingleSnapin && !snapinIDSet:
		out = append(out, fmt.Sprintf("%q needs the snapin to deploy: set snapin_id. Without it FOG creates a task that "+
			"deploys nothing. To deploy all of the host's snapins, use type = \"All Snapins\" with deploy_snapins = true.", t.Name))
	case t.ID == fogclient.TaskTypeSingleSnapin && deploySnapins:
		out = append(out, fmt.Sprintf("%q deploys the one snapin of snapin_id; deploy_snapins = true would make FOG deploy all "+
			"of the host's snapins instead. Remove deploy_snapins.", t.Name))
	case snapinIDSet && t.ID == fogclient.TaskTypeAllSnapins:
		out = append(out, fmt.Sprintf("%q deploys all of the host's snapins; for one snapin use type = \"Single Snapin\" with "+
			"snapin_id.", t.Name))
	case snapinIDSet && t.ID != fogclient.TaskTypeSingleSnapin && !takesOneSnapin(t):
		out = append(out, fmt.Sprintf("FOG ignores snapin_id for %q tasks; only Single Snapin, Deploy and Deploy - Debug take "+
			"one snapin. Remove snapin_id, or use one of those types.", t.Name))
	case snapinIDSet && deploySnapins:
		out = append(out, "snapin_id queues one snapin and deploy_snapins = true all of them: set only one of them.")
	}
	return out
}

// takesOneSnapin: the deploys that queue snapins (not Deploy - No Snapins),
// unicast only: a multicast is a group's affair.
func takesOneSnapin(t fogclient.TaskType) bool {
	return t.IsDeploy() && deploysSnapins(t) && !t.IsMulticast()
}

// snapinTaskChecks checks that the snapin exists and that the host has it,
// as errors on snapin_id; a server that cannot be asked adds an error too
// (at plan time serverChecksAtPlan turns them into warnings).
func snapinTaskChecks(ctx context.Context, hostID, snapinID int64,
	getSnapin func(context.Context, int64) (*fogclient.Snapin, error),
	hasLink func(context.Context) (bool, error)) diag.Diagnostics {
	var diags diag.Diagnostics
	object := fmt.Sprintf("a snapin task for host %d", hostID)
	s, err := getSnapin(ctx, snapinID)
	switch {
	case errors.Is(err, fogclient.ErrNotFound):
		diags.AddAttributeError(path.Root("snapin_id"), unableTo("create", object), fmt.Sprintf(
			"FOG has no snapin with id %d. FOG would queue it anyway, and the host's FOG client would find nothing to run. "+
				"Use the id of an existing snapin that the host has, for example fog_host_snapin.<name>.snapin_id.", snapinID))
		return diags
	case err != nil:
		addClientError(&diags, "create", object, fmt.Errorf("checking snapin %d: %w", snapinID, err))
		return diags
	}
	linked, err := hasLink(ctx)
	switch {
	case err != nil:
		addClientError(&diags, "create", object, fmt.Errorf("checking the host's snapins: %w", err))
	case !linked:
		diags.AddAttributeError(path.Root("snapin_id"), unableTo("create", object), fmt.Sprintf(
			"Host %d does not have snapin %s. FOG would deploy it anyway, behind the back of the host's snapin list. Add it "+
				"to the host with a fog_host_snapin and set snapin_id = fog_host_snapin.<name>.snapin_id, so that the task is "+
				"created after the link.", hostID, describeObject(s.ID, s.Name)))
	}
	return diags
}

// planSnapinChecks runs snapinTaskChecks on the operation's read cache, as
// warnings (serverChecksAtPlan); the apply runs them again as errors.
func planSnapinChecks(ctx context.Context, data *ProviderData, hostID int64, snapinID types.Int64, diags *diag.Diagnostics) {
	if !known(snapinID) || data.reads.Wrote() {
		return
	}
	checks := snapinTaskChecks(ctx, hostID, snapinID.ValueInt64(), data.reads.Snapin, func(ctx context.Context) (bool, error) {
		links, err := data.reads.SnapinLinks(ctx)
		return slices.ContainsFunc(links, func(l fogclient.SnapinAssociation) bool {
			return l.HostID == hostID && l.SnapinID == snapinID.ValueInt64()
		}), err
	})
	diags.Append(serverChecksAtPlan(checks)...)
}

// applySnapinChecks runs snapinTaskChecks against the server right before
// the task is created; false when it added an error.
func applySnapinChecks(ctx context.Context, client *fogclient.Client, hostID, snapinID int64, diags *diag.Diagnostics) bool {
	if snapinID <= 0 {
		return true
	}
	diags.Append(snapinTaskChecks(ctx, hostID, snapinID, client.GetSnapin, func(ctx context.Context) (bool, error) {
		l, err := client.HostSnapinLink(ctx, hostID, snapinID)
		return l != nil, err
	})...)
	return !diags.HasError()
}

// decideSnapinTask refines decideCreate for snapin requests, on the
// host's active tasks as read right before the create:
//   - a Single Snapin request next to an active All Snapins task is refused
//     with FOG's real consequence: it would rename that task and add the
//     snapin to its job instead of creating one (recording 658);
//   - an active task of the same type is adopted only when its snapin job
//     holds the requested snapin; otherwise FOG would merge the request
//     into it or cancel its jobs, so it is refused.
func decideSnapinTask(ctx context.Context, client *fogclient.Client, d createDecision, tt fogclient.TaskType, hostName string, snapinID int64) createDecision {
	if d.Action == actionRefuse && tt.ID == fogclient.TaskTypeSingleSnapin && d.Task != nil && d.Task.TypeID == fogclient.TaskTypeAllSnapins {
		d.Reason = fmt.Sprintf("host %q has an active All Snapins task, %s. FOG would not create a Single Snapin task next to "+
			"it: it would rename that task to \"Multiple Snapin task -- Altered after single\" and add the snapin to its job. "+
			"Wait for the task to finish or cancel it in FOG's Task Management, then apply again", hostName, describeTask(d.Task))
		return d
	}
	if d.Action != actionAdopt || snapinID <= 0 {
		return d
	}
	tasks, err := client.ActiveSnapinTasksForHost(ctx, d.Task.HostID)
	if err != nil {
		tflog.Warn(ctx, "could not read the host's snapin tasks; not adopting its active task", map[string]any{"error": err.Error()})
	}
	if err == nil && slices.ContainsFunc(tasks, func(t fogclient.SnapinTask) bool { return t.SnapinID == snapinID }) {
		return d
	}
	return createDecision{Action: actionRefuse, Task: d.Task, Reason: fmt.Sprintf(
		"host %q already has an active %s task, %s, but its snapin job does not deploy snapin %d. It was not adopted, and FOG "+
			"would merge a second request into it rather than start another. Wait for it to finish or cancel it in FOG's Task "+
			"Management, then apply again", hostName, tt.Name, describeTask(d.Task), snapinID)}
}
