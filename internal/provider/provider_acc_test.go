// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// A data source makes Terraform configure the provider during plan.
const configureProbe = `
data "fog_hosts" "probe" {
  name_regex = "^$"
}
`

// providerBlock writes a provider block with explicit arguments; tokens not
// given are left to the environment (a real server's, or the emulator's
// defaults), or written out for an emulator started with other tokens.
func (e *accEnv) providerBlock(args map[string]string) string {
	if _, ok := args["server_url"]; !ok {
		args["server_url"] = fmt.Sprintf("%q", e.URL)
	}
	if !e.tokensFromEnvironment() {
		for key, value := range map[string]string{"api_token": e.APIToken, "user_token": e.UserToken} {
			if _, ok := args[key]; !ok {
				args[key] = fmt.Sprintf("%q", value)
			}
		}
	}
	var b strings.Builder
	b.WriteString("provider \"fog\" {\n")
	for _, key := range []string{"server_url", "api_token", "user_token", "username", "password", "ca_cert_pem", "insecure",
		"request_timeout", "max_retries", "retry_max_wait", "max_concurrent_requests"} {
		if v, ok := args[key]; ok {
			fmt.Fprintf(&b, "  %s = %s\n", key, v)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// TestAccProvider_configuration: the arguments and their defaults work
// against the server.
func TestAccProvider_configuration(t *testing.T) {
	env := newAccEnv(t)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerBlock(map[string]string{
					"server_url":              fmt.Sprintf("%q", strings.TrimRight(env.URL, "/")+"/fog/"),
					"request_timeout":         `"45s"`,
					"max_retries":             "1",
					"max_concurrent_requests": "2",
				}) + configureProbe,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_hosts.probe", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

// TestAccProvider_configErrors: every way the connection can be wrong gives
// a message that says what to fix and where.
func TestAccProvider_configErrors(t *testing.T) {
	env := newAccEnv(t)
	wrong := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("0", 128)))
	rawHex := strings.Repeat("0123456789abcdef", 8)

	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.providerBlock(map[string]string{"api_token": fmt.Sprintf("%q", wrong)}) + configureProbe,
				ExpectError: expectError(`HTTP 403 (API token rejected)`, `FOG rejected the API token`, `FOG Configuration > FOG Settings > API System`),
			},
			{
				Config:      env.providerBlock(map[string]string{"user_token": fmt.Sprintf("%q", wrong)}) + configureProbe,
				ExpectError: expectError(`HTTP 401 (user token rejected)`, `rejected the user token`, `Users > your user > API Settings`, `API Enabled`),
			},
			{
				Config:      env.providerBlock(map[string]string{"api_token": fmt.Sprintf("%q", rawHex)}) + configureProbe,
				ExpectError: expectError(`128-character hex value: that is the raw token`, `base64encode`),
			},
			{
				Config:      env.providerBlock(map[string]string{"user_token": `" "`}) + configureProbe,
				ExpectError: expectError(`The user_token is empty`),
			},
			{
				Config:      env.providerBlock(map[string]string{"server_url": `"fog.example.com"`}) + configureProbe,
				ExpectError: expectError(`must start with http:// or https://`),
			},
			{
				Config:      env.providerBlock(map[string]string{"request_timeout": `"30"`}) + configureProbe,
				ExpectError: expectError(`"30" is not a duration`),
			},
			{
				Config:      env.providerBlock(map[string]string{"insecure": "true", "ca_cert_pem": fmt.Sprintf("%q", newTestCACertPEM(t))}) + configureProbe,
				ExpectError: expectError(`insecure = true turns certificate verification off`),
			},
			{
				Config:      env.providerBlock(map[string]string{"username": `"fog"`}) + configureProbe,
				ExpectError: expectError(`needs password too`),
			},
		},
	})
}

// TestAccProvider_apiDisabled: FOG answers every API call with a redirect to
// its login page while FOG_API_ENABLED is off.
func TestAccProvider_apiDisabled(t *testing.T) {
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.APIDisabled = true }))
	skipUnlessEmulator(t, env, "a real server's API cannot be switched off by a test")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(configureProbe),
				ExpectError: expectError(`the FOG API is disabled`, `FOG Configuration > FOG Settings > API System, tick FOG_API_ENABLED`),
			},
		},
	})
}

// TestAccProvider_userWithoutAPIAccess: a valid token of a user whose API
// access is off is a 401 too; the message says to tick "API Enabled".
func TestAccProvider_userWithoutAPIAccess(t *testing.T) {
	const rawToken = "5e7d4c3b2a1900ffeeddccbbaa99887766554433221100ffeeddccbbaa998877665544332211000123456789abcdef0123456789abcdef0123456789abcdef00"
	env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) {
		o.Users = append(o.Users, fogtest.User{Name: "noapi", Password: "x", APIToken: rawToken, AllowAPI: false})
	}))
	skipUnlessEmulator(t, env, "needs a user without API access")
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.providerBlock(map[string]string{
					"user_token": fmt.Sprintf("%q", base64.StdEncoding.EncodeToString([]byte(rawToken))),
				}) + configureProbe,
				ExpectError: expectError(`HTTP 401`, `must be allowed API access`),
			},
		},
	})
}
