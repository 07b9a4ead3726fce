// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fogTextType is a string whose values are equal when FOG would return them
// the same way. FOG trims every string it reads (PHP trim) and its output
// filter turns every run of spaces into one (reference/fog-api.md §4.1, §4.3), so a
// heredoc's trailing newline or a double space would otherwise show up as a
// difference after every apply. HTML escaping is undone by fogclient.
type fogTextType struct {
	basetypes.StringType
}

var _ basetypes.StringTypable = fogTextType{}

func (t fogTextType) String() string { return "provider.fogTextType" }

func (t fogTextType) Equal(o attr.Type) bool {
	other, ok := o.(fogTextType)
	if !ok {
		return false
	}
	return t.StringType.Equal(other.StringType)
}

func (t fogTextType) ValueType(context.Context) attr.Value { return fogTextValue{} }

func (t fogTextType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return fogTextValue{StringValue: in}, nil
}

func (t fogTextType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return fogTextValue{StringValue: s}, nil
}

// fogTextValue is the value of fogTextType.
type fogTextValue struct {
	basetypes.StringValue
}

var _ basetypes.StringValuableWithSemanticEquals = fogTextValue{}

func newFOGText(s string) fogTextValue { return fogTextValue{StringValue: basetypes.NewStringValue(s)} }

func (v fogTextValue) Type(context.Context) attr.Type { return fogTextType{} }

func (v fogTextValue) Equal(o attr.Value) bool {
	other, ok := o.(fogTextValue)
	if !ok {
		return false
	}
	return v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals keeps the configured spelling in state when FOG
// returns the same text trimmed and with collapsed spaces.
func (v fogTextValue) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	other, ok := newValuable.(fogTextValue)
	if !ok {
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected a value of type %T, got %T. This is a bug in the provider, please report it.", v, newValuable))
		return false, diags
	}
	return normalizeFOGText(v.ValueString()) == normalizeFOGText(other.ValueString()), diags
}

var spaceRun = regexp.MustCompile(` {2,}`)

// normalizeFOGText returns s as FOG would return it: trimmed like PHP's
// trim() and with runs of spaces collapsed. Tabs and newlines inside the text
// survive (FOG sends them JSON-escaped, recording image-create-whitespace-name).
func normalizeFOGText(s string) string {
	return spaceRun.ReplaceAllString(strings.Trim(s, fogTrimCutset), " ")
}
