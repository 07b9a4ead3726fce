// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	for _, tc := range []struct {
		name            string
		tfLog, provider string
		silenced        bool
	}{
		{name: "nothing set", silenced: true},
		{name: "TF_LOG=off", tfLog: "off", silenced: true},
		{name: "TF_LOG=trace", tfLog: "trace"},
		{name: "TF_LOG_PROVIDER=debug", provider: "debug"},
		{name: "TF_LOG_PROVIDER=OFF wins over TF_LOG", tfLog: "trace", provider: "OFF", silenced: true},
		{name: "TF_LOG_PROVIDER wins over TF_LOG=off", tfLog: "off", provider: "info"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() { logsSilenced.Store(false) })
			for _, name := range append([]string{"TF_LOG"}, unreadLogLevelVars...) {
				t.Setenv(name, "")
			}
			t.Setenv("TF_LOG", tc.tfLog)
			t.Setenv("TF_LOG_PROVIDER", tc.provider)
			t.Setenv("TF_LOG_SDK_PROTO", "warn") // set by the user: kept
			if got := SilenceUnreadLogs(); got != tc.silenced || logsSilenced.Load() != tc.silenced {
				t.Fatalf("SilenceUnreadLogs() = %v (flag %v), want %v", got, logsSilenced.Load(), tc.silenced)
			}
			if got := os.Getenv("TF_LOG_SDK_PROTO"); got != "warn" {
				t.Errorf("TF_LOG_SDK_PROTO = %q, want the user's warn", got)
			}
			want := ""
			if tc.silenced {
				want = "OFF"
			}
			if got := os.Getenv("TF_LOG_SDK_FRAMEWORK"); got != want {
				t.Errorf("TF_LOG_SDK_FRAMEWORK = %q, want %q", got, want)
			}
		})
	}
}
