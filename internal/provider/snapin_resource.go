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
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// The snapin defaults of FOG's web UI ("Create New Snapin": enabled and
// replicated, a normal snapin, no action afterwards, no timeout). FOG's API
// applies none: every flag it is not sent is stored as "" (recording 621).
const (
	snapinPackNormal = "normal"
	snapinPackPack   = "pack"
)

var (
	_ resource.Resource                   = (*snapinResource)(nil)
	_ resource.ResourceWithConfigure      = (*snapinResource)(nil)
	_ resource.ResourceWithImportState    = (*snapinResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*snapinResource)(nil)
	_ resource.ResourceWithValidateConfig = (*snapinResource)(nil)
	_ resource.ResourceWithIdentity       = (*snapinResource)(nil)
)

// NewSnapinResource is the constructor of fog_snapin.
func NewSnapinResource() resource.Resource { return &snapinResource{} }

type snapinResource struct {
	data *ProviderData
}

type snapinModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	File         types.String `tfsdk:"file"`
	Description  fogTextValue `tfsdk:"description"`
	Args         fogTextValue `tfsdk:"args"`
	RunWith      fogTextValue `tfsdk:"run_with"`
	RunWithArgs  fogTextValue `tfsdk:"run_with_args"`
	Timeout      types.Int64  `tfsdk:"timeout"`
	Reboot       types.Bool   `tfsdk:"reboot"`
	Shutdown     types.Bool   `tfsdk:"shutdown"`
	Hidden       types.Bool   `tfsdk:"hidden"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	Replicate    types.Bool   `tfsdk:"replicate"`
	Protected    types.Bool   `tfsdk:"protected"`
	PackType     types.String `tfsdk:"pack_type"`
	ForceDestroy types.Bool   `tfsdk:"force_destroy"`
	CreatedTime  types.String `tfsdk:"created_time"`
	CreatedBy    types.String `tfsdk:"created_by"`
}

func (r *snapinResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_snapin"
}

func (r *snapinResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	text := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			CustomType:          fogTextType{},
			MarkdownDescription: desc + " Defaults to empty. Leading, trailing and repeated spaces are not reported as changes (FOG trims them).",
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(""),
			Validators:          []validator.String{descriptionValidator()},
		}
	}
	flag := func(desc string, def bool) schema.BoolAttribute {
		return schema.BoolAttribute{
			MarkdownDescription: fmt.Sprintf("%s Defaults to `%t`.", desc, def),
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(def),
		}
	}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/snapin.md.tmpl.
		MarkdownDescription: "A snapin in FOG (Snapin Management): an installer or script the FOG client runs on a host after " +
			"imaging or on request. This resource manages the snapin's definition only. **The file itself is not uploaded**: " +
			"upload it through FOG's web UI, or copy it into the snapin directory of the storage group's master node " +
			"(usually `/opt/fog/snapins`), where FOG's replication copies it to the other nodes. FOG does not check that it exists.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the snapin, as a string.",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Snapin name, unique in FOG regardless of letter case; 1 to 200 characters. It can be changed in place, " +
					"except for a change of letter case only.",
				Required:   true,
				Validators: []validator.String{objectNameValidator("snapin", fogclient.SnapinNameMax)},
			},
			"file": schema.StringAttribute{
				MarkdownDescription: "File name of the snapin in the storage node's snapin directory, for example `7z2301-x64.msi` " +
					"(for a Snapin Pack, the archive). A name only, without a directory.",
				Required:   true,
				Validators: []validator.String{snapinFileValidator()},
			},
			"description": text("Free text."),
			"args":        text("Arguments passed to the file, for example `/quiet /norestart`."),
			"run_with": text("Program that runs the file, for example `msiexec.exe`, `cmd.exe` or `powershell.exe` (for a " +
				"Snapin Pack: the file to run from the archive)."),
			"run_with_args": text("Arguments of `run_with`, placed before the file, for example `/i` for `msiexec.exe` (for a " +
				"Snapin Pack: the arguments of that file)."),
			"timeout": schema.Int64Attribute{
				MarkdownDescription: "Seconds the FOG client waits for the snapin before it gives up; `0` for no limit. Defaults to `0`.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(0),
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"reboot":   flag("Reboot the host after the snapin ran. Cannot be combined with `shutdown`.", false),
			"shutdown": flag("Shut the host down after the snapin ran. Cannot be combined with `reboot`.", false),
			"hidden":   flag("Hide the snapin's arguments and log in the FOG client (FOG's `hide`).", false),
			"enabled": flag("Whether FOG deploys the snapin (FOG's API would otherwise store a disabled snapin, since it stores "+
				"every flag it is not sent as empty).", true),
			"replicate": flag("Whether FOG's replication copies the snapin's file to the other storage nodes.", true),
			"protected": flag("Whether FOG's web UI refuses to delete the snapin.", false),
			"pack_type": schema.StringAttribute{
				MarkdownDescription: "`normal` for a single file run with `run_with`, or `pack` for a Snapin Pack (an archive " +
					"that FOG unpacks before it runs `run_with` with `run_with_args`). Defaults to `normal`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(snapinPackNormal),
				Validators: []validator.String{stringvalidator.OneOf(snapinPackNormal, snapinPackPack)},
			},
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "Delete the snapin even while hosts have it or snapin tasks are queued for it. Defaults to " +
					"`false`: destroy then fails and names them, because FOG would delete the hosts' links and the queued snapin " +
					"tasks and leave their snapin jobs queued with nothing to run. A `fog_host_snapin` of the same configuration is " +
					"destroyed first anyway. This is a Terraform-only setting; it must be applied before the destroy to take effect.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_time": schema.StringAttribute{
				MarkdownDescription: "When the snapin was created, in the FOG server's local time (`YYYY-MM-DD HH:MM:SS`).",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "FOG user that created the snapin.",
				Computed:            true,
				PlanModifiers:       useState,
			},
		},
	}
}

// IdentitySchema: a snapin is identified by its FOG id (identity.go).
func (r *snapinResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("snapin")
}

func (r *snapinResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig: FOG's UI offers reboot and shutdown as one choice; both
// set would leave the FOG client to pick one.
func (r *snapinResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	ctx = r.data.LogContext(ctx) // nil before Configure: nothing to mask yet
	var reboot, shutdown types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("reboot"), &reboot)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("shutdown"), &shutdown)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if reboot.ValueBool() && shutdown.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("shutdown"), "Conflicting snapin actions",
			"reboot and shutdown are both true, but a host can only do one of them after the snapin: FOG's UI offers them as "+
				"one choice. Keep one of them.")
	}
}

// ModifyPlan checks, against the server, that a new snapin's name is free
// (serverChecksAtPlan: a warning here, an error in Create before any write).
func (r *snapinResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.Client == nil {
		return
	}
	var plan snapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state snapinModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if known(plan.Name) && isCaseOnlyChange(state.Name.ValueString(), plan.Name.ValueString()) {
			from, to := state.Name.ValueString(), plan.Name.ValueString()
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to rename snapin %q to %q", from, to),
				fmt.Sprintf("FOG cannot change only the letter case of a name. Rename it to a different name in one apply, "+
					"for example %q, and to %q in the next.", to+"-tmp", to))
		}
		if !known(plan.Name) || sameName(plan.Name.ValueString(), state.Name.ValueString()) {
			return
		}
	}
	if !known(plan.Name) || r.data.reads.Wrote() {
		return
	}
	all, err := r.data.reads.Snapins(ctx)
	if err != nil {
		tflog.Warn(ctx, "could not list snapins at plan time; the name is checked at apply time", map[string]any{"error": err.Error()})
		return
	}
	action := "create"
	if !req.State.Raw.IsNull() {
		action = "rename"
	}
	resp.Diagnostics.Append(serverChecksAtPlan(snapinNameTaken(action, plan.Name.ValueString(), all, plan.ID))...)
}

// snapinNameTaken is the check that a name is free, as an error on name.
func snapinNameTaken(action, name string, all []fogclient.Snapin, self types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, s := range all {
		if fogclient.SameName(s.Name, name) && strconv.FormatInt(s.ID, 10) != self.ValueString() {
			diags.AddAttributeError(path.Root("name"), unableTo(action, fmt.Sprintf("snapin %q", name)), nameTakenDetail("snapin", s.Name, s.ID))
			break
		}
	}
	return diags
}

func (r *snapinResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan snapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("snapin %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	// The name check of the plan, as an error before the write.
	existing, err := client.FindSnapinsByName(ctx, plan.Name.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, "create", object, fmt.Errorf("looking the name up: %w", err))
		return
	}
	if resp.Diagnostics.Append(snapinNameTaken("create", plan.Name.ValueString(), existing, types.StringNull())...); resp.Diagnostics.HasError() {
		return
	}
	s, err := client.CreateSnapin(ctx, plan.toCreate())
	if err != nil {
		r.addNameError(ctx, client, &resp.Diagnostics, "create", object, plan.Name.ValueString(), err)
		return
	}
	tflog.Info(ctx, "created snapin", map[string]any{"id": s.ID, "name": s.Name})
	plan.fromAPI(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, s.ID)...)
}

func (r *snapinResource) addNameError(ctx context.Context, client *fogclient.Client, diags *diag.Diagnostics, action, object, name string, err error) {
	if addExistingObjectError(diags, object, snapinAttributeNames, err) {
		return
	}
	if errors.Is(err, fogclient.ErrAlreadyExists) {
		if found, ferr := client.FindSnapinsByName(ctx, name); ferr == nil && len(found) > 0 {
			diags.AddAttributeError(path.Root("name"), unableTo(action, object), nameTakenDetail("snapin", found[0].Name, found[0].ID))
			return
		}
	}
	addClientError(diags, action, object, err)
}

func (r *snapinResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state snapinModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "snapin", state.ID, resp)
	if !ok {
		return
	}
	s, err := r.data.reads.Snapin(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "snapin no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("snapin %d", id), err)
		return
	}
	state.fromAPI(s)
	if !known(state.ForceDestroy) {
		state.ForceDestroy = types.BoolValue(false) // after import
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *snapinResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state snapinModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("snapin %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	upd, changed := plan.toUpdate(state)
	if upd.Name != nil {
		existing, err := client.FindSnapinsByName(ctx, *upd.Name)
		if err != nil {
			addClientError(&resp.Diagnostics, "update", object, fmt.Errorf("looking the new name up: %w", err))
			return
		}
		if resp.Diagnostics.Append(snapinNameTaken("rename", *upd.Name, existing, state.ID)...); resp.Diagnostics.HasError() {
			return
		}
	}
	var s *fogclient.Snapin
	var err error
	if changed {
		s, err = client.UpdateSnapin(ctx, id, upd)
	} else {
		s, err = client.GetSnapin(ctx, id) // only force_destroy changed
	}
	if err != nil {
		if errors.Is(err, fogclient.ErrAlreadyExists) && upd.Name != nil {
			r.addNameError(ctx, client, &resp.Diagnostics, "update", object, *upd.Name, err)
			return
		}
		addClientError(&resp.Diagnostics, "update", object, err)
		return
	}
	tflog.Info(ctx, "updated snapin", map[string]any{"id": s.ID, "name": s.Name})
	plan.fromAPI(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *snapinResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state snapinModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("snapin %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	if !state.ForceDestroy.ValueBool() && !r.checkUnused(ctx, client, id, object, &resp.Diagnostics) {
		return
	}
	deleteFOGObject(ctx, "snapin", object, id, client.DeleteSnapin, &resp.Diagnostics)
}

// checkUnused refuses to delete a snapin that hosts have or that queued
// snapin tasks deploy: FOG deletes the links and the tasks and leaves their
// jobs queued with nothing to run (recording 682).
func (r *snapinResource) checkUnused(ctx context.Context, client *fogclient.Client, id int64, object string, diags *diag.Diagnostics) bool {
	links, err := client.SnapinAssociations(ctx, 0, id)
	if err != nil {
		addClientError(diags, "delete", object, fmt.Errorf("checking which hosts have it: %w", err))
		return false
	}
	tasks, err := client.ActiveSnapinTasksOfSnapin(ctx, id)
	if err != nil {
		addClientError(diags, "delete", object, fmt.Errorf("checking for queued snapin tasks: %w", err))
		return false
	}
	if len(links) == 0 && len(tasks) == 0 {
		return true
	}
	var parts []string
	if len(links) > 0 {
		hosts := make([]string, 0, len(links))
		for i, l := range links {
			if i == 20 {
				hosts = append(hosts, fmt.Sprintf("and %d more", len(links)-20))
				break
			}
			name := ""
			if h, err := client.GetHost(ctx, l.HostID); err == nil {
				name = h.Name
			}
			hosts = append(hosts, describeObject(l.HostID, name))
		}
		parts = append(parts, fmt.Sprintf("%d host(s) have it: %s", len(links), strings.Join(hosts, ", ")))
	}
	if len(tasks) > 0 {
		parts = append(parts, fmt.Sprintf("%d queued or running snapin task(s) deploy it", len(tasks)))
	}
	diags.AddError(unableTo("delete", object), fmt.Sprintf(
		"%s. FOG would delete it anyway, remove it from those hosts and delete its snapin tasks, leaving their snapin jobs "+
			"queued with nothing to run.\n\nRemove it from the hosts first (destroy their fog_host_snapin resources), let "+
			"the tasks finish or cancel their host tasks in FOG's Task Management, or set force_destroy = true on the snapin, "+
			"apply, and destroy again.", strings.Join(parts, "; ")))
	return false
}

// ImportState accepts the FOG id ("12"), the name ("name:7zip"), or an identity.
func (r *snapinResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, snapinImport, r.data, req, resp)
}

var snapinImport = fogIDImport{
	object:      "snapin",
	exampleName: "7zip",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		found, err := client.FindSnapinsByName(ctx, name)
		if s := pickByName(found, name, func(s *fogclient.Snapin) string { return s.Name }); s != nil {
			return s.ID, nil
		}
		return 0, err
	},
	noSuchName: "FOG has no snapin with this name. Check the name in FOG's Snapin Management",
}

func (m snapinModel) packFlag() bool {
	return m.PackType.ValueString() == snapinPackPack
}

func (m snapinModel) toCreate() fogclient.SnapinCreate {
	return fogclient.SnapinCreate{
		Name:        m.Name.ValueString(),
		File:        m.File.ValueString(),
		Description: normalizeFOGText(m.Description.ValueString()),
		Args:        normalizeFOGText(m.Args.ValueString()),
		RunWith:     normalizeFOGText(m.RunWith.ValueString()),
		RunWithArgs: normalizeFOGText(m.RunWithArgs.ValueString()),
		Timeout:     valueOr(m.Timeout, 0),
		Reboot:      m.Reboot.ValueBool(),
		Shutdown:    m.Shutdown.ValueBool(),
		Hidden:      m.Hidden.ValueBool(),
		Enabled:     m.Enabled.IsNull() || m.Enabled.ValueBool(),
		Replicate:   m.Replicate.IsNull() || m.Replicate.ValueBool(),
		Protected:   m.Protected.ValueBool(),
		Pack:        m.packFlag(),
	}
}

// toUpdate lists the fields whose planned value differs from the state;
// changed is false when only Terraform-side settings changed.
func (m snapinModel) toUpdate(state snapinModel) (fogclient.SnapinUpdate, bool) {
	var u fogclient.SnapinUpdate
	changed := false
	str := func(plan, prior types.String) *string {
		if !known(plan) || plan.ValueString() == prior.ValueString() {
			return nil
		}
		changed = true
		v := plan.ValueString()
		return &v
	}
	text := func(plan, prior fogTextValue) *string {
		if plan.IsNull() || plan.IsUnknown() || normalizeFOGText(plan.ValueString()) == normalizeFOGText(prior.ValueString()) {
			return nil
		}
		changed = true
		v := normalizeFOGText(plan.ValueString())
		return &v
	}
	flag := func(plan, prior types.Bool) *bool {
		if !known(plan) || (plan.ValueBool() == prior.ValueBool() && !prior.IsNull()) {
			return nil
		}
		changed = true
		v := plan.ValueBool()
		return &v
	}
	u.Name = str(m.Name, state.Name)
	u.File = str(m.File, state.File)
	u.Description = text(m.Description, state.Description)
	u.Args = text(m.Args, state.Args)
	u.RunWith = text(m.RunWith, state.RunWith)
	u.RunWithArgs = text(m.RunWithArgs, state.RunWithArgs)
	if known(m.Timeout) && (m.Timeout.ValueInt64() != state.Timeout.ValueInt64() || state.Timeout.IsNull()) {
		v := m.Timeout.ValueInt64()
		u.Timeout, changed = &v, true
	}
	u.Reboot = flag(m.Reboot, state.Reboot)
	u.Shutdown = flag(m.Shutdown, state.Shutdown)
	u.Hidden = flag(m.Hidden, state.Hidden)
	u.Enabled = flag(m.Enabled, state.Enabled)
	u.Replicate = flag(m.Replicate, state.Replicate)
	u.Protected = flag(m.Protected, state.Protected)
	if known(m.PackType) && m.PackType.ValueString() != state.PackType.ValueString() {
		v := m.packFlag()
		u.Pack, changed = &v, true
	}
	return u, changed
}

// fromAPI copies what FOG returned; force_destroy is left alone.
func (m *snapinModel) fromAPI(s *fogclient.Snapin) {
	m.ID = types.StringValue(strconv.FormatInt(s.ID, 10))
	m.Name = types.StringValue(s.Name)
	m.File = types.StringValue(s.File)
	m.Description = newFOGText(s.Description)
	m.Args = newFOGText(s.Args)
	m.RunWith = newFOGText(s.RunWith)
	m.RunWithArgs = newFOGText(s.RunWithArgs)
	m.Timeout = types.Int64Value(s.Timeout)
	m.Reboot = types.BoolValue(s.Reboot)
	m.Shutdown = types.BoolValue(s.Shutdown)
	m.Hidden = types.BoolValue(s.Hidden)
	m.Enabled = types.BoolValue(s.Enabled)
	m.Replicate = types.BoolValue(s.Replicate)
	m.Protected = types.BoolValue(s.Protected)
	m.PackType = types.StringValue(snapinPackNormal)
	if s.Pack {
		m.PackType = types.StringValue(snapinPackPack)
	}
	m.CreatedTime = types.StringValue(dateOrEmpty(s.CreatedTime))
	m.CreatedBy = types.StringValue(s.CreatedBy)
}

// snapinAttributeNames maps FOG's snapin fields to fog_snapin's attributes.
var snapinAttributeNames = map[string]string{
	"name": "name", "file": "file", "description": "description", "args": "args", "runWith": "run_with",
	"runWithArgs": "run_with_args", "timeout": "timeout", "reboot": "reboot", "shutdown": "shutdown", "hide": "hidden",
	"isEnabled": "enabled", "toReplicate": "replicate", "protected": "protected", "packtype": "pack_type",
}

// snapinFileValidator: the file is a name in the storage node's snapin
// directory; FOG's UI keeps only the base name of what it is given.
func snapinFileValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid snapin file",
		description: "file must be a file name without a directory, leading or trailing spaces, or control characters",
		rules: []stringRule{
			ruleNotBlank("The snapin file"),
			ruleNoSurroundingSpace("snapin file"),
			ruleNoControl("snapin file"),
			ruleBMPOnly("snapin file"),
			func(s string) string {
				if strings.ContainsAny(s, `/\`) {
					base := s[strings.LastIndexAny(s, `/\`)+1:]
					return fmt.Sprintf("%q contains a directory. The file is looked up by name in the storage node's snapin directory "+
						"(usually /opt/fog/snapins), so write only its name: %q.", s, base)
				}
				if s == "." || s == ".." {
					return fmt.Sprintf("%q is not a file name.", s)
				}
				return ""
			},
		},
	}
}
