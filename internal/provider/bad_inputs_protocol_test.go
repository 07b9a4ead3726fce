// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The bad-input rows of the fog_task action and the list resources, which
// our CI's Terraform 1.5.7 cannot run: the RPCs a newer Terraform calls,
// in-process (protocol_harness_test.go). Each row asserts the attribute the
// diagnostic points at and the moment of refusal:
//
//   - a check on the configuration alone is an error of the validation
//     RPC (ValidateActionConfig, ValidateListResourceConfig), which
//     Terraform runs before any plan, and again of PlanAction or of the
//     list stream, with no request sent;
//   - a check against the server's state is a warning of PlanAction and an
//     error of InvokeAction before any write.
//
// TestAccBadInputs counts them in its figure; TestBadInputsProtocol runs
// them without a Terraform CLI.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolBadInputFixtures are the emulator's objects the rows refer to.
type protocolBadInputFixtures struct {
	env                          *protocolEnv
	image, protected, other      int64
	hostWithImage, hostProtected int64
	hostWithoutImage             int64
	// soon is the action's timeouts block with invoke = "soon".
	soon tftypes.Value
}

type protocolBadInput struct {
	kind     string // "action" or "list"
	typeName string
	name     string
	attr     string
	set      func(fx *protocolBadInputFixtures) map[string]tftypes.Value
	want     []string
	// serverState: a warning of PlanAction and an error of InvokeAction
	// before any write (actions only); otherwise refused by validation.
	serverState bool
	// planOnly: refused by PlanAction, not by the validation RPC (a check
	// of the configuration that needs the server's task types to resolve
	// the type's name: it reads, and writes nothing).
	planOnly bool
	// atInvoke: refused by InvokeAction before any write, without a plan
	// warning (as fog_task's apply: an assignment of the same apply, ordered
	// before the action, may still make it right).
	atInvoke bool
}

func setOf(kv ...any) func(*protocolBadInputFixtures) map[string]tftypes.Value {
	return func(fx *protocolBadInputFixtures) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for i := 0; i < len(kv); i += 2 {
			name := fmt.Sprint(kv[i])
			switch v := kv[i+1].(type) {
			case tftypes.Value:
				out[name] = v
			case func(*protocolBadInputFixtures) tftypes.Value:
				out[name] = v(fx)
			default:
				panic(fmt.Sprintf("setOf: %T", v))
			}
		}
		return out
	}
}

func fxNum(f func(*protocolBadInputFixtures) int64) func(*protocolBadInputFixtures) tftypes.Value {
	return func(fx *protocolBadInputFixtures) tftypes.Value { return num(f(fx)) }
}

var (
	pHostWithImage = fxNum(func(fx *protocolBadInputFixtures) int64 { return fx.hostWithImage })
	pHostProtected = fxNum(func(fx *protocolBadInputFixtures) int64 { return fx.hostProtected })
	pOtherImage    = fxNum(func(fx *protocolBadInputFixtures) int64 { return fx.other })
)

var protocolBadInputs = []protocolBadInput{
	// ---- fog_task action: the configuration alone ----
	{kind: "action", typeName: "fog_task", name: "host_id 0", attr: "host_id", set: setOf("host_id", num(0), "type", str("Deploy")),
		want: []string{"host_id value must be at least 1, got: 0"}},
	{kind: "action", typeName: "fog_task", name: "host_id negative", attr: "host_id", set: setOf("host_id", num(-4), "type", str("Deploy")),
		want: []string{"host_id value must be at least 1, got: -4"}},
	{kind: "action", typeName: "fog_task", name: "type without a letter or digit", attr: "type", set: setOf("host_id", pHostWithImage, "type", str("--")),
		want: []string{"must contain a letter or a digit"}},
	{kind: "action", typeName: "fog_task", name: "type empty", attr: "type", set: setOf("host_id", pHostWithImage, "type", str("")),
		want: []string{"must contain a letter or a digit"}},
	{kind: "action", typeName: "fog_task", name: "image_id 0", attr: "image_id", set: setOf("host_id", pHostWithImage, "type", str("Deploy"), "image_id", num(0)),
		want: []string{"image_id value must be at least 1, got: 0"}},
	{kind: "action", typeName: "fog_task", name: "timeouts.invoke not a duration", attr: "timeouts",
		set: func(fx *protocolBadInputFixtures) map[string]tftypes.Value {
			return map[string]tftypes.Value{"host_id": num(fx.hostWithImage), "type": str("Deploy"), "timeouts": fx.soon}
		},
		want: []string{"Time Duration"}},
	{kind: "action", typeName: "fog_task", name: "Wake-Up without wol", attr: "type", planOnly: true,
		set:  setOf("host_id", pHostWithImage, "type", str("Wake-Up")),
		want: []string{"Task would do nothing useful", "set wol = true"}},

	// ---- fog_task action: the server's state ----
	{kind: "action", typeName: "fog_task", name: "type the server does not have", attr: "type", serverState: true,
		set:  setOf("host_id", pHostWithImage, "type", str("Deploy Now")),
		want: []string{`"Deploy Now" is not a task type`, `"Deploy" (1)`}},
	{kind: "action", typeName: "fog_task", name: "host that does not exist", attr: "host_id", serverState: true,
		set:  setOf("host_id", num(987654), "type", str("Deploy")),
		want: []string{"no host with id 987654"}},
	{kind: "action", typeName: "fog_task", name: "capture onto a protected image", attr: "type", serverState: true,
		set:  setOf("host_id", pHostProtected, "type", str("Capture")),
		want: []string{"is protected"}},
	{kind: "action", typeName: "fog_task", name: "image_id other than the host's image", attr: "image_id", atInvoke: true,
		set:  setOf("host_id", pHostWithImage, "type", str("Deploy"), "image_id", pOtherImage),
		want: []string{"but the host has image"}},

	// ---- fog_host list resource ----
	{kind: "list", typeName: "fog_host", name: "name_regex invalid", attr: "name_regex", set: setOf("name_regex", str("lab(")),
		want: []string{"regular expression"}},
	{kind: "list", typeName: "fog_host", name: "search with characters FOG cannot receive", attr: "search", set: setOf("search", str("50% off?")),
		want: []string{`"%", "?"`, "without decoding it"}},
	{kind: "list", typeName: "fog_host", name: "search only whitespace", attr: "search", set: setOf("search", str("  ")),
		want: []string{"must not be empty"}},
	{kind: "list", typeName: "fog_host", name: "image_id negative", attr: "image_id", set: setOf("image_id", num(-1)),
		want: []string{"image_id"}},

	// ---- fog_image list resource ----
	{kind: "list", typeName: "fog_image", name: "name_regex invalid", attr: "name_regex", set: setOf("name_regex", str("win(")),
		want: []string{"regular expression"}},
	{kind: "list", typeName: "fog_image", name: "os_id 0", attr: "os_id", set: setOf("os_id", num(0)),
		want: []string{"os_id"}},

	// ---- fog_group list resource ----
	{kind: "list", typeName: "fog_group", name: "name_regex invalid", attr: "name_regex", set: setOf("name_regex", str("lab(")),
		want: []string{"regular expression"}},
	{kind: "list", typeName: "fog_group", name: "search with a slash", attr: "search", set: setOf("search", str("a/b")),
		want: []string{`"/"`}},
	{kind: "list", typeName: "fog_group", name: "host_id 0", attr: "host_id", set: setOf("host_id", num(0)),
		want: []string{"host_id"}},
}

// diagPointsAt reports whether d points at attr (its first step).
func diagPointsAt(d *tfprotov6.Diagnostic, attr string) bool {
	return d != nil && d.Attribute != nil && len(d.Attribute.Steps()) > 0 &&
		d.Attribute.Steps()[0] == tftypes.AttributeName(attr)
}

// expectProtoDiagAt expects a diagnostic of severity sev with the parts,
// pointing at attr.
func expectProtoDiagAt(t *testing.T, where string, diags []*tfprotov6.Diagnostic, sev tfprotov6.DiagnosticSeverity, attr string, parts ...string) {
	t.Helper()
	d := findProtoDiag(diags, sev, parts...)
	switch {
	case d == nil:
		t.Errorf("%s: no %v diagnostic with %q: %s", where, sev, parts, describeProtoDiags(diags))
	case !diagPointsAt(d, attr):
		t.Errorf("%s: the diagnostic points at %v, want %s", where, d.Attribute, attr)
	}
}

func newProtocolBadInputFixtures(t *testing.T, env *protocolEnv) *protocolBadInputFixtures {
	t.Helper()
	fx := &protocolBadInputFixtures{env: env}
	fx.image = env.seedImage(t, "bad-image", false)
	fx.protected = env.seedImage(t, "bad-protected", true)
	fx.other = env.seedImage(t, "bad-other", false)
	fx.hostWithImage = env.seedHost(t, "bad-host", fx.image)
	fx.hostProtected = env.seedHost(t, "bad-protected", fx.protected)
	fx.hostWithoutImage = env.seedHost(t, "bad-noimage", 0)
	fx.soon = env.invokeTimeout(t, "soon")
	return fx
}

// runProtocolBadInputs runs every row against one emulator and returns the
// numbers refused by validation (or PlanAction), warned at plan and refused
// at invoke before any write, and refused at invoke before any write.
func runProtocolBadInputs(t *testing.T) (atPlan, warnedAtPlan, atInvoke int) {
	env := newProtocolEnv(t, nil)
	fx := newProtocolBadInputFixtures(t, env)
	ctx := context.Background()
	baseline := snapshot(env.Emulator)
	for _, c := range protocolBadInputs {
		t.Run(c.kind+" "+c.typeName+": "+c.name, func(t *testing.T) {
			set := c.set(fx)
			total, _ := env.requestDelta(func() {
				switch c.kind {
				case "action":
					cfg := env.taskActionConfig(t, set)
					val, err := env.Server.ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: taskActionType, Config: cfg})
					if err != nil {
						t.Fatal(err)
					}
					if !c.serverState && !c.planOnly && !c.atInvoke {
						expectProtoDiagAt(t, "ValidateActionConfig", val.Diagnostics, tfprotov6.DiagnosticSeverityError, c.attr, c.want...)
						return
					}
					expectNoProtoErrors(t, "ValidateActionConfig", val.Diagnostics)
					plan, err := env.Server.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: taskActionType, Config: cfg})
					if err != nil {
						t.Fatal(err)
					}
					if c.planOnly {
						expectProtoDiagAt(t, "PlanAction", plan.Diagnostics, tfprotov6.DiagnosticSeverityError, c.attr, c.want...)
						return
					}
					expectNoProtoErrors(t, "PlanAction", plan.Diagnostics)
					if c.serverState {
						expectProtoDiagAt(t, "PlanAction", plan.Diagnostics, tfprotov6.DiagnosticSeverityWarning, c.attr, c.want...)
					}
					before := len(env.Emulator.Requests())
					run := env.invoke(t, cfg, nil)
					expectProtoDiagAt(t, "InvokeAction", run.Diags, tfprotov6.DiagnosticSeverityError, c.attr, c.want...)
					for _, r := range env.Emulator.Requests()[before:] {
						if r.Method != "GET" && r.Status >= 200 && r.Status < 300 {
							t.Errorf("InvokeAction: %s %s was answered %d: the action wrote before refusing", r.Method, r.Path, r.Status)
						}
					}
				case "list":
					s := env.Schema.ListResourceSchemas[c.typeName]
					val, err := env.Server.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{
						TypeName: c.typeName, Config: dynamic(t, env.object(t, s, set)),
					})
					if err != nil {
						t.Fatal(err)
					}
					expectProtoDiagAt(t, "ValidateListResourceConfig", val.Diagnostics, tfprotov6.DiagnosticSeverityError, c.attr, c.want...)
					got := env.listResources(t, c.typeName, set, false, 100)
					if len(got) != 1 {
						t.Fatalf("want one result carrying the error, got %+v", got)
					}
					expectProtoDiagAt(t, "ListResource", got[0].Diags, tfprotov6.DiagnosticSeverityError, c.attr, c.want...)
				}
			})
			if !c.serverState && !c.planOnly && !c.atInvoke && total != 0 {
				t.Errorf("%d requests sent for a configuration refused without the server", total)
			}
		})
		switch {
		case c.serverState:
			warnedAtPlan++
		case c.atInvoke:
			atInvoke++
		default:
			atPlan++
		}
	}
	expectSameSnapshot(t, baseline, snapshot(env.Emulator))
	return atPlan, warnedAtPlan, atInvoke
}

// TestBadInputsProtocol runs the action and list resource rows (TestAccBadInputs
// runs them too, for its figure).
func TestBadInputsProtocol(t *testing.T) {
	t.Parallel()
	runProtocolBadInputs(t)
}

// noBadInputs are the types no configuration can get wrong: they take no
// argument.
var noBadInputs = map[string]string{
	"data fog_storage_groups": "takes no argument",
}

// TestBadInputsCoverEveryType: the tables have rows for every resource,
// data source, action and list resource the provider serves (but those of
// noBadInputs), and for the provider's configuration.
func TestBadInputsCoverEveryType(t *testing.T) {
	t.Parallel()
	ps, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := ps.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range badInputs {
		switch {
		case c.target == "provider":
			covered["provider"] = true
		case strings.HasPrefix(c.target, "data "):
			covered[c.target] = true
		case strings.HasSuffix(c.target, " (data)"):
			covered["data "+strings.TrimSuffix(c.target, " (data)")] = true
		case schema.ResourceSchemas[c.target] != nil:
			covered["resource "+c.target] = true
		case schema.DataSourceSchemas[c.target] != nil:
			covered["data "+c.target] = true
		default:
			t.Errorf("row %q: target %q is neither a resource nor a data source", c.name, c.target)
		}
	}
	for _, c := range protocolBadInputs {
		covered[c.kind+" "+c.typeName] = true
	}
	want := []string{"provider"}
	for name := range schema.ResourceSchemas {
		want = append(want, "resource "+name)
	}
	for name := range schema.DataSourceSchemas {
		want = append(want, "data "+name)
	}
	for name := range schema.ActionSchemas {
		want = append(want, "action "+name)
	}
	for name := range schema.ListResourceSchemas {
		want = append(want, "list "+name)
	}
	for _, w := range want {
		if _, exempt := noBadInputs[w]; !covered[w] && !exempt {
			t.Errorf("no bad-input row for %s", w)
		}
	}
}
