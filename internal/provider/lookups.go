// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// FOG's lookup tables (image types, operating systems): small lists of ids
// and names that data sources list, so that configurations never hard-code
// the ids.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// lookupList is how a data source lists one lookup table: the rows R the
// client lists, shown as models M.
type lookupList[R, M any] struct {
	kind, kinds string // "image type", "image types"
	list        func(*fogclient.Client, context.Context) ([]R, error)
	key         func(R) (id int64, name string)
	model       func(R) M
}

// read lists the rows sorted by id, only those with this name when it is
// set. A name no row has is an error on the name attribute that lists the
// valid names; read then returns false, as it does when the list fails.
func (l lookupList[R, M]) read(ctx context.Context, data *ProviderData, name types.String, diags *diag.Diagnostics) ([]M, bool) {
	client := data.clientOrError(diags, "list", l.kinds)
	if client == nil {
		return nil, false
	}
	all, err := l.list(client, ctx)
	if err != nil {
		addClientError(diags, "list", l.kinds, err)
		return nil, false
	}
	sort.Slice(all, func(i, j int) bool {
		a, _ := l.key(all[i])
		b, _ := l.key(all[j])
		return a < b
	})
	out := make([]M, 0, len(all))
	valid := make([]string, 0, len(all))
	for _, row := range all {
		id, rowName := l.key(row)
		valid = append(valid, fmt.Sprintf("%q (%d)", rowName, id))
		if !name.IsNull() && !sameLookupName(rowName, name.ValueString()) {
			continue
		}
		out = append(out, l.model(row))
	}
	if !name.IsNull() && len(out) == 0 {
		diags.AddAttributeError(path.Root("name"), fmt.Sprintf("Unable to find %s %q", l.kind, name.ValueString()), fmt.Sprintf(
			"The FOG server has no %s of this name. Valid %s: %s.", l.kind, l.kinds, strings.Join(valid, ", ")))
		return nil, false
	}
	return out, true
}

// sameLookupName compares names of FOG's lookup rows (image types,
// operating systems) without regard to letter case, surrounding whitespace
// and repeated spaces: FOG returns "All Disks  (Not Resizable)" with one
// space (reference/fog-api.md §3.3), and compares names case-insensitively.
func sameLookupName(a, b string) bool {
	return strings.EqualFold(normalizeFOGText(a), normalizeFOGText(b))
}
