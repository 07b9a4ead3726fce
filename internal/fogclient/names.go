// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import "strings"

// SameName reports whether FOG takes a and b for one name: its unique columns
// ignore letter case and trailing spaces (image-create-duplicate-name-different-case).
func SameName(a, b string) bool { return sameName(a, b) }

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, " "), strings.TrimRight(b, " "))
}

// createLockKey: FOG compares names case-insensitively after truncation.
func createLockKey(class, name string, width int) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if r := []rune(name); len(r) > width {
		name = string(r[:width])
	}
	return class + ":" + name
}

// CaseOnlyRenameRefused reports whether FOG refuses a rename that changes only
// letter case: it answers "Already created" unless the new name is the current
// one lower-cased (reference/fog-api.md §6.2, recording image-edit-change-only-case).
func CaseOnlyRenameRefused(from, to string) bool {
	return from != to && strings.EqualFold(from, to) && to != strings.ToLower(from)
}
