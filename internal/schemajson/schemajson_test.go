// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package schemajson

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/provider"
)

// TestConvert: every part of a schema comes out as Terraform 1.14's
// `providers schema -json` writes it (internal/command/jsonprovider):
// description kinds always present, nested attributes, blocks with their nesting mode and limits, identities, actions and list
// resources.
func TestConvert(t *testing.T) {
	t.Parallel()
	resp := &tfprotov6.GetProviderSchemaResponse{
		Provider: &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "token", Type: tftypes.String, Optional: true, Sensitive: true, Description: "The `token`.", DescriptionKind: tfprotov6.StringKindMarkdown},
		}}},
		ResourceSchemas: map[string]*tfprotov6.Schema{
			"x_thing": {Version: 2, Block: &tfprotov6.SchemaBlock{
				Description: "A thing.", DescriptionKind: tfprotov6.StringKindMarkdown,
				Attributes: []*tfprotov6.SchemaAttribute{
					{Name: "id", Type: tftypes.String, Computed: true},
					{Name: "tags", Type: tftypes.Map{ElementType: tftypes.String}, Optional: true, Deprecated: true},
					{Name: "shape", Type: tftypes.Object{
						AttributeTypes: map[string]tftypes.Type{
							"sides": tftypes.Set{ElementType: tftypes.Number}, "pair": tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.Bool, tftypes.DynamicPseudoType}},
							"note": tftypes.String,
						},
						OptionalAttributes: map[string]struct{}{"note": {}},
					}, Computed: true},
					{Name: "secret", Type: tftypes.String, Optional: true, WriteOnly: true},
					{Name: "ports", Required: true, NestedType: &tfprotov6.SchemaObject{
						Nesting:    tfprotov6.SchemaObjectNestingModeList,
						Attributes: []*tfprotov6.SchemaAttribute{{Name: "n", Type: tftypes.Number, Required: true}},
					}},
				},
				BlockTypes: []*tfprotov6.SchemaNestedBlock{
					{TypeName: "rule", Nesting: tfprotov6.SchemaNestedBlockNestingModeSet, MinItems: 1, MaxItems: 3,
						Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "on", Type: tftypes.Bool, Optional: true}}}},
				},
			}},
		},
		ActionSchemas: map[string]*tfprotov6.ActionSchema{
			"x_do": {Schema: &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{
				Attributes: []*tfprotov6.SchemaAttribute{{Name: "what", Type: tftypes.String, Required: true}},
				BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "timeouts", Nesting: tfprotov6.SchemaNestedBlockNestingModeSingle,
					Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "invoke", Type: tftypes.String, Optional: true}}}}},
			}}},
		},
		ListResourceSchemas: map[string]*tfprotov6.Schema{
			"x_thing": {Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "filter", Type: tftypes.String, Optional: true}}}},
		},
	}
	identities := &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{
		"x_thing": {Version: 1, IdentityAttributes: []*tfprotov6.ResourceIdentitySchemaAttribute{
			{Name: "id", Type: tftypes.Number, RequiredForImport: true, Description: "Its id."},
			{Name: "zone", Type: tftypes.List{ElementType: tftypes.String}, OptionalForImport: true},
		}},
	}}

	got, err := Convert(resp, identities)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "provider": {"version": 0, "block": {
    "attributes": {"token": {"type": "string", "description": "The ` + "`token`" + `.", "description_kind": "markdown", "optional": true, "sensitive": true}},
    "description_kind": "plain"}},
  "resource_schemas": {"x_thing": {"version": 2, "block": {
    "attributes": {
      "id": {"type": "string", "description_kind": "plain", "computed": true},
      "tags": {"type": ["map", "string"], "description_kind": "plain", "deprecated": true, "optional": true},
      "shape": {"type": ["object", {"sides": ["set", "number"], "pair": ["tuple", ["bool", "dynamic"]], "note": "string"}, ["note"]],
        "description_kind": "plain", "computed": true},
      "secret": {"type": "string", "description_kind": "plain", "optional": true, "write_only": true},
      "ports": {"nested_type": {"attributes": {"n": {"type": "number", "description_kind": "plain", "required": true}}, "nesting_mode": "list"},
        "description_kind": "plain", "required": true}},
    "block_types": {"rule": {"nesting_mode": "set", "min_items": 1, "max_items": 3, "block": {
      "attributes": {"on": {"type": "bool", "description_kind": "plain", "optional": true}}, "description_kind": "plain"}}},
    "description": "A thing.", "description_kind": "markdown"}}},
  "action_schemas": {"x_do": {"block": {
    "attributes": {"what": {"type": "string", "description_kind": "plain", "required": true}},
    "block_types": {"timeouts": {"nesting_mode": "single", "block": {
      "attributes": {"invoke": {"type": "string", "description_kind": "plain", "optional": true}}, "description_kind": "plain"}}},
    "description_kind": "plain"}}},
  "resource_identity_schemas": {"x_thing": {"version": 1, "attributes": {
    "id": {"type": "number", "description": "Its id.", "required_for_import": true},
    "zone": {"type": ["list", "string"], "optional_for_import": true}}}},
  "list_resource_schemas": {"x_thing": {"version": 0, "block": {
    "attributes": {"filter": {"type": "string", "description_kind": "plain", "optional": true}}, "description_kind": "plain"}}}
}`
	gotJSON, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, gotJSON, []byte(want)) {
		t.Errorf("got\n%s\nwant\n%s", indent(t, gotJSON), indent(t, []byte(want)))
	}
}

// TestConvertRefuses: what the format cannot carry yet is an error, not a
// silent gap in the documentation.
func TestConvertRefuses(t *testing.T) {
	t.Parallel()
	_, err := Convert(&tfprotov6.GetProviderSchemaResponse{Functions: map[string]*tfprotov6.Function{"f": {}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "functions") {
		t.Errorf("functions: %v", err)
	}
	_, err = Convert(&tfprotov6.GetProviderSchemaResponse{ResourceSchemas: map[string]*tfprotov6.Schema{
		"x": {Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "untyped", Optional: true}}}},
	}}, nil)
	if err == nil || !strings.Contains(err.Error(), "resource x: untyped") {
		t.Errorf("untyped attribute: %v", err)
	}
}

// TestSchemaMatchesTerraform: for everything the acceptance-test CLI knows,
// the schema rendered from the provider is exactly what the CLI's
// `providers schema -json` prints, so docs rendered from it are the docs a
// CLI would give; what the CLI predates (actions, list resources, and
// identities before Terraform 1.12) comes from the provider alone.
func TestSchemaMatchesTerraform(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("needs a Terraform CLI: runs with TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-fog"), "github.com/fogproject/terraform-provider-fog")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeFile(t, cliConfig, "provider_installation {\n  dev_overrides {\n    \""+provider.Address+"\" = \""+bin+"\"\n  }\n  direct {}\n}\n")
	wd := filepath.Join(dir, "wd")
	writeFile(t, filepath.Join(wd, "main.tf"), "terraform {\n  required_providers {\n    fog = { source = \"registry.terraform.io/fogproject/fog\" }\n  }\n}\n")

	cmd := exec.Command(cli, "providers", "schema", "-json")
	cmd.Dir = wd
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s providers schema -json: %v\n%s", cli, err, stderr.String())
	}
	var fromCLI tfjson.ProviderSchemas
	if err := json.Unmarshal(out, &fromCLI); err != nil {
		t.Fatalf("decode the CLI's schema: %v", err)
	}
	cliSchema := fromCLI.Schemas[provider.Address]
	if cliSchema == nil {
		t.Fatalf("the CLI printed no schema for %s", provider.Address)
	}

	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	ours, err := FromServer(context.Background(), server, provider.Address)
	if err != nil {
		t.Fatal(err)
	}
	if ours.FormatVersion != fromCLI.FormatVersion {
		t.Errorf("format version %s, the CLI's %s", ours.FormatVersion, fromCLI.FormatVersion)
	}
	own := ours.Schemas[provider.Address]
	for _, part := range []struct {
		name      string
		cli, ours any
		cliHas    bool
	}{
		{"provider", cliSchema.ConfigSchema, own.ConfigSchema, true},
		{"resource_schemas", cliSchema.ResourceSchemas, own.ResourceSchemas, true},
		{"data_source_schemas", cliSchema.DataSourceSchemas, own.DataSourceSchemas, true},
		{"resource_identity_schemas", cliSchema.ResourceIdentitySchemas, own.ResourceIdentitySchemas, len(cliSchema.ResourceIdentitySchemas) > 0},
		{"action_schemas", cliSchema.ActionSchemas, own.ActionSchemas, len(cliSchema.ActionSchemas) > 0},
		{"list_resource_schemas", cliSchema.ListResourceSchemas, own.ListResourceSchemas, len(cliSchema.ListResourceSchemas) > 0},
	} {
		if !part.cliHas {
			t.Logf("%s: the CLI does not know them; rendered from the provider only", part.name)
			continue
		}
		a, errA := json.Marshal(part.cli)
		b, errB := json.Marshal(part.ours)
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v %v", part.name, errA, errB)
		}
		if !bytes.Contains(out, []byte(`"write_only"`)) && bytes.Contains(b, []byte(`"write_only"`)) {
			// A CLI older than 1.11 knows no write-only attributes and
			// prints none: compare the rest.
			t.Logf("%s: the CLI does not know write-only attributes; compared without them", part.name)
			b = withoutKey(t, b, "write_only")
		}
		if !jsonEqual(t, a, b) {
			t.Errorf("%s differs from the CLI's:\nCLI:  %s\nours: %s", part.name, a, b)
		}
	}
	if own.ActionSchemas["fog_task"] == nil {
		t.Error("the rendered schema lacks the fog_task action")
	}
	for _, typ := range []string{"fog_image", "fog_host"} {
		if own.ListResourceSchemas[typ] == nil || own.ResourceIdentitySchemas[typ] == nil {
			t.Errorf("the rendered schema lacks the %s list resource or the %s identity", typ, typ)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	return bytes.Equal(indent(t, a), indent(t, b))
}

// withoutKey removes key from every object of the JSON document raw.
func withoutKey(t *testing.T, raw []byte, key string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", raw, err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, key)
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// indent normalises JSON (key order, spacing) for comparison and messages.
func indent(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", raw, err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
