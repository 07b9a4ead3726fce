// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// macListType is a host's list of MAC addresses: the first is the primary
// MAC, the others are additional MACs in no particular order. Two values are
// semantically equal when they name the same primary and the same
// additional MACs in any of FOG's notations (aa:bb:.., AA-BB-.., aabb.ccdd..,
// aabbccddeeff), so the configuration's spelling stays in state while FOG
// answers with lower-case colons and lists additional MACs in the order
// they were added (edge recording b-host-get-after-primary-swap).
type macListType struct {
	basetypes.ListType
}

var _ basetypes.ListTypable = macListType{}

func newMACListType() macListType {
	return macListType{ListType: basetypes.ListType{ElemType: types.StringType}}
}

func (t macListType) String() string { return "provider.macListType" }

func (t macListType) Equal(o attr.Type) bool {
	other, ok := o.(macListType)
	if !ok {
		return false
	}
	return t.ListType.Equal(other.ListType)
}

func (t macListType) ValueType(context.Context) attr.Value {
	return macListValue{ListValue: basetypes.NewListNull(types.StringType)}
}

func (t macListType) ValueFromList(_ context.Context, in basetypes.ListValue) (basetypes.ListValuable, diag.Diagnostics) {
	return macListValue{ListValue: in}, nil
}

func (t macListType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.ListType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	list, ok := v.(basetypes.ListValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return macListValue{ListValue: list}, nil
}

// macListValue is the value of macListType.
type macListValue struct {
	basetypes.ListValue
}

var _ basetypes.ListValuableWithSemanticEquals = macListValue{}

// newMACList returns a known list of the given MACs.
func newMACList(macs []string) macListValue {
	elems := make([]attr.Value, len(macs))
	for i, m := range macs {
		elems[i] = types.StringValue(m)
	}
	return macListValue{ListValue: basetypes.NewListValueMust(types.StringType, elems)}
}

func (v macListValue) Type(context.Context) attr.Type { return newMACListType() }

func (v macListValue) Equal(o attr.Value) bool {
	other, ok := o.(macListValue)
	if !ok {
		return false
	}
	return v.ListValue.Equal(other.ListValue)
}

// strings returns the elements as written; ok is false when the list or one
// of its elements is null or unknown.
func (v macListValue) strings() ([]string, bool) {
	if v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(v.Elements()))
	for _, e := range v.Elements() {
		s, isString := e.(basetypes.StringValue)
		if !isString || s.IsNull() || s.IsUnknown() {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	return out, true
}

// ListSemanticEquals keeps the prior spelling and order when both lists name
// the same primary and the same additional MACs.
func (v macListValue) ListSemanticEquals(_ context.Context, newValuable basetypes.ListValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	other, ok := newValuable.(macListValue)
	if !ok {
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected a value of type %T, got %T. This is a bug in the provider, please report it.", v, newValuable))
		return false, diags
	}
	a, okA := v.strings()
	b, okB := other.strings()
	return okA && okB && sameMACSet(a, b), diags
}

// canonicalMAC returns FOG's lower-case colon form of a MAC in any notation
// FOG accepts, or the trimmed lower-cased text when it is not a MAC.
func canonicalMAC(s string) string {
	if n, err := fogclient.NormalizeMAC(s); err == nil {
		return n
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// canonicalMACs applies canonicalMAC to each element.
func canonicalMACs(macs []string) []string {
	out := make([]string, len(macs))
	for i, m := range macs {
		out[i] = canonicalMAC(m)
	}
	return out
}

// sameMACSet reports whether a and b have the same primary (first element)
// and the same additional MACs, compared in canonical form and in any order.
func sameMACSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	ca, cb := canonicalMACs(a), canonicalMACs(b)
	if ca[0] != cb[0] {
		return false
	}
	restA, restB := ca[1:], cb[1:]
	sort.Strings(restA)
	sort.Strings(restB)
	for i := range restA {
		if restA[i] != restB[i] {
			return false
		}
	}
	return true
}

// macListValidator checks every element of a MAC list with FOG's formats
// and refuses a MAC listed twice (in any notation): FOG keeps one row per MAC.
type macListValidator struct{}

var _ validator.List = macListValidator{}

func (macListValidator) Description(context.Context) string {
	return "each element must be a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff), each MAC listed once"
}

func (v macListValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (macListValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]int{}
	for i, e := range req.ConfigValue.Elements() {
		s, ok := e.(basetypes.StringValue)
		if !ok || s.IsUnknown() {
			continue
		}
		p := req.Path.AtListIndex(i)
		if s.IsNull() {
			resp.Diagnostics.AddAttributeError(p, "Invalid MAC address", "A MAC address must not be null.")
			continue
		}
		mac, err := fogclient.NormalizeMAC(s.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(p, "Invalid MAC address", fmt.Sprintf(
				"%q is not a MAC address. Write six pairs of hexadecimal digits, for example \"00:11:22:aa:bb:cc\" "+
					"(FOG also accepts \"00-11-22-AA-BB-CC\", \"0011.22aa.bbcc\" and \"001122aabbcc\").", s.ValueString()))
			continue
		}
		if first, dup := seen[mac]; dup {
			resp.Diagnostics.AddAttributeError(p, "Duplicate MAC address", fmt.Sprintf(
				"%s is listed twice (elements %d and %d). A host has each MAC address once; remove one of them.", mac, first, i))
			continue
		}
		seen[mac] = i
	}
}
