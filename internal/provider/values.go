// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Helpers for terraform-plugin-framework values that every object uses.

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// known reports whether v is neither null nor unknown.
func known(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// valueOr is v, or def when v is null or unknown.
func valueOr(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueInt64()
}

// int64Ptr is v's value, or nil when v is null or unknown.
func int64Ptr(v types.Int64) *int64 {
	if !known(v) {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

// stringList returns a known list of strings (empty, not null, for none).
func stringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// stringsOf returns the elements of a list of strings; none when the list
// or an element is null or unknown.
func stringsOf(l types.List) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		s, ok := e.(types.String)
		if !ok || !known(s) {
			return nil
		}
		out = append(out, s.ValueString())
	}
	return out
}
