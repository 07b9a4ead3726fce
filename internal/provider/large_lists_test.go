// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

func TestNameRegexLike(t *testing.T) {
	for re, want := range map[string]string{
		"^lab-":            "lab-%",
		"^lab-[0-9]+$":     "lab-%",
		"(?i)^LAB-":        "LAB-%",
		"kiosk":            "%kiosk%",
		"kiosk-[0-9]":      "%kiosk-%",
		"^bulk-0012[0-4]$": "bulk-0012%",
		"":                 "",
		".*":               "",
		"^(a|b)":           "",
		"[0-9]+":           "",
		"^$":               "",
		"(":                "",
	} {
		if got := nameRegexLike(re); got != want {
			t.Errorf("nameRegexLike(%q) = %q, want %q", re, got, want)
		}
	}
}

func TestHostsFilter(t *testing.T) {
	img := int64(0)
	f := hostsFilter("^lab-", &img, []int64{3, 4})
	ids, _ := f["id"].([]int64)
	if f["name"] != "lab-%" || f["imageID"] != int64(0) || len(ids) != 2 {
		t.Fatalf("filter %v", f)
	}
	if f := hostsFilter(".*", nil, nil); len(f) != 0 {
		t.Fatalf("no narrowing filter: %v, want the full list", f)
	}
}

func TestFullListFailedDetail(t *testing.T) {
	fatal := &fogclient.Error{Kind: fogclient.ErrServerFatal, Method: "GET", Route: "/fog/host", Status: 500}
	d := fullListFailedDetail(hostsFilterHelp, fatal)
	for _, want := range []string{"memory_limit", "php.ini", "php-fpm", "name_regex", "image_id", "PHP error log"} {
		if !strings.Contains(d, want) {
			t.Errorf("detail lacks %q:\n%s", want, d)
		}
	}
	if d := fullListFailedDetail(hostsFilterHelp, errors.New("connection refused")); d != "" {
		t.Errorf("a network error explained as memory: %s", d)
	}
}
