// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestMACListSemanticEquals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		a, b   []string
		equals bool
	}{
		{"FOG's notation for the configured one", []string{"00-11-22-AA-BB-CC"}, []string{"00:11:22:aa:bb:cc"}, true},
		{"dotted and bare notations", []string{"0011.22aa.bbcc", "0011223344FF"}, []string{"00:11:22:aa:bb:cc", "00:11:22:33:44:ff"}, true},
		{"additional MACs in another order", []string{"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"},
			[]string{"02:00:00:00:00:01", "02:00:00:00:00:03", "02:00:00:00:00:02"}, true},
		{"another primary", []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}, []string{"02:00:00:00:00:02", "02:00:00:00:00:01"}, false},
		{"a MAC more", []string{"02:00:00:00:00:01"}, []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}, false},
		{"another MAC", []string{"02:00:00:00:00:01", "02:00:00:00:00:02"}, []string{"02:00:00:00:00:01", "02:00:00:00:00:04"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, diags := newMACList(tc.a).ListSemanticEquals(context.Background(), newMACList(tc.b))
			if diags.HasError() || got != tc.equals {
				t.Errorf("ListSemanticEquals(%v, %v) = %v (%v), want %v", tc.a, tc.b, got, diags, tc.equals)
			}
		})
	}
	unknown := macListValue{ListValue: types.ListUnknown(types.StringType)}
	if got, _ := unknown.ListSemanticEquals(context.Background(), newMACList([]string{"02:00:00:00:00:01"})); got {
		t.Error("an unknown list is never semantically equal")
	}
}

func TestMACListValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		macs    []string
		wantErr string // "" means valid
		at      string // path of the error
	}{
		{"every notation FOG accepts", []string{"00:11:22:aa:bb:cc", "00-11-22-AA-BB-CD", "0011.22aa.bbce", "001122AABBCF"}, "", ""},
		{"too short", []string{"00:11:22:aa:bb"}, `"00:11:22:aa:bb" is not a MAC address`, "macs[0]"},
		{"not hex", []string{"00:11:22:aa:bb:cc", "00:11:22:aa:bb:zz"}, "is not a MAC address", "macs[1]"},
		{"mixed separators", []string{"00:11-22:aa:bb:cc"}, "is not a MAC address", "macs[0]"},
		{"twice in two notations", []string{"00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC"}, "00:11:22:aa:bb:cc is listed twice (elements 0 and 1)", "macs[1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			elems := make([]attr.Value, len(tc.macs))
			for i, m := range tc.macs {
				elems[i] = types.StringValue(m)
			}
			resp := &validator.ListResponse{}
			macListValidator{}.ValidateList(context.Background(), validator.ListRequest{
				Path: path.Root("macs"), ConfigValue: types.ListValueMust(types.StringType, elems),
			}, resp)
			if tc.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Errorf("unexpected errors: %v", resp.Diagnostics)
				}
				return
			}
			errs := resp.Diagnostics.Errors()
			if len(errs) != 1 || !strings.Contains(errs[0].Detail(), tc.wantErr) {
				t.Fatalf("want one error containing %q, got %v", tc.wantErr, errs)
			}
			withPath, ok := errs[0].(diag.DiagnosticWithPath)
			if !ok {
				t.Fatalf("error %v has no attribute path", errs[0])
			}
			if p := withPath.Path().String(); p != tc.at {
				t.Errorf("error at %s, want %s", p, tc.at)
			}
		})
	}
}
