// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// The storage node defaults of FOG's web UI ("Create New Storage Node") and
// of the node FOG's installer writes. FOG's API applies none: fields it is
// not sent are stored empty (recordings 695, 707).
const (
	defaultNodePath       = "/images"
	defaultNodeSnapinPath = "/opt/fog/snapins"
	defaultNodeSSLPath    = "/opt/fog/snapins/ssl"
	defaultNodeWebRoot    = "/fog"
	defaultNodeInterface  = "eth0"
	defaultNodeMaxClients = 10
)

var (
	_ resource.Resource                   = (*storageNodeResource)(nil)
	_ resource.ResourceWithConfigure      = (*storageNodeResource)(nil)
	_ resource.ResourceWithImportState    = (*storageNodeResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*storageNodeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*storageNodeResource)(nil)
	_ resource.ResourceWithIdentity       = (*storageNodeResource)(nil)
)

// NewStorageNodeResource is the constructor of fog_storage_node.
func NewStorageNodeResource() resource.Resource { return &storageNodeResource{} }

type storageNodeResource struct {
	data *ProviderData
}

type storageNodeModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Description       fogTextValue `tfsdk:"description"`
	StorageGroupID    types.Int64  `tfsdk:"storage_group_id"`
	IP                types.String `tfsdk:"ip"`
	User              types.String `tfsdk:"user"`
	Password          types.String `tfsdk:"password"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	Master            types.Bool   `tfsdk:"is_master"`
	Enabled           types.Bool   `tfsdk:"enabled"`
	GraphEnabled      types.Bool   `tfsdk:"graph_enabled"`
	MaxClients        types.Int64  `tfsdk:"max_clients"`
	Path              types.String `tfsdk:"path"`
	FTPPath           types.String `tfsdk:"ftp_path"`
	SnapinPath        types.String `tfsdk:"snapin_path"`
	SSLPath           types.String `tfsdk:"ssl_path"`
	WebRoot           types.String `tfsdk:"webroot"`
	Interface         types.String `tfsdk:"interface"`
	Bandwidth         types.Int64  `tfsdk:"bandwidth"`
}

func (r *storageNodeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_storage_node"
}

func (r *storageNodeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	pathAttr := func(desc, def string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("%s An absolute path. Defaults to `%s`.", desc, def),
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(def),
			Validators:          []validator.String{nodePathValidator()},
		}
	}
	flag := func(desc string, def bool) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: fmt.Sprintf("%s Defaults to `%t`.", desc, def), Optional: true, Computed: true,
			Default: booldefault.StaticBool(def)}
	}
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/resources/storage_node.md.tmpl.
		MarkdownDescription: "A FOG storage node (Storage Management): a server that holds images and snapins and that hosts " +
			"download them from over NFS, with an FTP account FOG uses to move files. Set its FTP password with exactly one of " +
			"`password` (kept in the state, marked sensitive) or `password_wo` (write-only: never stored, Terraform 1.11 or later " +
			"and OpenTofu 1.12 or later). FOG returns the password in clear text in every read, so the provider never reads it " +
			"back: a password changed outside Terraform is not detected.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The FOG id of the storage node, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Node name, unique in FOG regardless of letter case; 1 to 255 characters.",
				Required:            true,
				Validators:          []validator.String{objectNameValidator("storage node", fogclient.StorageNameMax)},
			},
			"description": schema.StringAttribute{
				CustomType:          fogTextType{},
				MarkdownDescription: "Free text. Defaults to empty.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{descriptionValidator()},
			},
			"storage_group_id": schema.Int64Attribute{
				MarkdownDescription: "FOG id of the node's storage group, for example `tonumber(fog_storage_group.site_b.id)`. " +
					"Checked to exist (FOG would store any number). Changing it moves the node in place.",
				Required:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"ip": schema.StringAttribute{
				MarkdownDescription: "IP address or host name hosts and FOG reach the node at (without a scheme or port).",
				Required:            true,
				Validators:          []validator.String{nodeAddressValidator()},
			},
			"user": schema.StringAttribute{
				MarkdownDescription: "FTP user FOG logs in as to manage the node's files (FOG's installer uses `fogproject`).",
				Required:            true,
				Validators: []validator.String{stringRuleValidator{summary: "Invalid user", description: "user must not be blank",
					rules: []stringRule{ruleNotBlank("The FTP user"), ruleNoSurroundingSpace("FTP user"), ruleNoControl("FTP user")}}},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "FTP password of `user`. Stored in the state (sensitive). Exactly one of `password` and " +
					"`password_wo` is required: FOG would otherwise write a node that can be neither read nor deleted.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{passwordValidator()},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "FTP password of `user`, write-only: sent to FOG, never stored in the plan or the state " +
					"(Terraform 1.11 or later, OpenTofu 1.12 or later; Terraform 1.5 to 1.10 refuse it, use `password` there). " +
					"Requires `password_wo_version`; change that number to send a new password.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: []validator.String{passwordValidator()},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number, kept in the state: changing it sends `password_wo` to FOG again. Required with " +
					"`password_wo`.",
				Optional: true,
			},
			"is_master": flag("Whether the node is its group's master, which the other nodes of the group replicate from. "+
				"A group should have exactly one; a second master is refused.", false),
			"enabled":       flag("Whether hosts are sent to this node.", true),
			"graph_enabled": flag("Whether FOG's dashboard graphs the node.", true),
			"max_clients": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many hosts may image from the node at once (FOG counts a node with `0` as "+
					"disabled). Defaults to `%d`.", defaultNodeMaxClients),
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(defaultNodeMaxClients),
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"path":        pathAttr("Image directory on the node, as hosts mount it over NFS.", defaultNodePath),
			"ftp_path":    pathAttr("Image directory as FOG reaches it over FTP.", defaultNodePath),
			"snapin_path": pathAttr("Snapin directory on the node.", defaultNodeSnapinPath),
			"ssl_path":    pathAttr("Directory of the node's FOG client certificates.", defaultNodeSSLPath),
			"webroot":     pathAttr("Path of FOG's web UI on the node.", defaultNodeWebRoot),
			"interface": schema.StringAttribute{
				MarkdownDescription: "Network interface of the node that FOG's dashboard graphs. Defaults to `" + defaultNodeInterface + "`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(defaultNodeInterface),
				Validators: []validator.String{stringRuleValidator{summary: "Invalid interface", description: "interface must be an interface name",
					rules: []stringRule{ruleNotBlank("The interface"), ruleNoSurroundingSpace("interface"), ruleNoControl("interface")}}},
			},
			"bandwidth": schema.Int64Attribute{
				MarkdownDescription: "Replication bandwidth limit in kbit/s; `0` for none. Defaults to `0`.",
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(0),
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

func (r *storageNodeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = fogIDIdentitySchema("storage node")
}

func (r *storageNodeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig requires exactly one way to give the password: a node
// created without one is written by FOG but can be neither read nor deleted
// through its API (recordings 705, 717).
func (r *storageNodeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	ctx = r.data.LogContext(ctx) // nil before Configure: nothing to mask yet
	var pw, wo types.String
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password"), &pw)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &wo)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo_version"), &version)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case !pw.IsNull() && !wo.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("password_wo"), "Conflicting passwords",
			"password and password_wo are both set. Set only one: password_wo (never stored in the state) where the CLI supports "+
				"write-only arguments, password otherwise.")
	case pw.IsNull() && wo.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("password"), "Missing storage node password",
			"Set password (or password_wo with password_wo_version) to the FTP password of user. FOG would otherwise write a "+
				"node without one that its API can neither read nor delete.")
	case !wo.IsNull() && version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("password_wo_version"), "Missing password_wo_version",
			"password_wo is never stored, so Terraform cannot see it change: set password_wo_version (for example 1) and "+
				"change it whenever password_wo changes, so the new password is sent.")
	case wo.IsNull() && !version.IsNull() && !version.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("password_wo_version"), "password_wo_version without password_wo",
			"password_wo_version only tells when to send password_wo again. Remove it, or use password_wo instead of password.")
	}
}

// nodeChecks are the checks against the server before a create or an
// update of group or master (serverChecksAtPlan at plan time): the group
// exists (FOG accepts any number, recording 708), and a master would be
// the group's only one (FOG accepts two, recording 709).
func nodeChecks(plan storageNodeModel, selfID int64, groupExists bool, groupNodes []fogclient.StorageNode) diag.Diagnostics {
	var diags diag.Diagnostics
	object := fmt.Sprintf("storage node %q", plan.Name.ValueString())
	groupID := plan.StorageGroupID.ValueInt64()
	if !groupExists {
		diags.AddAttributeError(path.Root("storage_group_id"), unableTo("write", object), fmt.Sprintf(
			"FOG has no storage group with id %d. FOG would store the number anyway, and the node would belong to no group. "+
				"Use the id of an existing group, for example tonumber(fog_storage_group.<name>.id).", groupID))
		return diags
	}
	if !plan.Master.ValueBool() {
		return diags
	}
	for _, n := range groupNodes {
		if n.Master && n.ID != selfID && n.StorageGroupID == groupID {
			diags.AddAttributeError(path.Root("is_master"), unableTo("write", object), fmt.Sprintf(
				"Storage group %d already has a master node, %s. FOG would accept a second one, and its replication would then "+
					"copy between the two masters unpredictably. Set is_master = false, or make %q a normal node first.",
				groupID, describeObject(n.ID, n.Name), n.Name))
			break
		}
	}
	return diags
}

func nodeNameTaken(action, name string, all []fogclient.StorageNode, selfID int64) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, n := range all {
		if fogclient.SameName(n.Name, name) && n.ID != selfID {
			diags.AddAttributeError(path.Root("name"), unableTo(action, fmt.Sprintf("storage node %q", name)),
				nameTakenDetail("storage node", n.Name, n.ID))
			break
		}
	}
	return diags
}

func (r *storageNodeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.data.LogContext(ctx)
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state storageNodeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !creating && known(plan.Name) && isCaseOnlyChange(state.Name.ValueString(), plan.Name.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), unableTo("rename", fmt.Sprintf("storage node %q", state.Name.ValueString())),
			"FOG cannot change only the letter case of a name. Rename it to a different name in one apply, and to the wanted spelling in the next.")
		return
	}
	if r.data == nil || r.data.Client == nil || r.data.reads.Wrote() || !known(plan.Name) || !known(plan.StorageGroupID) || !known(plan.Master) {
		return
	}
	selfID, _ := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	var checks diag.Diagnostics
	if creating || !sameName(plan.Name.ValueString(), state.Name.ValueString()) {
		if all, err := r.data.reads.StorageNodes(ctx); err == nil {
			action := map[bool]string{true: "create", false: "rename"}[creating]
			checks.Append(nodeNameTaken(action, plan.Name.ValueString(), all, selfID)...)
		}
	}
	if creating || plan.StorageGroupID.ValueInt64() != state.StorageGroupID.ValueInt64() || plan.Master.ValueBool() != state.Master.ValueBool() {
		_, gerr := r.data.reads.StorageGroup(ctx, plan.StorageGroupID.ValueInt64())
		nodes, nerr := r.data.reads.StorageNodes(ctx)
		if (gerr == nil || errors.Is(gerr, fogclient.ErrNotFound)) && nerr == nil {
			checks.Append(nodeChecks(plan, selfID, gerr == nil, nodes)...)
		}
	}
	resp.Diagnostics.Append(serverChecksAtPlan(checks)...)
}

// checkBeforeWrite runs the plan's server checks again as errors.
func (r *storageNodeResource) checkBeforeWrite(ctx context.Context, client *fogclient.Client, plan storageNodeModel, selfID int64,
	nameChanged, placementChanged bool, diags *diag.Diagnostics) bool {
	object := fmt.Sprintf("storage node %q", plan.Name.ValueString())
	if nameChanged {
		found, err := client.FindStorageNodesByName(ctx, plan.Name.ValueString())
		if err != nil {
			addClientError(diags, "write", object, fmt.Errorf("looking the name up: %w", err))
			return false
		}
		action := "rename"
		if selfID == 0 {
			action = "create"
		}
		if diags.Append(nodeNameTaken(action, plan.Name.ValueString(), found, selfID)...); diags.HasError() {
			return false
		}
	}
	if !placementChanged {
		return true
	}
	groupID := plan.StorageGroupID.ValueInt64()
	_, err := client.GetStorageGroup(ctx, groupID)
	if err != nil && !errors.Is(err, fogclient.ErrNotFound) {
		addClientError(diags, "write", object, fmt.Errorf("checking storage group %d: %w", groupID, err))
		return false
	}
	var nodes []fogclient.StorageNode
	if err == nil && plan.Master.ValueBool() {
		if nodes, err = client.StorageNodesInGroup(ctx, groupID); err != nil {
			addClientError(diags, "write", object, fmt.Errorf("listing the nodes of storage group %d: %w", groupID, err))
			return false
		}
	}
	diags.Append(nodeChecks(plan, selfID, err == nil, nodes)...)
	return !diags.HasError()
}

// password returns the password to send from the configuration: password,
// or the write-only password_wo (only ever in the configuration).
func (r *storageNodeResource) configuredPassword(ctx context.Context, cfg tfsdk.Config, plan storageNodeModel, diags *diag.Diagnostics) string {
	if known(plan.Password) {
		return plan.Password.ValueString()
	}
	var wo types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root("password_wo"), &wo)...)
	return wo.ValueString()
}

func (r *storageNodeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan storageNodeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage node %q", plan.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "create", object)
	if client == nil {
		return
	}
	password := r.configuredPassword(ctx, req.Config, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if password == "" {
		// Never send a node without one (recordings 705, 717).
		resp.Diagnostics.AddAttributeError(path.Root("password"), unableTo("create", object),
			"The password is empty. FOG would write a node that its API can neither read nor delete. Set password or password_wo.")
		return
	}
	if !r.checkBeforeWrite(ctx, client, plan, 0, true, true, &resp.Diagnostics) {
		return
	}
	n, err := client.CreateStorageNode(ctx, fogclient.StorageNodeCreate{
		Name: plan.Name.ValueString(), Description: normalizeFOGText(plan.Description.ValueString()),
		StorageGroupID: plan.StorageGroupID.ValueInt64(), Master: plan.Master.ValueBool(), Enabled: plan.Enabled.ValueBool(),
		GraphEnabled: plan.GraphEnabled.ValueBool(), IP: plan.IP.ValueString(), Path: plan.Path.ValueString(),
		FTPPath: plan.FTPPath.ValueString(), SnapinPath: plan.SnapinPath.ValueString(), SSLPath: plan.SSLPath.ValueString(),
		WebRoot: plan.WebRoot.ValueString(), User: plan.User.ValueString(), Password: password,
		Interface: plan.Interface.ValueString(), MaxClients: plan.MaxClients.ValueInt64(), Bandwidth: plan.Bandwidth.ValueInt64(),
	})
	if err != nil {
		if !addExistingObjectError(&resp.Diagnostics, object, nodeAttributeNames, err) {
			addClientError(&resp.Diagnostics, "create", object, err)
		}
		return
	}
	tflog.Info(ctx, "created storage node", map[string]any{"id": n.ID, "name": n.Name})
	plan.fromAPI(n)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, n.ID)...)
}

func (r *storageNodeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.data.LogContext(ctx)
	var state storageNodeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := fogIDToRefresh(ctx, r.data, "storage node", state.ID, resp)
	if !ok {
		return
	}
	n, err := r.data.reads.StorageNode(ctx, id)
	if errors.Is(err, fogclient.ErrNotFound) {
		tflog.Warn(ctx, "storage node no longer exists on the FOG server; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addClientError(&resp.Diagnostics, "read", fmt.Sprintf("storage node %d", id), err)
		return
	}
	state.fromAPI(n) // the password stays as configured: FOG's is never read
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *storageNodeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.data.LogContext(ctx)
	var plan, state storageNodeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage node %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "update", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setFOGIDIdentity(ctx, resp.Identity, id)...)
	u := plan.toUpdate(state)
	switch {
	case known(plan.Password) && plan.Password.ValueString() != state.Password.ValueString():
		pw := plan.Password.ValueString()
		u.Password = &pw
	case !plan.PasswordWOVersion.IsNull() && !plan.PasswordWOVersion.Equal(state.PasswordWOVersion):
		pw := r.configuredPassword(ctx, req.Config, plan, &resp.Diagnostics)
		if pw == "" {
			resp.Diagnostics.AddAttributeError(path.Root("password_wo"), unableTo("update", object),
				"password_wo_version changed, but password_wo is empty. Set password_wo to the new password.")
			return
		}
		u.Password = &pw
	}
	placement := u.StorageGroupID != nil || u.Master != nil
	if !r.checkBeforeWrite(ctx, client, plan, id, u.Name != nil, placement, &resp.Diagnostics) {
		return
	}
	n, err := client.UpdateStorageNode(ctx, id, u)
	if err != nil {
		addClientError(&resp.Diagnostics, "update", object, err)
		return
	}
	plan.fromAPI(n)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *storageNodeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.data.LogContext(ctx)
	var state storageNodeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	object := fmt.Sprintf("storage node %q", state.Name.ValueString())
	client := r.data.clientOrError(&resp.Diagnostics, "delete", object)
	if client == nil {
		return
	}
	id, ok := parseID(state.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	deleteFOGObject(ctx, "storage node", object, id, client.DeleteStorageNode, &resp.Diagnostics)
}

// ImportState accepts the FOG id, the name ("name:node-b1") or an identity.
// The password cannot be imported: FOG's is never read, so the first apply
// after an import sends the configured one.
func (r *storageNodeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = r.data.LogContext(ctx)
	importFOGObject(ctx, storageNodeImport, r.data, req, resp)
}

var storageNodeImport = fogIDImport{
	object:      "storage node",
	exampleName: "node-b1",
	findByName: func(ctx context.Context, client *fogclient.Client, name string) (int64, error) {
		found, err := client.FindStorageNodesByName(ctx, name)
		if n := pickByName(found, name, func(n *fogclient.StorageNode) string { return n.Name }); n != nil {
			return n.ID, nil
		}
		return 0, err
	},
	noSuchName: "FOG has no storage node with this name. Check the name in FOG's Storage Management",
}

func (m storageNodeModel) toUpdate(state storageNodeModel) fogclient.StorageNodeUpdate {
	var u fogclient.StorageNodeUpdate
	str := func(plan, prior types.String) *string {
		if !known(plan) || plan.ValueString() == prior.ValueString() {
			return nil
		}
		v := plan.ValueString()
		return &v
	}
	num := func(plan, prior types.Int64) *int64 {
		if !known(plan) || (plan.ValueInt64() == prior.ValueInt64() && !prior.IsNull()) {
			return nil
		}
		v := plan.ValueInt64()
		return &v
	}
	flag := func(plan, prior types.Bool) *bool {
		if !known(plan) || (plan.ValueBool() == prior.ValueBool() && !prior.IsNull()) {
			return nil
		}
		v := plan.ValueBool()
		return &v
	}
	u.Name = str(m.Name, state.Name)
	if d := normalizeFOGText(m.Description.ValueString()); !m.Description.IsUnknown() && d != normalizeFOGText(state.Description.ValueString()) {
		u.Description = &d
	}
	u.StorageGroupID = num(m.StorageGroupID, state.StorageGroupID)
	u.IP = str(m.IP, state.IP)
	u.User = str(m.User, state.User)
	u.Master = flag(m.Master, state.Master)
	u.Enabled = flag(m.Enabled, state.Enabled)
	u.GraphEnabled = flag(m.GraphEnabled, state.GraphEnabled)
	u.MaxClients = num(m.MaxClients, state.MaxClients)
	u.Path = str(m.Path, state.Path)
	u.FTPPath = str(m.FTPPath, state.FTPPath)
	u.SnapinPath = str(m.SnapinPath, state.SnapinPath)
	u.SSLPath = str(m.SSLPath, state.SSLPath)
	u.WebRoot = str(m.WebRoot, state.WebRoot)
	u.Interface = str(m.Interface, state.Interface)
	u.Bandwidth = num(m.Bandwidth, state.Bandwidth)
	return u
}

// fromAPI copies what FOG returned; the password attributes are left alone.
func (m *storageNodeModel) fromAPI(n *fogclient.StorageNode) {
	m.ID = types.StringValue(strconv.FormatInt(n.ID, 10))
	m.Name = types.StringValue(n.Name)
	m.Description = newFOGText(n.Description)
	m.StorageGroupID = types.Int64Value(n.StorageGroupID)
	m.IP = types.StringValue(n.IP)
	m.User = types.StringValue(n.User)
	m.Master = types.BoolValue(n.Master)
	m.Enabled = types.BoolValue(n.Enabled)
	m.GraphEnabled = types.BoolValue(n.GraphEnabled)
	m.MaxClients = types.Int64Value(n.MaxClients)
	m.Path = types.StringValue(n.Path)
	m.FTPPath = types.StringValue(n.FTPPath)
	m.SnapinPath = types.StringValue(n.SnapinPath)
	m.SSLPath = types.StringValue(n.SSLPath)
	m.WebRoot = types.StringValue(n.WebRoot)
	m.Interface = types.StringValue(n.Interface)
	m.Bandwidth = types.Int64Value(n.Bandwidth)
	m.PasswordWO = types.StringNull() // write-only: never in the state
}

var nodeAttributeNames = map[string]string{
	"name": "name", "description": "description", "storagegroupID": "storage_group_id", "isMaster": "is_master",
	"isEnabled": "enabled", "isGraphEnabled": "graph_enabled", "ip": "ip", "path": "path", "ftppath": "ftp_path",
	"snapinpath": "snapin_path", "sslpath": "ssl_path", "webroot": "webroot", "user": "user", "interface": "interface",
	"maxClients": "max_clients", "bandwidth": "bandwidth",
}

// hostnameRe is an RFC 1123 host name.
var hostnameRe = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// nodeAddressValidator: FOG builds NFS, FTP and HTTP addresses from ip as
// it is, so a scheme, a port or a path would break all three.
func nodeAddressValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid storage node address",
		description: "ip must be an IP address or a host name, without a scheme, port or path",
		rules: []stringRule{
			ruleNotBlank("The storage node address"),
			func(s string) string {
				if strings.TrimSpace(s) == "" || net.ParseIP(s) != nil || (len(s) <= 253 && hostnameRe.MatchString(s) && !isAllDigitsAndDots(s)) {
					return ""
				}
				return fmt.Sprintf("%q is neither an IP address nor a host name. FOG builds the node's NFS, FTP and web addresses "+
					"from it as it is, so write only the address, for example \"10.0.0.5\" or \"fog-node-b.example.com\" "+
					"(no scheme, port, path or spaces).", s)
			},
		},
	}
}

// isAllDigitsAndDots: "10.0.0" parses as neither an IP nor a sensible name.
func isAllDigitsAndDots(s string) bool {
	return strings.Trim(s, "0123456789.") == ""
}

// nodePathValidator: FOG joins these paths to file names as they are.
func nodePathValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid storage node path",
		description: "the path must be absolute, without spaces, empty, . or .. components",
		rules: []stringRule{
			ruleNotBlank("The path"),
			ruleNoControl("path"),
			func(s string) string {
				switch {
				case strings.TrimSpace(s) == "":
					return ""
				case !strings.HasPrefix(s, "/"):
					return fmt.Sprintf("%q is not an absolute path. Write it from the root, for example %q.", s, "/"+strings.TrimLeft(s, "./"))
				case strings.ContainsAny(s, " \t"):
					return fmt.Sprintf("%q contains spaces, which FOG's NFS and FTP commands do not quote. Use a path without spaces.", s)
				}
				for _, part := range strings.Split(strings.Trim(s, "/"), "/") {
					if (part == "" && s != "/") || part == "." || part == ".." {
						return fmt.Sprintf("%q contains an empty, \".\" or \"..\" component. Write the plain path, for example \"/images\".", s)
					}
				}
				return ""
			},
		},
	}
}

// passwordValidator refuses what FOG would change: it trims strings.
func passwordValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid storage node password",
		description: "the password must not be empty or have leading or trailing whitespace",
		rules: []stringRule{
			func(s string) string {
				switch {
				case s == "":
					return "The password is empty. FOG would write a node that its API can neither read nor delete."
				case strings.TrimSpace(s) != s:
					// The value itself is never repeated: it is a secret.
					return "The password has leading or trailing whitespace, which FOG trims: the node's FTP login would then fail. Remove it."
				}
				return ""
			},
		},
	}
}
