// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// Address is the provider's source address in the Terraform registry.
const Address = "registry.terraform.io/fogproject/fog"

// Environment variables read when the matching argument is not set.
const (
	envServerURL = "FOG_SERVER_URL"
	envAPIToken  = "FOG_API_TOKEN"
	envUserToken = "FOG_USER_TOKEN"
	envUsername  = "FOG_USERNAME"
	envPassword  = "FOG_PASSWORD"
	// envRetryMaxWait sets retry_max_wait, e.g. longer in a CI that
	// restarts FOG, without changing the configuration.
	envRetryMaxWait = "FOG_RETRY_MAX_WAIT"
	// envLargeServer sets large_server.
	envLargeServer = "FOG_LARGE_SERVER"
)

// Defaults applied in Configure for unset arguments.
const (
	defaultRequestTimeout = "30s"
	defaultMaxRetries     = int64(fogclient.DefaultMaxRetries)
	defaultRetryMaxWait   = "60s" // fogclient.DefaultRetryMaxWait
	defaultMaxConcurrent  = int64(fogclient.DefaultMaxConcurrent)
)

// Where FOG's UI shows each credential (FOG 1.5.9).
const (
	apiTokenWhere  = "FOG Configuration > FOG Settings > API System (FOG_API_TOKEN)"
	userTokenWhere = "Users > your user > API Settings"
)

var (
	_ provider.Provider                   = (*fogProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*fogProvider)(nil)
	_ provider.ProviderWithActions        = (*fogProvider)(nil)
	_ provider.ProviderWithListResources  = (*fogProvider)(nil)
)

type fogProvider struct {
	version string
}

// New returns the constructor providerserver.Serve needs.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &fogProvider{version: version}
	}
}

type providerModel struct {
	ServerURL             types.String `tfsdk:"server_url"`
	APIToken              types.String `tfsdk:"api_token"`
	UserToken             types.String `tfsdk:"user_token"`
	Username              types.String `tfsdk:"username"`
	Password              types.String `tfsdk:"password"`
	CACertPEM             types.String `tfsdk:"ca_cert_pem"`
	Insecure              types.Bool   `tfsdk:"insecure"`
	RequestTimeout        types.String `tfsdk:"request_timeout"`
	MaxRetries            types.Int64  `tfsdk:"max_retries"`
	RetryMaxWait          types.String `tfsdk:"retry_max_wait"`
	MaxConcurrentRequests types.Int64  `tfsdk:"max_concurrent_requests"`
	LargeServer           types.Bool   `tfsdk:"large_server"`
}

func (p *fogProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "fog"
	resp.Version = p.version
}

func (p *fogProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The FOG provider manages a [FOG Project](https://fogproject.org) imaging server (FOG 1.5.x) " +
			"through its REST API: image definitions, which image each host deploys, imaging tasks, snapins and storage. " +
			"The API must be enabled on the server and both tokens are needed; see the provider documentation for where FOG shows them.",
		Attributes: map[string]schema.Attribute{
			"server_url": schema.StringAttribute{
				MarkdownDescription: "URL of the FOG web server, for example `https://fog.example.com` (a trailing `/fog` is accepted). " +
					"Use `https://` when FOG was installed with HTTPS: the provider does not follow redirects. " +
					"Can also be set with the `" + envServerURL + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{serverURLValidator()},
			},
			"api_token": schema.StringAttribute{
				MarkdownDescription: "FOG's global API token, exactly as FOG shows it in **" + apiTokenWhere + "** (a base64 value, " +
					"172 characters). The 128-character hex value stored in FOG's database is not accepted; its base64 form is what to use. " +
					"Can also be set with the `" + envAPIToken + "` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{tokenValidator("api_token", apiTokenWhere)},
			},
			"user_token": schema.StringAttribute{
				MarkdownDescription: "API token of the FOG user Terraform acts as, exactly as FOG shows it in **" + userTokenWhere + "** " +
					"(a base64 value). That user must be allowed API access (the \"API Enabled\" checkbox on the same page). " +
					"Can also be set with the `" + envUserToken + "` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{tokenValidator("user_token", userTokenWhere)},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "FOG user name for HTTP Basic authentication, an alternative to `user_token`. It only works where the " +
					"web server passes the `Authorization` header to PHP (mod_php; not the php-fpm setup FOG's installer writes by default). " +
					"Requires `password`. Can also be set with the `" + envUsername + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator("username")},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username` for HTTP Basic authentication. " +
					"Can also be set with the `" + envPassword + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"ca_cert_pem": schema.StringAttribute{
				MarkdownDescription: "PEM text of one or more CA certificates to trust for an `https://` server, in addition to the " +
					"system's CAs, for example `file(\"fog-ca.pem\")`. Cannot be combined with `insecure = true`.",
				Optional:   true,
				Validators: []validator.String{pemValidator()},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip verification of the server's TLS certificate. Defaults to `false`. Use it only for testing; " +
					"prefer `ca_cert_pem` for a self-signed certificate. Cannot be `true` together with `ca_cert_pem`.",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit for each HTTP request, as a duration such as `30s` or `2m`. Defaults to `" +
					defaultRequestTimeout + "`. Some FOG calls probe every storage node, so keep it generous.",
				Optional:   true,
				Validators: []validator.String{durationValidator()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a network error or an HTTP 502/503/504, "+
					"with exponential backoff (while FOG is down, `retry_max_wait` decides instead). Reads are retried as they are. A write whose answer was lost (a create, update, delete "+
					"or cancel) is never repeated blindly: the provider first looks at the server, adopts what the lost request did, "+
					"and sends it again only when it did not take effect, so nothing is created or started twice. Defaults to `%d`; "+
					"`0` disables retries.", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"retry_max_wait": schema.StringAttribute{
				MarkdownDescription: "How long requests keep being retried while the FOG server is down, as a duration such as " +
					"`60s` or `5m`: requests that never reached it (connection refused, a host name that does not resolve) and reads " +
					"answered with HTTP 502, 503 or 504 (a web server or PHP-FPM pool that restarts). These are retried for this long " +
					"instead of `max_retries` times, counted from the first such failure (the last retry may start up to 5 seconds " +
					"later); a write whose answer was lost, the looks at the server that follow and its resends share one such wait. " +
					"Defaults to `" + defaultRetryMaxWait + "`; `0s` leaves them to `max_retries`. Can also be set with the `" +
					envRetryMaxWait + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{waitValidator()},
			},
			"max_concurrent_requests": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Maximum number of requests in flight to the FOG server at once, across all resources. "+
					"FOG runs on a small PHP worker pool. Defaults to `%d`.", defaultMaxConcurrent),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 64)},
			},
			"large_server": schema.BoolAttribute{
				MarkdownDescription: "Set to `true` for a server with thousands of hosts. A refresh then never asks for FOG's full " +
					"host list, which FOG 1.5.9 builds in PHP at about 1 ms and 2 KB per host and fails with an HTTP 500 beyond some " +
					"4,000 hosts (PHP's `memory_limit`); it reads the hosts in the state by id, several in one request, so its cost " +
					"follows what the configuration manages. Without it the provider finds this out by itself, but each Terraform " +
					"command starts a new provider process, which pays once for the full list (or its failure). Defaults to `false`. " +
					"Can also be set with the `" + envLargeServer + "` environment variable (`true` or `false`).",
				Optional: true,
			},
		},
	}
}

// ValidateConfig checks combinations of arguments at plan time.
func (p *fogProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Insecure.ValueBool() && !cfg.CACertPEM.IsNull() && !cfg.CACertPEM.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("insecure"), "Conflicting TLS settings",
			"insecure = true turns certificate verification off, so ca_cert_pem would be ignored. "+
				"Remove insecure to verify the server against ca_cert_pem (recommended), or remove ca_cert_pem.")
	}
	// Each points at the argument that is set, so Terraform shows its line.
	if !cfg.Username.IsNull() && !cfg.Username.IsUnknown() && cfg.Password.IsNull() && os.Getenv(envPassword) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("username"), "Missing password",
			"username is set, so HTTP Basic authentication needs password too (or the "+envPassword+" environment variable). "+
				"Set password, or remove username and use user_token.")
	}
	if !cfg.Password.IsNull() && !cfg.Password.IsUnknown() && cfg.Username.IsNull() && os.Getenv(envUsername) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("password"), "Missing username",
			"password is set, so HTTP Basic authentication needs username too (or the "+envUsername+" environment variable). "+
				"Set username, or remove password.")
	}
}

// resolvedConfig is the provider configuration after environment variables and defaults.
type resolvedConfig struct {
	ServerURL, APIToken, UserToken, Username, Password, CACertPEM string
	Insecure                                                      bool
	Timeout, RetryMaxWait                                         time.Duration
	MaxRetries, MaxConcurrent                                     int64
	LargeServer                                                   bool
}

func (p *fogProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := unknownArguments(cfg); len(unknown) > 0 {
		// Terraform configures the provider again once the values are known;
		// resources keep their state meanwhile and writes report it clearly.
		tflog.Debug(ctx, "fog provider configuration not known yet; skipping the server check", map[string]any{"unknown": unknown})
		shareProviderData(resp, &ProviderData{})
		return
	}

	rc, diags := resolveConfig(cfg, os.Getenv)
	secrets := secretsToMask(rc.APIToken, rc.UserToken, rc.Password, basicAuthSecret(rc.Username, rc.Password))
	ctx = maskSecrets(ctx, secrets)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := fogclient.DefaultConfig()
	clientCfg.ServerURL = rc.ServerURL
	clientCfg.APIToken = rc.APIToken
	clientCfg.UserToken = rc.UserToken
	clientCfg.Username = rc.Username
	clientCfg.Password = rc.Password
	clientCfg.CACertPEM = rc.CACertPEM
	clientCfg.Insecure = rc.Insecure
	clientCfg.Timeout = rc.Timeout
	clientCfg.MaxRetries = int(rc.MaxRetries)
	clientCfg.RetryMaxWait = rc.RetryMaxWait
	clientCfg.MaxConcurrent = int(rc.MaxConcurrent)
	clientCfg.LargeServer = rc.LargeServer
	clientCfg.UserAgent = fmt.Sprintf("terraform-provider-fog/%s (+https://registry.terraform.io/providers/fogproject/fog) terraform/%s",
		p.version, req.TerraformVersion)
	clientCfg.Logger = newTflogLogger(secrets)

	client, err := fogclient.New(clientCfg)
	if err != nil {
		addClientError(&resp.Diagnostics, "configure", "the FOG client", err)
		return
	}

	tflog.Debug(ctx, "checking the FOG server", map[string]any{"server_url": rc.ServerURL, "api_base": client.BaseURL()})
	if err := client.Status(ctx); err != nil {
		addStatusError(&resp.Diagnostics, rc, err)
		return
	}
	tflog.Info(ctx, "connected to the FOG server", map[string]any{"server_url": rc.ServerURL})

	shareProviderData(resp, newProviderData(client, rc.ServerURL, rc.APIToken, rc.UserToken, rc.Password, basicAuthSecret(rc.Username, rc.Password)))
}

// shareProviderData hands the one ProviderData to every kind of object:
// resources, data sources, actions and list resources.
func shareProviderData(resp *provider.ConfigureResponse, data *ProviderData) {
	resp.ResourceData, resp.DataSourceData, resp.ActionData, resp.ListResourceData = data, data, data, data
}

func unknownArguments(cfg providerModel) []string {
	var out []string
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"server_url": cfg.ServerURL, "api_token": cfg.APIToken, "user_token": cfg.UserToken,
		"username": cfg.Username, "password": cfg.Password, "ca_cert_pem": cfg.CACertPEM, "insecure": cfg.Insecure,
		"request_timeout": cfg.RequestTimeout, "max_retries": cfg.MaxRetries, "retry_max_wait": cfg.RetryMaxWait,
		"max_concurrent_requests": cfg.MaxConcurrentRequests, "large_server": cfg.LargeServer,
	} {
		if v.IsUnknown() {
			out = append(out, name)
		}
	}
	return out
}

// resolveConfig applies environment variables and defaults and checks what
// plan-time validation could not see (values from the environment, missing
// required values).
func resolveConfig(cfg providerModel, getenv func(string) string) (resolvedConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	pick := func(v types.String, env string) (string, bool) {
		if !v.IsNull() {
			return v.ValueString(), false
		}
		return getenv(env), true
	}

	rc := resolvedConfig{
		CACertPEM:     cfg.CACertPEM.ValueString(),
		Insecure:      cfg.Insecure.ValueBool(),
		MaxRetries:    defaultMaxRetries,
		MaxConcurrent: defaultMaxConcurrent,
	}
	var fromEnv bool

	rc.ServerURL, fromEnv = pick(cfg.ServerURL, envServerURL)
	rc.ServerURL = strings.TrimSpace(rc.ServerURL)
	switch {
	case rc.ServerURL == "":
		diags.AddAttributeError(path.Root("server_url"), "Missing server_url",
			"Set server_url in the provider block, or the "+envServerURL+" environment variable, to the FOG web server, "+
				"for example \"https://fog.example.com\".")
	case fromEnv:
		if msg := checkServerURL(rc.ServerURL); msg != "" {
			diags.AddAttributeError(path.Root("server_url"), "Invalid "+envServerURL, envServerURL+": "+msg)
		}
	}

	type token struct {
		attr, env, where string
		dst              *string
		v                types.String
	}
	for _, t := range []token{
		{"api_token", envAPIToken, apiTokenWhere, &rc.APIToken, cfg.APIToken},
		{"user_token", envUserToken, userTokenWhere, &rc.UserToken, cfg.UserToken},
	} {
		value, fromEnv := pick(t.v, t.env)
		*t.dst = value
		switch {
		case t.attr == "user_token" && value == "" && fromEnv && (!cfg.Username.IsNull() || getenv(envUsername) != ""):
			// HTTP Basic authentication instead of a user token.
		case value == "" && fromEnv:
			diags.AddAttributeError(path.Root(t.attr), "Missing "+t.attr,
				fmt.Sprintf("Set %s in the provider block or the %s environment variable. FOG shows it in %s.", t.attr, t.env, t.where))
		case fromEnv:
			if msg := checkToken(t.env, t.where, value); msg != "" {
				diags.AddAttributeError(path.Root(t.attr), "Invalid "+t.env, msg)
			}
		}
	}

	rc.Username, _ = pick(cfg.Username, envUsername)
	rc.Password, _ = pick(cfg.Password, envPassword)
	if (rc.Username == "") != (rc.Password == "") {
		diags.AddAttributeError(path.Root("username"), "Incomplete HTTP Basic credentials",
			"HTTP Basic authentication needs both username and password (or "+envUsername+" and "+envPassword+"); only one of them is set.")
	}

	timeout := defaultRequestTimeout
	if !cfg.RequestTimeout.IsNull() {
		timeout = cfg.RequestTimeout.ValueString()
	}
	if msg := checkDuration(timeout); msg != "" {
		diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", msg)
	} else {
		rc.Timeout, _ = time.ParseDuration(timeout)
	}
	if !cfg.MaxRetries.IsNull() {
		rc.MaxRetries = cfg.MaxRetries.ValueInt64()
	}
	wait, fromEnv := pick(cfg.RetryMaxWait, envRetryMaxWait)
	if strings.TrimSpace(wait) == "" {
		wait = defaultRetryMaxWait
	}
	if msg := checkWait(strings.TrimSpace(wait)); msg != "" {
		what := "retry_max_wait"
		if fromEnv {
			what = envRetryMaxWait
		}
		diags.AddAttributeError(path.Root("retry_max_wait"), "Invalid "+what, msg)
	} else {
		rc.RetryMaxWait, _ = time.ParseDuration(strings.TrimSpace(wait))
	}
	if !cfg.MaxConcurrentRequests.IsNull() {
		rc.MaxConcurrent = cfg.MaxConcurrentRequests.ValueInt64()
	}
	switch env := strings.TrimSpace(getenv(envLargeServer)); {
	case !cfg.LargeServer.IsNull():
		rc.LargeServer = cfg.LargeServer.ValueBool()
	case env != "":
		v, err := strconv.ParseBool(env)
		if err != nil {
			diags.AddAttributeError(path.Root("large_server"), "Invalid "+envLargeServer,
				fmt.Sprintf("%s is %q; set it to true or false.", envLargeServer, env))
		}
		rc.LargeServer = v
	}
	return rc, diags
}

// addStatusError reports a failed server check on the setting to fix.
func addStatusError(diags *diag.Diagnostics, rc resolvedConfig, err error) {
	at := path.Root("server_url")
	switch {
	case errors.Is(err, fogclient.ErrForbidden):
		at = path.Root("api_token")
	case errors.Is(err, fogclient.ErrUnauthorized):
		at = path.Root("user_token")
	}
	diags.AddAttributeError(at, unableTo("connect to", "the FOG server"),
		clientErrorDetail(err, fixContext{serverURL: rc.ServerURL, basicAuth: rc.Username != ""}))
}

func (p *fogProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewImageResource,
		NewHostResource,
		NewHostImageAssignmentResource,
		NewTaskResource,
		NewGroupResource,
		NewGroupMembershipResource,
		NewScheduledTaskResource,
		NewSnapinResource,
		NewHostSnapinResource,
		NewStorageGroupResource,
		NewStorageNodeResource,
		NewImageStorageGroupResource,
	}
}

func (p *fogProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewHostsDataSource,
		NewActiveTasksDataSource,
		NewImageDataSource,
		NewImagesDataSource,
		NewTaskTypesDataSource,
		NewImageTypesDataSource,
		NewOperatingSystemsDataSource,
		NewGroupDataSource,
		NewGroupsDataSource,
		NewHostInventoryDataSource,
		NewSnapinDataSource,
		NewSnapinsDataSource,
		NewStorageGroupDataSource,
		NewStorageGroupsDataSource,
		NewStorageNodesDataSource,
	}
}

// Actions need Terraform 1.14 or later; older CLIs and OpenTofu ignore them.
func (p *fogProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewTaskAction,
	}
}

// ListResources serve `terraform query` (Terraform 1.14 or later).
func (p *fogProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewImageListResource,
		NewHostListResource,
		NewGroupListResource,
	}
}
