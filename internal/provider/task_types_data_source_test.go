// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// A type a plugin adds is classified by FOG's kernel argument rules.
func TestTaskTypeFromAPI(t *testing.T) {
	t.Parallel()
	m := taskTypeFromAPI(fogclient.TaskType{ID: 40, Name: "Lab Capture", KernelArgs: "type=up mode=debug", Access: "host", IsAdvanced: true})
	want := taskTypeModel{
		ID: types.Int64Value(40), Name: types.StringValue("Lab Capture"), Description: types.StringValue(""),
		Access: types.StringValue("host"), IsAdvanced: types.BoolValue(true), KernelArgs: types.StringValue("type=up mode=debug"),
		IsDeploy: types.BoolValue(false), IsCapture: types.BoolValue(true), IsImaging: types.BoolValue(true),
		IsMulticast: types.BoolValue(false), IsSnapinTasking: types.BoolValue(false),
	}
	if m != want {
		t.Errorf("taskTypeFromAPI = %+v\nwant %+v", m, want)
	}
}

func taskTypeObject(id int64, name, access string, advanced bool, kernelArgs string, deploy, capture, multicast, snapins bool) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":                knownvalue.Int64Exact(id),
		"name":              knownvalue.StringExact(name),
		"description":       knownvalue.NotNull(),
		"access":            knownvalue.StringExact(access),
		"is_advanced":       knownvalue.Bool(advanced),
		"kernel_args":       knownvalue.StringExact(kernelArgs),
		"is_deploy":         knownvalue.Bool(deploy),
		"is_capture":        knownvalue.Bool(capture),
		"is_imaging":        knownvalue.Bool(deploy || capture),
		"is_multicast":      knownvalue.Bool(multicast),
		"is_snapin_tasking": knownvalue.Bool(snapins),
	})
}

// TestAccTaskTypesDataSource: FOG 1.5.9's task types by id order, and found
// by name the way fog_task's type is (case, spaces and dashes ignored).
func TestAccTaskTypesDataSource(t *testing.T) {
	env := newAccEnv(t)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config("data \"fog_task_types\" \"x\" {\n  name = \"deploi\"\n}\n"),
				ExpectError: expectError(`Unable to find task type "deploi"`, `Valid task types: "Deploy" (1), "Capture" (2)`),
			},
			{
				Config: env.Config(`
data "fog_task_types" "all" {
}

data "fog_task_types" "deploy_debug" {
  name = "deploy-debug"
}

data "fog_task_types" "multicast" {
  name = "multicast"
}

data "fog_task_types" "snapins" {
  name = "ALL SNAPINS"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.fog_task_types.all", tfjsonpath.New("task_types"), knownvalue.ListPartial(map[int]knownvalue.Check{
						0: taskTypeObject(1, "Deploy", "both", false, "type=down", true, false, false, false),
						1: taskTypeObject(2, "Capture", "host", false, "type=up", false, true, false, false),
						2: taskTypeObject(3, "Debug", "host", true, "mode=onlydebug", false, false, false, false),
					})),
					statecheck.ExpectKnownValue("data.fog_task_types.deploy_debug", tfjsonpath.New("task_types"), knownvalue.ListExact([]knownvalue.Check{
						taskTypeObject(15, "Deploy - Debug", "host", true, "type=down mode=debug", true, false, false, false),
					})),
					statecheck.ExpectKnownValue("data.fog_task_types.multicast", tfjsonpath.New("task_types"), knownvalue.ListExact([]knownvalue.Check{
						taskTypeObject(8, "Multi-Cast", "group", false, "type=down mc=yes", true, false, true, false),
					})),
					statecheck.ExpectKnownValue("data.fog_task_types.snapins", tfjsonpath.New("task_types"), knownvalue.ListExact([]knownvalue.Check{
						taskTypeObject(12, "All Snapins", "both", true, "", false, false, false, true),
					})),
				},
			},
		},
	})
}

// TestAccTaskTypesDataSource_example: the documented example applies as written.
func TestAccTaskTypesDataSource_example(t *testing.T) {
	env := newAccEnv(t)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(exampleConfig(t, "data-sources/fog_task_types/data-source.tf")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("deploy_task_type_id", knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownOutputValue("imaging_task_types", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("Deploy"), knownvalue.StringExact("Capture"), knownvalue.StringExact("Multi-Cast"),
					knownvalue.StringExact("Deploy - Debug"), knownvalue.StringExact("Capture - Debug"), knownvalue.StringExact("Deploy - No Snapins"),
				})),
			},
		}},
	})
}
