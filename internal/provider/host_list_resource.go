// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

var (
	_ list.ListResource              = (*hostListResource)(nil)
	_ list.ListResourceWithConfigure = (*hostListResource)(nil)
)

// NewHostListResource is the constructor of the fog_host list resource
// (`list "fog_host"` blocks of `terraform query`, Terraform 1.14 and later).
func NewHostListResource() list.ListResource { return &hostListResource{} }

type hostListResource struct {
	data *ProviderData
}

type hostListConfigModel struct {
	Search    types.String `tfsdk:"search"`
	NameRegex types.String `tfsdk:"name_regex"`
	ImageID   types.Int64  `tfsdk:"image_id"`
}

func (r *hostListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_host"
}

func (r *hostListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		// The rest of the page is in templates/list-resources/host.md.tmpl.
		MarkdownDescription: "Lists the hosts registered in FOG for `terraform query` (Terraform 1.14 or later), so that " +
			"existing hosts can be brought under Terraform: `terraform query -generate-config-out=hosts.tf` writes a " +
			"`fog_host` resource and an import block (by identity, the host's FOG id) for each host found. " +
			"The filters combine (all must match); hosts are listed by id. FOG itself hides hosts that have no primary MAC " +
			"address and hosts whose name contains `_api_`; they never appear here.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				MarkdownDescription: "FOG's server-side search, as in the search box of Host Management: matches, case-insensitively " +
					"and as a substring, host names, descriptions, IP addresses, MAC addresses (`00:11:22` or `001122`), inventory " +
					"fields and the names of the assigned image, groups, snapins and printers. Spaces match any text. FOG reads the " +
					"term from the request path without decoding it, so it may hold only ASCII letters, digits, spaces and `" +
					fogclient.SearchTermPunctuation + "`.",
				Optional:   true,
				Validators: []validator.String{searchTermValidator()},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only hosts whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax)), " +
					"for example `^lab-`. Case-sensitive unless it starts with `(?i)`.",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"image_id": schema.Int64Attribute{
				MarkdownDescription: "Only hosts that have this image (its FOG id) assigned. `0` lists the hosts without an image.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

func (r *hostListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads the hosts in one request (GET /fog/host, or FOG's search) and
// returns those that match, each with its identity and, when asked, the
// attributes the resource's Read would store (force_destroy false, as after
// an import); their pending MACs come from one read of every MAC row
// (GET /fog/macaddressassociation), sent only when a listed host has more
// than its primary MAC.
func (r *hostListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	ctx = r.data.LogContext(ctx)
	var cfg hostListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	nameRE := checkHostListConfig(cfg, &diags)
	var client *fogclient.Client
	if !diags.HasError() {
		client = r.data.clientOrError(&diags, "list", "hosts")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	var (
		all []fogclient.Host
		err error
	)
	if known(cfg.Search) {
		all, err = client.SearchHosts(ctx, cfg.Search.ValueString())
		if err != nil {
			addClientError(&diags, "search", fmt.Sprintf("hosts for %q", cfg.Search.ValueString()), err)
		}
	} else {
		// The filters FOG can apply go as the list's JSON body
		// (large_lists.go); matchingHosts applies the exact ones below.
		filter := hostsFilter(cfg.NameRegex.ValueString(), int64Ptr(cfg.ImageID), nil)
		all, err = client.ListHostsWhere(ctx, filter)
		if err != nil {
			addHostsListError(&diags, hostListFilterHelp, filter, err)
		}
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	matched := firstResults(matchingHosts(all, nameRE, cfg.ImageID), req.Limit)

	var macRows []fogclient.MACAssociation
	if req.IncludeResource && anyAdditionalMACs(matched) {
		macRows, err = client.ListMACAssociations(ctx)
		if err != nil {
			addClientError(&diags, "list", "the hosts' MAC addresses", err)
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	tflog.Debug(ctx, "listed hosts", map[string]any{
		"listed": len(all), "matched": len(matched), "include_resource": req.IncludeResource, "mac_rows": len(macRows),
	})

	stream.Results = fogListResults(matched, func(h *fogclient.Host) list.ListResult {
		var model any
		if req.IncludeResource {
			m := hostModelFromAPI(h, fogclient.PendingMACsIn(h, macRows))
			model = &m
		}
		return fogListResult(ctx, req, h.ID, hostDisplayName(h), model)
	})
}

// checkHostListConfig checks what the validators could not (values known
// only now) and compiles name_regex.
func checkHostListConfig(cfg hostListConfigModel, diags *diag.Diagnostics) *regexp.Regexp {
	if diags.HasError() {
		return nil
	}
	if known(cfg.Search) {
		term := cfg.Search.ValueString()
		for _, rule := range []stringRule{ruleNotBlank("The search"), ruleSearchChars} {
			if msg := rule(term); msg != "" {
				diags.AddAttributeError(path.Root("search"), "Invalid search", msg)
			}
		}
	}
	if known(cfg.ImageID) && cfg.ImageID.ValueInt64() < 0 {
		diags.AddAttributeError(path.Root("image_id"), "Invalid image_id", fmt.Sprintf(
			"image_id must be an image's FOG id, or 0 for the hosts without an image (got %d).", cfg.ImageID.ValueInt64()))
	}
	return compileNameRegex(cfg.NameRegex, diags)
}

// anyAdditionalMACs reports whether a host has more than its primary MAC:
// only such a host can have pending MACs.
func anyAdditionalMACs(hosts []fogclient.Host) bool {
	for i := range hosts {
		if len(hosts[i].MACs) > 1 {
			return true
		}
	}
	return false
}

// hostDisplayName names a host in `terraform query` output: its name, id and
// primary MAC, the address the machine is known by on the network.
func hostDisplayName(h *fogclient.Host) string {
	if h.PrimaryMAC == "" {
		return fmt.Sprintf("%s (id %d)", h.Name, h.ID)
	}
	return fmt.Sprintf("%s (id %d, %s)", h.Name, h.ID, canonicalMAC(h.PrimaryMAC))
}
