// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package provider implements the Terraform provider for the FOG Project
// imaging server on terraform-plugin-framework. Everything FOG-specific on the
// wire lives in package fogclient; this package holds schemas, plan-time
// validation, mapping and diagnostics.
//
// It is one flat package: the Terraform objects share the read cache,
// identity and import helpers and diagnostics, and check each other at plan
// time (a task checks hosts and images). Files follow one rule:
//
//   - one file per Terraform object, <object>_<kind>.go, where kind is
//     resource, data_source, list_resource or action (task_resource.go,
//     hosts_data_source.go), its tests beside it as <object>_<kind>_test.go;
//   - a shared piece in a file named for its job: diagnostics.go (errors to
//     diagnostics, with the fix), validators.go, read_cache.go, identity.go,
//     lookups.go, values.go, provider_data.go; a custom type as
//     <name>_type.go; an object's pieces that the resource and the action
//     share as <object>_<job>.go (task_plan.go, task_start.go,
//     task_wait.go, task_decisions.go);
//   - test harnesses as <name>_harness_test.go and acctest_test.go;
//     acceptance suites that cut across objects as <theme>_acc_test.go.
package provider
