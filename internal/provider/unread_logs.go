// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"strings"
	"sync/atomic"
)

// logsSilenced is set by SilenceUnreadLogs: nothing the provider logs is
// written, so the provider skips building its log contexts and lines.
var logsSilenced atomic.Bool

// Log levels of terraform-plugin-go, terraform-plugin-framework and the
// provider's own logger (terraform-plugin-log reads them from the process
// environment).
var unreadLogLevelVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_FOG"}

// SilenceUnreadLogs turns the SDK's and the provider's logs off when
// Terraform will discard them, and reports whether it did.
//
// Terraform (and OpenTofu) start a provider with their own environment and
// keep what the provider logs only when TF_LOG_PROVIDER, or else TF_LOG,
// names a level other than OFF; otherwise every line is read and dropped.
// The provider still writes them by default: terraform-plugin-go and the
// framework log at TRACE unless told otherwise, several lines per attribute
// and per request (a plan of 500 resources writes over 100,000 JSON lines),
// which cost more CPU than the provider's own work. Call it from main before
// serving, and not in debug mode (reattached providers' logs go to the
// developer's terminal, not through Terraform).
func SilenceUnreadLogs() bool {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	if level != "" && !strings.EqualFold(level, "off") {
		return false
	}
	for _, name := range unreadLogLevelVars {
		if os.Getenv(name) == "" {
			_ = os.Setenv(name, "OFF")
		}
	}
	logsSilenced.Store(true)
	return true
}
