// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

func TestNormalizeFOGText(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"R&D <x>", "R&D <x>"},
		{"R&D <x>\n", "R&D <x>"},
		{"  padded\t\r\n", "padded"},
		{"two  spaces   and three", "two spaces and three"},
		{"line one\nline two\n", "line one\nline two"},
		{"tab\tinside", "tab\tinside"},
		{"", ""},
		{"\x00nul\x0b", "nul"},
	}
	for _, tc := range cases {
		if got := normalizeFOGText(tc.in); got != tc.want {
			t.Errorf("normalizeFOGText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFOGTextSemanticEquals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		config, fog string
		want        bool
	}{
		{"R&D <x>\n", "R&D <x>", true},
		{"a  b", "a b", true},
		{"same", "same", true},
		{"changed", "Changed", false},
		{"line one\nline two", "line one line two", false},
		{"", "", true},
	}
	for _, tc := range cases {
		equal, diags := newFOGText(tc.config).StringSemanticEquals(ctx, newFOGText(tc.fog))
		if diags.HasError() {
			t.Fatalf("diagnostics: %v", diags)
		}
		if equal != tc.want {
			t.Errorf("%q vs %q: equal = %v, want %v", tc.config, tc.fog, equal, tc.want)
		}
	}

	if _, diags := newFOGText("x").StringSemanticEquals(ctx, basetypes.NewStringValue("x")); !diags.HasError() {
		t.Error("comparing with a plain string value must report a type error")
	}
}

func TestFOGTextTypeRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newFOGText("hello")
	tfv, err := v.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	back, err := fogTextType{}.ValueFromTerraform(ctx, tfv)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(v) || !v.Type(ctx).Equal(fogTextType{}) {
		t.Errorf("round trip changed the value: %#v", back)
	}
}
