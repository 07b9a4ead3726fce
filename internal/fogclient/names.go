// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import "strings"

// sameName compares names the way FOG's uniqueness check does (case-insensitive,
// trailing spaces ignored).
// SameName reports whether FOG takes a and b for the same object name: its
// unique name columns compare without regard to letter case and ignore
// trailing spaces (image-create-duplicate-name-different-case).
func SameName(a, b string) bool { return sameName(a, b) }

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, " "), strings.TrimRight(b, " "))
}

// createLockKey names the lock that serialises creates of one name within
// this client. FOG compares names case-insensitively after truncation.
func createLockKey(class, name string, width int) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if r := []rune(name); len(r) > width {
		name = string(r[:width])
	}
	return class + ":" + name
}

// CaseOnlyRenameRefused reports whether FOG's edit route refuses to rename
// an object from one name to another that differs only in letter case.
// FOG (fog-api.md 6.2) answers "Already created" when the sent name differs
// from the lower-cased current name and some row, the object itself
// included, has the sent name case-insensitively: so "Lab-01" can become
// "lab-01", but "lab-01" cannot become "Lab-01" (recording
// image-edit-change-only-case) and "Lab-01" cannot become "LAB-01". Such a
// rename needs two steps through a different name.
func CaseOnlyRenameRefused(from, to string) bool {
	return from != to && strings.EqualFold(from, to) && to != strings.ToLower(from)
}
