// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runStringValidator returns the error details a validator reports for value.
func runStringValidator(t *testing.T, v validator.String, value types.String) []string {
	t.Helper()
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	var out []string
	for _, d := range resp.Diagnostics.Errors() {
		out = append(out, d.Detail())
	}
	return out
}

func TestImageNameValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, wantErr string // wantErr "" means valid
	}{
		{"plain", "Win10-Base", ""},
		{"spaces inside", "Windows 10 Base", ""},
		{"exactly 40 ascii", strings.Repeat("a", 40), ""},
		{"40 characters of 2 bytes", strings.Repeat("é", 40), ""},
		{"api at the start is listed by FOG", "_api_lead", ""},
		{"41 characters", strings.Repeat("a", 41), "41 characters long, the limit is 40"},
		{"41 multibyte characters", strings.Repeat("é", 41), "41 characters long"},
		{"empty", "", "must not be empty"},
		{"blank", "   ", "must not be empty"},
		{"leading space", " win10", "leading or trailing whitespace"},
		{"trailing space", "win10 ", "leading or trailing whitespace"},
		{"trailing newline", "win10\n", "leading or trailing whitespace"},
		{"double space", "win  10", "repeated spaces"},
		{"tab", "win\t10", "control characters"},
		{"ampersand", "R&D", `contains "&"`},
		{"double quote", `a"b`, `contains "\""`},
		{"single quote", "a'b", `contains "'"`},
		{"less than", "a<b", `contains "<"`},
		{"greater than", "a>b", `contains ">"`},
		{"percent", "100%", `contains "%"`},
		{"api infix", "img_api_x", `"_api_"`},
		{"api infix upper case", "Img_API_Up", `"_API_"`},
		{"emoji", "win10 \U0001F680", "outside the Basic Multilingual Plane"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := runStringValidator(t, imageNameValidator(), types.StringValue(tc.value))
			assertValidation(t, tc.value, errs, tc.wantErr)
		})
	}
}

func TestImagePathValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, wantErr string
	}{
		{"plain", "win10-base", ""},
		{"nested", "lab/win10", ""},
		{"reserved but different case is another directory", "Dev", ""},
		{"empty", "", "must not be empty"},
		{"slash only", "/", "storage root itself"},
		{"slashes only", "///", "storage root itself"},
		{"leading slash", "/images/win10", "relative to the storage node's image directory"},
		{"trailing slash", "win10/", "Remove the trailing slash"},
		{"dot dot", "../etc", `".."`},
		{"dot", "./win10", `"."`},
		{"empty component", "lab//win10", "empty"},
		{"reserved postdownloadscripts", "postdownloadscripts", "reserved"},
		{"reserved dev", "dev", "reserved"},
		{"leading space", " win10", "leading or trailing whitespace"},
		{"double space", "win  10", "repeated spaces"},
		{"newline", "win\n10", "control characters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := runStringValidator(t, imagePathValidator(), types.StringValue(tc.value))
			assertValidation(t, tc.value, errs, tc.wantErr)
		})
	}
}

func TestTokenValidator(t *testing.T) {
	t.Parallel()
	raw := strings.Repeat("0123456789abcdef", 8)
	encoded := base64.StdEncoding.EncodeToString([]byte(raw))
	cases := []struct {
		name, value, wantErr string
	}{
		{"base64 as the UI shows it", encoded, ""},
		{"base64 without padding", strings.TrimRight(encoded, "="), ""},
		{"empty", "", "is empty"},
		{"whitespace", "  ", "is empty"},
		{"trailing newline", encoded + "\n", "leading or trailing whitespace"},
		{"inner space", encoded[:10] + " " + encoded[10:], "contains whitespace"},
		{"raw hex token", raw, "raw token as FOG stores it"},
		{"raw hex token upper case", strings.ToUpper(raw), "128-character hex"},
		{"not base64", "not-a-token!", "not base64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := runStringValidator(t, tokenValidator("api_token", apiTokenWhere), types.StringValue(tc.value))
			assertValidation(t, tc.value, errs, tc.wantErr)
		})
	}

	t.Run("raw token message shows the fix without the token", func(t *testing.T) {
		t.Parallel()
		msg := checkToken("api_token", apiTokenWhere, raw)
		for _, want := range []string{"base64encode", apiTokenWhere} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q does not contain %q", msg, want)
			}
		}
		if strings.Contains(msg, raw) || strings.Contains(msg, encoded) {
			t.Errorf("message leaks the token: %q", msg)
		}
	})
}

func TestServerURLValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, wantErr string
	}{
		{"http", "http://fog.example.com", ""},
		{"https with port and /fog", "https://fog.example.com:8443/fog", ""},
		{"ip", "http://10.0.0.5", ""},
		{"empty", "", "is empty"},
		{"no scheme", "fog.example.com", "must start with http:// or https://"},
		{"ftp", "ftp://fog.example.com", "must start with http:// or https://"},
		{"no host", "http://", "no host name"},
		{"credentials", "http://user:pw@fog.example.com", "must not contain credentials"},
		{"query", "http://fog.example.com/?x=1", "query string"},
		{"garbage", "http://[::1", "not a valid URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := runStringValidator(t, serverURLValidator(), types.StringValue(tc.value))
			assertValidation(t, tc.value, errs, tc.wantErr)
			for _, e := range errs {
				if strings.Contains(e, "pw@") {
					t.Errorf("message leaks the password: %q", e)
				}
			}
		})
	}
}

func TestDurationValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value, wantErr string
	}{
		{"30s", ""},
		{"2m", ""},
		{"1m30s", ""},
		{"30", "not a duration"},
		{"thirty seconds", "not a duration"},
		{"0s", "greater than zero"},
		{"-5s", "greater than zero"},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			t.Parallel()
			assertValidation(t, tc.value, runStringValidator(t, durationValidator(), types.StringValue(tc.value)), tc.wantErr)
		})
	}
}

func TestPEMValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, wantErr string
	}{
		{"certificate", newTestCACertPEM(t), ""},
		{"empty", " ", "is empty"},
		{"not pem", "hello", "no \"-----BEGIN CERTIFICATE-----\" block"},
		{"broken certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "cannot be parsed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertValidation(t, tc.value, runStringValidator(t, pemValidator(), types.StringValue(tc.value)), tc.wantErr)
		})
	}
}

func TestValidatorsSkipUnknownAndNull(t *testing.T) {
	t.Parallel()
	for _, v := range []validator.String{imageNameValidator(), imagePathValidator(), serverURLValidator(), durationValidator(),
		tokenValidator("api_token", apiTokenWhere), pemValidator(), regexValidator(), descriptionValidator(), searchTermValidator()} {
		if errs := runStringValidator(t, v, types.StringUnknown()); len(errs) != 0 {
			t.Errorf("%s: unknown value reported %v", v.Description(context.Background()), errs)
		}
		if errs := runStringValidator(t, v, types.StringNull()); len(errs) != 0 {
			t.Errorf("%s: null value reported %v", v.Description(context.Background()), errs)
		}
	}
}

func TestRegexAndDescriptionValidators(t *testing.T) {
	t.Parallel()
	assertValidation(t, "^lab-", runStringValidator(t, regexValidator(), types.StringValue("^lab-")), "")
	assertValidation(t, "(", runStringValidator(t, regexValidator(), types.StringValue("(")), "not a valid regular expression")
	assertValidation(t, "R&D <x>\n", runStringValidator(t, descriptionValidator(), types.StringValue("R&D <x>\n")), "")
	assertValidation(t, "emoji", runStringValidator(t, descriptionValidator(), types.StringValue("ok \U0001F600")), "????")
}

// TestSearchTermValidator: the host search of the fog_host list resource
// and the fog_hosts data source refuses what FOG cannot receive in a path.
func TestSearchTermValidator(t *testing.T) {
	t.Parallel()
	for value, wantErr := range map[string]string{
		"lab":        "",
		" lab  01 ":  "",
		"00:11:22":   "",
		"R&D(bench)": "",
		"":           "must not be empty",
		"  ":         "must not be empty",
		"50%":        `holds "%", which FOG cannot receive`,
		"a/b?c#d":    `holds "/", "?", "#"`,
		"caf\u00e9":  "holds \"\u00e9\"",
	} {
		assertValidation(t, value, runStringValidator(t, searchTermValidator(), types.StringValue(value)), wantErr)
	}
}

func TestIsCaseOnlyChange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		old, new string
		want     bool
	}{
		{"Win10", "win10", true},
		{"win10", "WIN10", true},
		{"win10", "win10", false},
		{"win10", "win11", false},
		{"Ärger", "ärger", true},
	}
	for _, tc := range cases {
		if got := isCaseOnlyChange(tc.old, tc.new); got != tc.want {
			t.Errorf("isCaseOnlyChange(%q, %q) = %v, want %v", tc.old, tc.new, got, tc.want)
		}
	}
}

func assertValidation(t *testing.T, value string, errs []string, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if len(errs) > 0 {
			t.Errorf("%q: unexpected errors: %q", value, errs)
		}
		return
	}
	for _, e := range errs {
		if strings.Contains(e, wantErr) {
			return
		}
	}
	t.Errorf("%q: want an error containing %q, got %q", value, wantErr, errs)
}

// newTestCACertPEM returns a freshly generated self-signed CA certificate.
func newTestCACertPEM(t *testing.T) string {
	t.Helper()
	return newTestCA(t, "test CA").PEM
}

func TestTaskNameValidator(t *testing.T) {
	for _, tc := range []struct {
		v       validator.String
		value   string
		wantErr string
	}{
		{taskNameValidator(), "Nightly deploy", ""},
		{taskNameValidator(), strings.Repeat("n", 201), "201 characters long, the limit is 200"},
		{taskNameValidator(), "two\nlines", "control characters"},
		{taskNameValidator(), "party \U0001F389", "outside the Basic Multilingual Plane"},
	} {
		errs := runStringValidator(t, tc.v, types.StringValue(tc.value))
		if tc.wantErr == "" {
			if len(errs) != 0 {
				t.Errorf("%q: unexpected errors %q", tc.value, errs)
			}
			continue
		}
		if len(errs) != 1 || !strings.Contains(errs[0], tc.wantErr) {
			t.Errorf("%q: errors %q, want one containing %q", tc.value, errs, tc.wantErr)
		}
	}
}

func TestHostNameValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, wantErr string // wantErr "" means valid
	}{
		{"plain", "lab-01", ""},
		{"every symbol FOG allows but ' and %", "a_!@#$^(){}.~-", ""},
		{"exactly 15", strings.Repeat("a", 15), ""},
		{"api at the start is listed by FOG", "_api_h", ""},
		{"16 characters", strings.Repeat("a", 16), "16 characters long, the limit is 15"},
		{"empty", "", "must not be empty"},
		{"apostrophe", "bob's-pc", `FOG returns ' as &#039;`},
		{"percent", "lab%1", "wildcard"},
		{"space", "lab 01", `contains " ", which FOG does not allow`},
		{"non-ASCII letter", "café", `contains "é"`},
		{"ampersand", "r&d", `contains "&"`},
		{"api infix", "host_api_x", `"_api_"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertValidation(t, tc.value, runStringValidator(t, hostNameValidator(), types.StringValue(tc.value)), tc.wantErr)
		})
	}
}

func TestHostIPAndKernelArgsValidators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v                     validator.String
		value, wantErr, label string
	}{
		{hostIPValidator(), "10.0.0.5", "", "ipv4"},
		{hostIPValidator(), "fd00::5", "", "short ipv6"},
		{hostIPValidator(), "2001:db8:0:0:0:0:ff00:0042", "26 characters long, the limit is 25", "26 characters"},
		{hostIPValidator(), "10.0.0.5 ", "contains whitespace", "trailing space"},
		{kernelArgsValidator(), "quiet splash nomodeset", "", "plain"},
		{kernelArgsValidator(), "quiet  splash", "repeated spaces", "double space"},
		{kernelArgsValidator(), " quiet", "leading or trailing whitespace", "leading space"},
		{kernelArgsValidator(), " ", "only whitespace", "blank"},
		{kernelArgsValidator(), strings.Repeat("a", 251), "251 characters long, the limit is 250", "too long"},
	} {
		assertValidation(t, tc.label+": "+tc.value, runStringValidator(t, tc.v, types.StringValue(tc.value)), tc.wantErr)
	}
}
