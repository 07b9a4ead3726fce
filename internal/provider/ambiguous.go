// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Diagnostics for creates that meet an object of the same name that is not
// what they sent. fogclient settles writes whose answer was lost by looking
// at the server (fogclient/ambiguous.go): it adopts an object only when it is
// exactly what was sent, and otherwise returns *fogclient.ExistingObjectError,
// which every resource that creates named FOG objects turns into the
// diagnostic below. ErrOutcomeUnknown (the look failed too) is explained by
// fixFor in diagnostics.go.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// imageAttributeNames maps FOG's image fields to fog_image's attributes.
var imageAttributeNames = map[string]string{
	"name": "name", "path": "path", "description": "description", "imageTypeID": "image_type_id",
	"imagePartitionTypeID": "partition_type_id", "osID": "os_id", "format": "format", "compress": "compress",
	"isEnabled": "enabled", "toReplicate": "replicate", "protected": "protected",
}

// addExistingObjectError adds the diagnostic for a *fogclient.ExistingObjectError
// in err (on the name attribute) and reports whether there was one. attrs
// maps FOG's field names to the resource's attribute names.
func addExistingObjectError(diags *diag.Diagnostics, object string, attrs map[string]string, err error) bool {
	var existing *fogclient.ExistingObjectError
	if !errors.As(err, &existing) {
		return false
	}
	diffs := make([]string, 0, len(existing.Differences))
	for _, d := range existing.Differences {
		name := d.Field
		if a, ok := attrs[d.Field]; ok {
			name = a
		}
		diffs = append(diffs, fmt.Sprintf("%s is %q in FOG, %q in this configuration", name, d.Have, d.Sent))
	}
	found := fmt.Sprintf("%s %q (id %d)", existing.Class, existing.Name, existing.ID)
	var what string
	if existing.Raced {
		what = fmt.Sprintf("another create of the same %s name ran at the same moment (another Terraform run, a script or "+
			"FOG's web UI), and FOG gave both requests one and the same %s, %s, which holds the other request's values: %s. "+
			"It was not taken over.", existing.Class, existing.Class, found, strings.Join(diffs, "; "))
	} else {
		what = fmt.Sprintf("FOG's answer to the create was lost (%s), so the provider looked the %s up by name. FOG has %s, "+
			"but it is not the one this configuration describes: %s. It may have been created by someone else, so it was not "+
			"taken over.", describeClientErrorText(existing.Cause), existing.Class, found, strings.Join(diffs, "; "))
	}
	diags.AddAttributeError(path.Root("name"), "Unable to create "+object, fmt.Sprintf(
		"Unable to create %s: %s\n\nIf that %s is the one to manage, bring it under Terraform and align the configuration with it:\n\n"+
			"  terraform import <resource address> %d\n\nOtherwise choose another name (FOG compares names without regard to letter case).",
		object, what, existing.Class, existing.ID))
	return true
}
