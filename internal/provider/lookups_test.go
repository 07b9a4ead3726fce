// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

func TestSameLookupName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Multiple Partition Image - All Disks (Not Resizable)", "multiple partition image - all disks  (not resizable)", true},
		{"Windows 10", " windows 10 ", true},
		{"Windows 10", "Windows10", false},
		{"Windows 8", "Windows 8.1", false},
	} {
		if got := sameLookupName(tc.a, tc.b); got != tc.same {
			t.Errorf("sameLookupName(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
