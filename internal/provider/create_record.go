// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "fmt"

// adoptedForReplacement reports whether a refresh of this process adopted
// the object for a create whose outcome stayed unknown: the plan replaces
// it, deleting it first, so the name and MACs it holds are no conflict.
func (d *ProviderData) adoptedForReplacement(class string, id int64) bool {
	if d == nil {
		return false
	}
	_, ok := d.adopted.Load(fmt.Sprintf("%s:%d", class, id))
	return ok
}
