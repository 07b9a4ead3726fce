// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import "testing"

// BenchmarkDecodeHost decodes the answer of a host edit (a PUT's answer is
// the whole host, about 2 KB with its joins), as every assignment does.
func BenchmarkDecodeHost(b *testing.B) {
	body := []byte(loadRecording(b, "144-host-edit-imageid-string").ResponseBody)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeHost(body); err != nil {
			b.Fatal(err)
		}
	}
}
