// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ resource.Resource                = (*hostResource)(nil)
	_ resource.ResourceWithConfigure   = (*hostResource)(nil)
	_ resource.ResourceWithImportState = (*hostResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*hostResource)(nil)
	_ resource.ResourceWithIdentity    = (*hostResource)(nil)
)

// NewHostResource is the constructor of fog_host.
func NewHostResource() resource.Resource { return &hostResource{} }

type hostResource struct {
	data *ProviderData
}

// hostResourceModel is fog_host's state. hostModelFromAPI fills it from a
// FOG host.
type hostResourceModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	MACs         macListValue `tfsdk:"macs"`
	PrimaryMAC   types.String `tfsdk:"primary_mac"`
	PendingMACs  types.List   `tfsdk:"pending_macs"`
	Description  fogTextValue `tfsdk:"description"`
	IP           types.String `tfsdk:"ip"`
	KernelArgs   types.String `tfsdk:"kernel_args"`
	ImageID      types.Int64  `tfsdk:"image_id"`
	ForceDestroy types.Bool   `tfsdk:"force_destroy"`
}

func (r *hostResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host"
}

func (r *hostResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/host.md.tmpl.
		MarkdownDescription: "A host registered in FOG (Host Management): a machine FOG recognises by its MAC addresses when it " +
			"boots from the network.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the host, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Host name, unique in FOG regardless of letter case: 1 to 15 characters of letters, digits and " +
					"`_ - . ! @ # $ ^ ( ) { } ~`. FOG's own rule also allows `'` and `%`, but FOG returns `'` escaped, which makes the " +
					"host invalid, and `%` is a wildcard in FOG's name lookups, so both are refused; so are names containing " +
					"`_api_`, which FOG hides from its lists. Renamed in place. FOG accepts a change of letter case only towards the " +
					"all-lower-case name (`Lab-01` to `lab-01`); any other change of case only (`lab-01` to `Lab-01`) needs two " +
					"applies through a different name.",
				Required:   true,
				Validators: []validator.String{hostNameValidator()},
			},
			"macs": schema.ListAttribute{
				CustomType: newMACListType(),
				MarkdownDescription: "MAC addresses of the machine's network cards. The first is the primary MAC, the one FOG " +
					"uses to recognise the host; the order of the others does not matter. Any of FOG's notations is accepted " +
					"(`00:11:22:aa:bb:cc`, `00-11-22-AA-BB-CC`, `0011.22aa.bbcc`, `001122aabbcc`) and compared without regard to " +
					"notation, so FOG's lower-case answer is not reported as a change. Changes are made in place. After an import, " +
					"which reads FOG's notation and order, a list written differently shows one in-place update that changes nothing in FOG.",
				Required: true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					macListValidator{},
				},
			},
			"primary_mac": schema.StringAttribute{
				MarkdownDescription: "The primary MAC address (the first of `macs`) in FOG's notation, lower case with colons.",
				Computed:            true,
			},
			"pending_macs": schema.ListAttribute{
				MarkdownDescription: "MAC addresses the FOG client service on the machine reported for this host that wait for " +
					"approval in FOG (lower case with colons). Terraform leaves them alone; list one in `macs` to approve it.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"description": schema.StringAttribute{
				CustomType: fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty. FOG trims leading and trailing whitespace and collapses repeated " +
					"spaces when it returns the text; such differences are not reported as changes.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{descriptionValidator()},
			},
			"ip": schema.StringAttribute{
				MarkdownDescription: "IP address recorded for the host (at most 25 characters). FOG only stores it; it does not use " +
					"it for imaging. Defaults to empty.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{hostIPValidator()},
			},
			"kernel_args": schema.StringAttribute{
				MarkdownDescription: "Extra kernel arguments for this host's imaging boots (\"Host Kernel Arguments\" in FOG), at " +
					"most 250 characters. Defaults to empty.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(""),
				Validators: []validator.String{kernelArgsValidator()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the image the host deploys, `0` for none, for example `fog_image.win10.id`. " +
					"Checked to exist before it is assigned (FOG itself would accept any number). When left out, the provider " +
					"does not manage the host's image and only reports it here: that is the way to use a " +
					"`fog_host_image_assignment` for the host (see above).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(0)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Delete the host even while it has a queued or running task, or while the group with the " +
					"same FOG id has scheduled tasks. Defaults to `false`: destroy then fails and names them, because FOG deletes a " +
					"host's tasks along with it (an imaging run in progress would lose its task), and every scheduled task whose " +
					"host id column holds the host's id, a group's included. This is a Terraform-only setting; it must be " +
					"applied before the destroy to take effect.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

// IdentitySchema: a host is identified by its FOG id (identity.go).
func (r *hostResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("host")
}

func (r *hostResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses renames FOG cannot do and MACs another host owns,
// fills the computed MAC attributes, and warns before a destroy that would
// take a task with it.
func (r *hostResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		r.warnAboutDestroy(ctx, req.State, &resp.Diagnostics)
		return
	}
	var plan hostResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var state hostResourceModel
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if known(plan.Name) && fogclient.CaseOnlyRenameRefused(state.Name.ValueString(), plan.Name.ValueString()) {
			from, to := state.Name.ValueString(), plan.Name.ValueString()
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to rename host %q to %q", from, to),
				fmt.Sprintf("FOG refuses a change of letter case only, unless the new name is the all-lower-case form of the "+
					"old one (%q). Rename it to a different name in one apply, for example %q, and to %q in the next.",
					strings.ToLower(from), tempName(to), to))
		}
	}

	macs, macsKnown := plan.MACs.strings()
	macsKnown = macsKnown && len(macs) > 0 // an empty list is refused by its validator
	if !macsKnown {
		plan.PrimaryMAC = types.StringUnknown()
		plan.PendingMACs = types.ListUnknown(types.StringType)
	} else {
		plan.PrimaryMAC = types.StringValue(canonicalMAC(macs[0]))
		// Pending MACs stay pending unless macs lists (approves) them.
		var pending []string
		if !creating {
			prior := stringsOf(state.PendingMACs)
			listed := map[string]bool{}
			for _, m := range canonicalMACs(macs) {
				listed[m] = true
			}
			for _, m := range prior {
				if !listed[canonicalMAC(m)] {
					pending = append(pending, m)
				}
			}
		}
		plan.PendingMACs = stringList(pending)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)

	// Checks against the server's state warn at plan (serverChecksAtPlan:
	// the plan before a destroy must not fail); at apply, fogclient refuses
	// a MAC another host owns before it writes, and FOG a taken name.
	if r.data == nil || r.data.Client == nil {
		return
	}
	var checks diag.Diagnostics
	hostID := int64(0)
	if !creating {
		hostID, _ = strconv.ParseInt(state.ID.ValueString(), 10, 64)
	}
	if known(plan.Name) && (creating || !strings.EqualFold(plan.Name.ValueString(), state.Name.ValueString())) {
		r.checkNameFree(ctx, hostID, plan.Name.ValueString(), &checks)
	}
	stateMACs, ok := state.MACs.strings()
	if macsKnown && (creating || !ok || !sameMACSet(stateMACs, macs)) {
		r.checkMACOwnership(ctx, hostID, plan.Name.ValueString(), macs, &checks)
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// checkNameFree refuses, at plan time, a host name FOG already has (FOG
// would answer "Already created"). Hosts FOG hides (no primary MAC, "_api_")
// are not listed: the apply finds those.
func (r *hostResource) checkNameFree(ctx context.Context, hostID int64, name string, diags *diag.Diagnostics) {
	if r.data.reads.Wrote() {
		return
	}
	hosts, err := r.data.reads.Hosts(ctx)
	if err != nil {
		tflog.Warn(ctx, "could not list hosts to check the name at plan time; the apply checks it", map[string]any{"error": err.Error()})
		return
	}
	var found []fogclient.Host
	for _, h := range hosts {
		if h.ID != hostID && fogclient.SameName(h.Name, name) && !r.data.adoptedForReplacement("host", h.ID) {
			found = append(found, h)
		}
	}
	if len(found) == 0 {
		return
	}
	existing := found[0]
	if exact := pickByName(found, name, func(h *fogclient.Host) string { return h.Name }); exact != nil {
		existing = *exact
	}
	action := "create"
	if hostID != 0 {
		action = "rename"
	}
	diags.AddAttributeError(path.Root("name"), unableTo(action, fmt.Sprintf("host %q", name)), nameTakenDetail("host", existing.Name, existing.ID))
}

// checkMACOwnership refuses, at plan time, MACs that another host owns.
//
// The MAC rows come from the operation's read cache (one list for every host
// of the plan); an apply, which checks again before writing, skips it.
func (r *hostResource) checkMACOwnership(ctx context.Context, hostID int64, name string, macs []string, diags *diag.Diagnostics) {
	if r.data.reads.Wrote() {
		return
	}
	rows, err := r.data.reads.MACAssociations(ctx)
	if err == nil {
		err = r.data.Client.CheckMACOwnershipIn(ctx, hostID, macs, rows)
	}
	action := "create"
	if hostID != 0 {
		action = "update"
	}
	var conflict *fogclient.MACConflictError
	switch {
	case err == nil:
	case errors.As(err, &conflict) && r.data.adoptedForReplacement("host", conflict.OwnerHostID):
		// The replacement deletes that host first.
	case errors.As(err, &conflict):
		addMACConflict(diags, action, fmt.Sprintf("host %q", name), macs, conflict)
	default:
		tflog.Warn(ctx, "could not check at plan time which hosts own the MAC addresses; the apply checks again",
			map[string]any{"error": err.Error()})
	}
}

// warnAboutDestroy warns at plan time when the host to destroy has an active
// task; Delete decides with what it finds then.
func (r *hostResource) warnAboutDestroy(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) {
	if r.data == nil || r.data.Client == nil || st.Raw.IsNull() {
		return
	}
	var state hostResourceModel
	if d := st.Get(ctx, &state); d.HasError() {
		return
	}
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil || id < 1 {
		return
	}
	if schedules, err := r.data.Client.ScheduledTasksWithTargetID(ctx, id); err == nil {
		if own, groups := splitSchedules(schedules); len(groups) > 0 && !state.ForceDestroy.ValueBool() {
			diags.AddWarning("Host shares its id with a group that has scheduled tasks", groupSchedulesDetail(id, groups)+
				" Destroying it will fail unless force_destroy = true is applied first.")
		} else if len(groups)+len(own) > 0 {
			diags.AddWarning("Scheduled tasks deleted with the host", deletedSchedulesDetail(id, own, groups))
		}
	}
	tasks, err := r.data.Client.ActiveTasksForHost(ctx, id)
	if err != nil || len(tasks) == 0 {
		return
	}
	if state.ForceDestroy.ValueBool() {
		diags.AddWarning("Host has an active task", fmt.Sprintf(
			"Host %q has %s. force_destroy is true, so the host will be deleted anyway, and FOG deletes the task with it.",
			state.Name.ValueString(), describeTasks(tasks)))
		return
	}
	diags.AddWarning("Host has an active task", fmt.Sprintf(
		"Host %q has %s. Destroying it will fail unless the task has finished or was cancelled by then, "+
			"or force_destroy = true is applied first.", state.Name.ValueString(), describeTasks(tasks)))
}

func (r *hostResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan hostResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("host %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	macs, _ := plan.MACs.strings()
	if known(plan.ImageID) && plan.ImageID.ValueInt64() > 0 &&
		!r.data.checkHostImage(ctx, client, plan.ImageID.ValueInt64(), "create", object, &resp.Diagnostics) {
		return
	}

	in := plan.toCreate(macs)
	host, err := client.CreateHost(ctx, in)
	if createOutcomeUnknown(err) {
		// Recorded, so the next refresh settles it (create_record.go).
		rec := plan
		rec.ID = types.StringNull()
		resp.Diagnostics.Append(recordedState(ctx, &resp.State, &rec)...)
		resp.Diagnostics.Append(recordCreateAttempt(ctx, resp.Private, in)...)
		addUnknownCreateError(&resp.Diagnostics, object, "host", err)
		return
	}
	if err != nil {
		r.addWriteError(ctx, &resp.Diagnostics, "create", object, plan.Name.ValueString(), macs, err)
		return
	}
	tflog.Info(ctx, "created host", map[string]any{"id": host.ID, "name": host.Name})

	// FOG drops, without an error, an additional MAC it cannot use (one its
	// pending-MAC filter matches, for example; reference/fog-api.md §6.3.2): make the
	// set what the configuration says.
	if !sameMACSet(host.MACs, macs) {
		tflog.Warn(ctx, "FOG created the host with other MACs than requested; setting them", map[string]any{
			"id": host.ID, "fog_macs": host.MACs, "planned_macs": macs,
		})
		fixed, err := client.SetHostMACs(ctx, host.ID, macs)
		if err != nil {
			// The host exists: record it as FOG has it, so Terraform knows it.
			created := hostModelFromAPI(host, nil)
			created.ForceDestroy = plan.ForceDestroy
			resp.Diagnostics.Append(resp.State.Set(ctx, &created)...)
			resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, host.ID)...)
			r.addWriteError(ctx, &resp.Diagnostics, "set the MAC addresses of", object, plan.Name.ValueString(), macs, err)
			return
		}
		host = fixed
	}

	// A host created a moment ago has no pending MACs: FOG's API creates none.
	next := hostModelFromAPI(host, nil)
	next.ForceDestroy = plan.ForceDestroy
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, host.ID)...)
}

func (r *hostResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	var state hostResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ID.IsNull() && r.data != nil && r.data.Client != nil {
		r.settleCreate(ctx, state, req, resp)
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "host", state.ID, resp)
	if !ok {
		return
	}
	host, pending, err := r.data.reads.HostWithPendingMACs(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		// Deleted, or hidden by FOG because it lost its primary MAC (to
		// another host, for example: edge recording b-host-get-victim-after-takeover).
		tflog.Warn(ctx, "host no longer exists on the FOG server (or has no primary MAC, which hides it); removing it from the state",
			map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("host %d", id), err)
		return
	}
	next := hostModelFromAPI(host, pending)
	next.ForceDestroy = state.ForceDestroy
	if next.ForceDestroy.IsNull() || next.ForceDestroy.IsUnknown() {
		next.ForceDestroy = types.BoolValue(false) // after import
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

// settleCreate refreshes the record of a create whose outcome stayed
// unknown (create_record.go).
func (r *hostResource) settleCreate(ctx context.Context, state hostResourceModel, req resource.ReadRequest, resp *resource.ReadResponse) {
	object := fmt.Sprintf("host %q", state.Name.ValueString())
	in, ok := createAttempt[fogclient.HostCreate](ctx, req.Private)
	if !ok {
		resp.Diagnostics.Append(removeRecord(ctx, &resp.State, resp.Identity)...)
		return
	}
	host, err := r.data.Client.FindCreatedHost(ctx, *in)
	switch settleLook(&resp.Diagnostics, object, "host", host != nil, err) {
	case settleAdopted:
		next := hostModelFromAPI(host, nil) // a host FOG's API creates has no pending MACs
		next.ForceDestroy = state.ForceDestroy
		resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
		resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, host.ID)...)
		resp.Diagnostics.Append(settledCreateAttempt(ctx, resp.Private)...)
		r.data.adopt("host", host.ID)
		adoptedWarning(&resp.Diagnostics, object, "host", host.ID, "it deletes this host (FOG deletes its tasks, group "+
			"memberships and inventory with it) and creates it again.")
	case settleNotFound, settleOther:
		resp.Diagnostics.Append(removeRecord(ctx, &resp.State, resp.Identity)...)
	}
}

// readHost reads a host and its pending MACs.
func readHost(ctx context.Context, client *fogclient.Client, id int64) (*fogclient.Host, []string, error) {
	host, err := client.GetHost(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	pending, err := client.PendingMACs(ctx, host)
	if err != nil {
		return nil, nil, err
	}
	return host, pending, nil
}

func (r *hostResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	defer r.data.working()()
	var plan, state hostResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("host %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	// The host keeps its id whatever happens below, also when a write fails
	// and the state records the host as FOG has it then.
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	upd, fieldsChanged := plan.toUpdate(state)
	if upd.ImageID != nil && *upd.ImageID > 0 && !r.data.checkHostImage(ctx, client, *upd.ImageID, "update", object, &resp.Diagnostics) {
		return
	}
	macs, _ := plan.MACs.strings()
	stateMACs, _ := state.MACs.strings()
	macsChanged := !sameMACSet(macs, stateMACs)

	var host *fogclient.Host
	var err error
	if fieldsChanged {
		host, err = client.UpdateHost(ctx, id, upd)
		if err != nil {
			r.addWriteError(ctx, &resp.Diagnostics, "update", object, plan.Name.ValueString(), macs, err)
			r.recordAfterFailure(ctx, client, id, state.ForceDestroy, &resp.State, req.State)
			return
		}
		tflog.Info(ctx, "updated host", map[string]any{"id": id, "name": host.Name})
	}
	if macsChanged {
		host, err = client.SetHostMACs(ctx, id, macs)
		if err != nil {
			r.addWriteError(ctx, &resp.Diagnostics, "change the MAC addresses of", object, plan.Name.ValueString(), macs, err)
			r.recordAfterFailure(ctx, client, id, state.ForceDestroy, &resp.State, req.State)
			return
		}
		tflog.Info(ctx, "changed host MACs", map[string]any{"id": id, "macs": host.MACs})
	}
	if host == nil {
		// Only Terraform-side settings (force_destroy) or spellings changed.
		host, err = client.GetHost(ctx, id)
		if err != nil {
			addClientError(&resp.Diagnostics, "read", object, err)
			return
		}
	}
	pending, err := client.PendingMACs(ctx, host)
	if err != nil {
		addClientError(&resp.Diagnostics, "read", object, err)
		return
	}
	next := hostModelFromAPI(host, pending)
	next.ForceDestroy = plan.ForceDestroy
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

// recordAfterFailure stores the host as FOG has it after a failed update,
// so the state does not claim the planned values; if it cannot be read,
// the prior state is kept.
func (r *hostResource) recordAfterFailure(ctx context.Context, client *fogclient.Client, id int64, forceDestroy types.Bool,
	dst *tfsdk.State, prior tfsdk.State) {
	host, pending, err := readHost(ctx, client, id)
	if err != nil {
		dst.Raw = prior.Raw.Copy()
		return
	}
	current := hostModelFromAPI(host, pending)
	current.ForceDestroy = forceDestroy
	if d := dst.Set(ctx, &current); d.HasError() {
		dst.Raw = prior.Raw.Copy()
	}
}

func (r *hostResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state hostResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("host %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	var id int64
	if state.ID.IsNull() {
		// A create record nobody refreshed (destroy -refresh=false): delete
		// what that create made, if FOG has it exactly as sent.
		in, ok := createAttempt[fogclient.HostCreate](ctx, req.Private)
		if !ok {
			return
		}
		host, err := client.FindCreatedHost(ctx, *in)
		if err != nil && !errors.Is(err, fogclient.ErrAlreadyExists) {
			addClientError(&resp.Diagnostics, "delete", object, err)
		}
		if host == nil {
			return
		}
		id = host.ID
	} else {
		parsed, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
		if !ok {
			return
		}
		id = parsed
	}
	schedules, err := client.ScheduledTasksWithTargetID(ctx, id)
	if err != nil {
		addClientError(&resp.Diagnostics, "delete", object, fmt.Errorf("checking the scheduled tasks FOG would delete with it: %w", err))
		return
	}
	if own, groups := splitSchedules(schedules); len(groups) > 0 && !state.ForceDestroy.ValueBool() {
		resp.Diagnostics.AddError(unableTo("delete", object), groupSchedulesDetail(id, groups)+"\n\nTo delete the host and "+
			"those scheduled tasks anyway, set force_destroy = true, apply, and destroy again; a fog_scheduled_task that manages "+
			"one of them creates it again at the next apply.")
		return
	} else if len(groups)+len(own) > 0 {
		resp.Diagnostics.AddWarning("Scheduled tasks deleted with the host", deletedSchedulesDetail(id, own, groups))
	}
	if !state.ForceDestroy.ValueBool() {
		tasks, err := client.ActiveTasksForHost(ctx, id)
		if err != nil {
			addClientError(&resp.Diagnostics, "delete", object, fmt.Errorf("checking its active tasks: %w", err))
			return
		}
		if len(tasks) > 0 {
			resp.Diagnostics.AddError(unableTo("delete", object), fmt.Sprintf(
				"The host has %s. FOG deletes a host's tasks along with the host, so the task would be lost "+
					"(an imaging run in progress would stop reporting anywhere).\n\n"+
					"Wait for the task to finish, or cancel it (destroy its fog_task, or use FOG's Task Management), and destroy "+
					"again. To delete the host and its tasks anyway, set force_destroy = true, apply, and destroy again.",
				describeTasks(tasks)))
			return
		}
	}
	deleteFOGObject(ctx, "host", object, id, client.DeleteHost, &resp.Diagnostics)
}

// ImportState accepts the FOG id ("12"), the name ("name:lab-01"), or an
// identity (`identity = { id = 12 }` in an import block).
func (r *hostResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, hostImport, r.data, req, resp)
}

var hostImport = fogIDImport{
	object:      "host",
	exampleName: "lab-01",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		found, err := client.FindHostsByName(ctx, name)
		if err != nil {
			return 0, err
		}
		if match := pickByName(found, name, func(h *fogclient.Host) string { return h.Name }); match != nil {
			return match.ID, nil
		}
		return 0, nil
	},
	noSuchName: "FOG lists no host with this name. Check the name in FOG's Host Management (FOG hides hosts " +
		"without a primary MAC address and hosts whose name contains \"_api_\")",
}

// addWriteError explains a failed create or update: a MAC another host
// owns (pointing at that element of macs), a name FOG already has, or any
// other failure.
func (r *hostResource) addWriteError(ctx context.Context, diags *diag.Diagnostics, action, object, name string, macs []string, err error) {
	var conflict *fogclient.MACConflictError
	switch {
	case errors.As(err, &conflict):
		addMACConflict(diags, action, object, macs, conflict)
	case errors.Is(err, fogclient.ErrAlreadyExists):
		summary := unableTo(action, object)
		if existing, ferr := r.data.Client.FindHostsByName(ctx, name); ferr == nil && len(existing) > 0 {
			diags.AddAttributeError(path.Root("name"), summary, nameTakenDetail("host", existing[0].Name, existing[0].ID))
			return
		}
		diags.AddAttributeError(path.Root("name"), summary, fmt.Sprintf(
			"FOG answered \"Already created\": it has a host named %q that it does not list. FOG hides a host "+
				"without a primary MAC address (for example one whose only MAC was given to another host) and any host whose "+
				"name contains \"_api_\". Choose another name, or repair or delete that host in FOG.", name))
	default:
		addClientError(diags, action, object, err)
	}
}

// addMACConflict reports a MAC another host owns, on its element of macs.
func addMACConflict(diags *diag.Diagnostics, action, object string, macs []string, conflict *fogclient.MACConflictError) {
	at := path.Root("macs")
	for i, m := range macs {
		if canonicalMAC(m) == conflict.MAC {
			at = at.AtListIndex(i)
			break
		}
	}
	owner := fmt.Sprintf("host %d", conflict.OwnerHostID)
	if conflict.OwnerHostName != "" {
		owner = fmt.Sprintf("host %q (id %d)", conflict.OwnerHostName, conflict.OwnerHostID)
	}
	diags.AddAttributeError(at, unableTo(action, object), fmt.Sprintf(
		"MAC address %s belongs to %s. A MAC address belongs to exactly one FOG host, and FOG would "+
			"silently take it away from the other host (which disappears from FOG when it was its only MAC). Nothing was changed.\n\n"+
			"Check the address; if the network card really moved, remove it from %s first (in FOG, or in that host's "+
			"configuration), then apply again.", conflict.MAC, owner, owner))
}

// describeTasks names a host's active tasks for messages.
func describeTasks(tasks []fogclient.Task) string {
	parts := make([]string, len(tasks))
	for i := range tasks {
		parts[i] = "task " + describeTask(&tasks[i])
	}
	if len(tasks) == 1 {
		return "an active task: " + parts[0]
	}
	return fmt.Sprintf("%d active tasks: %s", len(tasks), strings.Join(parts, ", "))
}

// tempName suggests an intermediate name for a two-step rename, within FOG's 15 characters.
func tempName(name string) string {
	const suffix = "-tmp"
	if len(name)+len(suffix) > hostNameMaxChars {
		name = name[:hostNameMaxChars-len(suffix)]
	}
	return name + suffix
}

func (m hostResourceModel) toCreate(macs []string) fogclient.HostCreate {
	return fogclient.HostCreate{
		Name:        m.Name.ValueString(),
		MACs:        macs,
		Description: normalizeFOGText(m.Description.ValueString()),
		IP:          m.IP.ValueString(),
		KernelArgs:  m.KernelArgs.ValueString(),
		ImageID:     valueOr(m.ImageID, 0),
	}
}

// toUpdate lists the host fields whose planned value differs from the state.
// The image is sent only when image_id is configured (a left-out image_id
// plans the state's value, so it never differs): the host's image is then
// someone else's to manage.
func (m hostResourceModel) toUpdate(state hostResourceModel) (fogclient.HostUpdate, bool) {
	var u fogclient.HostUpdate
	changed := false
	str := func(plan, prior types.String) *string {
		if !known(plan) || plan.ValueString() == prior.ValueString() {
			return nil
		}
		changed = true
		v := plan.ValueString()
		return &v
	}
	u.Name = str(m.Name, state.Name)
	u.IP = str(m.IP, state.IP)
	u.KernelArgs = str(m.KernelArgs, state.KernelArgs)
	if known(m.Description) && normalizeFOGText(m.Description.ValueString()) != normalizeFOGText(state.Description.ValueString()) {
		d := normalizeFOGText(m.Description.ValueString())
		u.Description = &d
		changed = true
	}
	if known(m.ImageID) && (!known(state.ImageID) || m.ImageID.ValueInt64() != state.ImageID.ValueInt64()) {
		v := m.ImageID.ValueInt64()
		u.ImageID = &v
		changed = true
	}
	return u, changed
}

// hostModelFromAPI maps a FOG host to fog_host's model. pending lists the
// host's pending MACs (fogclient.PendingMACs): they are reported in
// pending_macs and left out of macs. MACs are given in FOG's notation,
// primary first. Terraform-only settings take their defaults
// (force_destroy = false); callers with a prior state keep theirs.
func hostModelFromAPI(h *fogclient.Host, pending []string) hostResourceModel {
	isPending := make(map[string]bool, len(pending))
	for _, m := range pending {
		isPending[canonicalMAC(m)] = true
	}
	macs := make([]string, 0, len(h.MACs))
	for _, m := range canonicalMACs(h.MACs) {
		if !isPending[m] {
			macs = append(macs, m)
		}
	}
	primary := canonicalMAC(h.PrimaryMAC)
	if h.PrimaryMAC == "" && len(macs) > 0 {
		primary = macs[0]
	}
	return hostResourceModel{
		ID:           types.StringValue(strconv.FormatInt(h.ID, 10)),
		Name:         types.StringValue(h.Name),
		MACs:         newMACList(macs),
		PrimaryMAC:   types.StringValue(primary),
		PendingMACs:  stringList(canonicalMACs(pending)),
		Description:  newFOGText(h.Description),
		IP:           types.StringValue(h.IP),
		KernelArgs:   types.StringValue(h.KernelArgs),
		ImageID:      types.Int64Value(h.ImageID),
		ForceDestroy: types.BoolValue(false),
	}
}

// splitSchedules parts the scheduled tasks whose hostID is a host's id into
// the host's own and those of the group with the same id.
func splitSchedules(all []fogclient.ScheduledTask) (own, groups []fogclient.ScheduledTask) {
	for _, st := range all {
		if st.Group {
			groups = append(groups, st)
		} else {
			own = append(own, st)
		}
	}
	return own, groups
}

func describeSchedules(all []fogclient.ScheduledTask) string {
	parts := make([]string, len(all))
	for i, st := range all {
		parts[i] = fmt.Sprintf("%q (id %d, next run %s)", st.Name, st.ID, st.Runtime)
	}
	return strings.Join(parts, ", ")
}

// groupSchedulesDetail: FOG deletes a host's scheduled tasks by the id in
// their hostID column, which for a group's scheduled task holds the group's
// id (recordings 771, 772).
func groupSchedulesDetail(hostID int64, groups []fogclient.ScheduledTask) string {
	return fmt.Sprintf("Group %d has %d scheduled task(s): %s. FOG deletes every scheduled task whose host id column holds "+
		"the id of a deleted host, and a group's scheduled task keeps the group's id there, so deleting host %d would "+
		"silently delete the scheduled tasks of group %d too (recordings 771, 772).", hostID, len(groups), describeSchedules(groups), hostID, hostID)
}

func deletedSchedulesDetail(hostID int64, own, groups []fogclient.ScheduledTask) string {
	var parts []string
	if len(own) > 0 {
		parts = append(parts, fmt.Sprintf("the host's own %s", describeSchedules(own)))
	}
	if len(groups) > 0 {
		parts = append(parts, fmt.Sprintf("group %d's %s (force_destroy is true)", hostID, describeSchedules(groups)))
	}
	return fmt.Sprintf("FOG deletes these scheduled tasks with host %d: %s.", hostID, strings.Join(parts, "; "))
}
