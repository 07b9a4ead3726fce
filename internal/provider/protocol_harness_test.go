// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The provider served over protocol 6 in-process, as Terraform runs it,
// configured against a fresh emulator: for what our CI's Terraform 1.5.7
// and OpenTofu 1.12.6 cannot exercise (actions, list resources, resource
// identity), the tests call the RPCs a newer Terraform calls, with
// configurations built as tftypes values from the schemas the provider
// itself returns, and read every stream to its end.

import (
	"context"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// protocolServer is what providerserver serves: the ProviderServer
// interface plus the action and list RPCs (not yet part of it).
type protocolServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
	tfprotov6.ListResourceServer
}

type protocolEnv struct {
	// Emulator is the FOG server; Client reaches it outside the provider
	// (fixtures, and changes "outside Terraform").
	Emulator *fogtest.Server
	Client   *fogclient.Client
	// Server is the provider, configured for Emulator.
	Server protocolServer
	Schema *tfprotov6.GetProviderSchemaResponse
}

// newProtocolEnv starts an emulator (its handler optionally wrapped, to act
// at a precise point of the provider's requests) and a provider server
// configured for it.
func newProtocolEnv(t *testing.T, wrap func(srv *fogtest.Server, next http.Handler) http.Handler) *protocolEnv {
	t.Helper()
	emu := fogtest.New(fogtest.Options{})
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu, emu)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)

	ps, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatalf("provider server: %v", err)
	}
	unlogged, ok := ps.(protocolServer)
	if !ok {
		t.Fatalf("the provider server %T does not serve actions and list resources", ps)
	}
	server := withRPCLogging(t, unlogged) // the secret scan reads what the RPCs log
	env := &protocolEnv{Emulator: emu, Server: server}
	ctx := context.Background()
	env.Schema, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	expectNoProtoErrors(t, "GetProviderSchema", env.Schema.Diagnostics)

	cfg := env.object(t, env.Schema.Provider, map[string]tftypes.Value{
		"server_url": str(ts.URL),
		"api_token":  str(emu.APITokenHeader()),
		"user_token": str(emu.UserTokenHeader()),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: dynamic(t, cfg)})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	expectNoProtoErrors(t, "ConfigureProvider", resp.Diagnostics)

	c := fogclient.DefaultConfig()
	c.ServerURL, c.APIToken, c.UserToken = ts.URL, emu.APITokenHeader(), emu.UserTokenHeader()
	if env.Client, err = fogclient.New(c); err != nil {
		t.Fatalf("fogclient.New: %v", err)
	}
	return env
}

// object builds a configuration (or state) value of schema s: the given
// attributes and blocks, every other one null, as Terraform sends an
// unset argument.
func (e *protocolEnv) object(t *testing.T, s *tfprotov6.Schema, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %s is not an object", s.ValueType())
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		at, ok := typ.AttributeTypes[name]
		if !ok {
			t.Fatalf("the schema has no attribute or block %q", name)
		}
		if !v.Type().Equal(at) && !v.Type().Is(tftypes.DynamicPseudoType) {
			t.Fatalf("%s: value of type %s, the schema says %s", name, v.Type(), at)
		}
		vals[name] = v
	}
	return tftypes.NewValue(typ, vals)
}

// blockValue is a single nested block (such as timeouts) with these
// attributes set, the others null.
func blockValue(t *testing.T, s *tfprotov6.Schema, block string, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %s is not an object", s.ValueType())
	}
	bt, ok := typ.AttributeTypes[block].(tftypes.Object)
	if !ok {
		t.Fatalf("the schema has no block %q", block)
	}
	vals := make(map[string]tftypes.Value, len(bt.AttributeTypes))
	for name, at := range bt.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		vals[name] = v
	}
	return tftypes.NewValue(bt, vals)
}

func str(s string) tftypes.Value          { return tftypes.NewValue(tftypes.String, s) }
func num(n int64) tftypes.Value           { return tftypes.NewValue(tftypes.Number, n) }
func boolean(b bool) tftypes.Value        { return tftypes.NewValue(tftypes.Bool, b) }
func unknownNumber() tftypes.Value        { return tftypes.NewValue(tftypes.Number, tftypes.UnknownValue) }
func unknownString() tftypes.Value        { return tftypes.NewValue(tftypes.String, tftypes.UnknownValue) }
func nullOf(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, nil) }

func dynamic(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatalf("dynamic value: %v", err)
	}
	return &dv
}

// decode turns a DynamicValue the provider returned into a map of its
// top-level attributes.
func decode(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value returned")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		t.Fatalf("decode %s: %v", v, err)
	}
	return out
}

// int64Of and stringOf read known values of a decoded object.
func int64Of(t *testing.T, v tftypes.Value) int64 {
	t.Helper()
	var n big.Float
	if err := v.As(&n); err != nil {
		t.Fatalf("%s is not a number: %v", v, err)
	}
	i, acc := n.Int64()
	if acc != big.Exact {
		t.Fatalf("%s is not an integer", v)
	}
	return i
}

func stringOf(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err != nil {
		t.Fatalf("%s is not a string: %v", v, err)
	}
	return s
}

// ---- diagnostics --------------------------------------------------------------

func protoDiagText(d *tfprotov6.Diagnostic) string { return d.Summary + "\n" + d.Detail }

// findProtoDiag returns the first diagnostic of the severity whose summary
// and detail contain every part, or nil.
func findProtoDiag(diags []*tfprotov6.Diagnostic, sev tfprotov6.DiagnosticSeverity, parts ...string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		if d.Severity != sev {
			continue
		}
		text, ok := protoDiagText(d), true
		for _, p := range parts {
			ok = ok && strings.Contains(text, p)
		}
		if ok {
			return d
		}
	}
	return nil
}

func expectProtoDiag(t *testing.T, diags []*tfprotov6.Diagnostic, sev tfprotov6.DiagnosticSeverity, parts ...string) *tfprotov6.Diagnostic {
	t.Helper()
	d := findProtoDiag(diags, sev, parts...)
	if d == nil {
		t.Errorf("want a %s diagnostic containing %q, got %s", sev, parts, describeProtoDiags(diags))
	}
	return d
}

func expectNoProtoErrors(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s", rpc, describeProtoDiags(diags))
		}
	}
}

func countProtoDiags(diags []*tfprotov6.Diagnostic, sev tfprotov6.DiagnosticSeverity) int {
	n := 0
	for _, d := range diags {
		if d.Severity == sev {
			n++
		}
	}
	return n
}

func describeProtoDiags(diags []*tfprotov6.Diagnostic) string {
	if len(diags) == 0 {
		return "no diagnostics"
	}
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\n  [" + d.Severity.String() + "] " + d.Summary + ": " + d.Detail)
	}
	return b.String()
}

// ---- documented examples --------------------------------------------------------

// exampleBlock parses an example file of the documentation and returns the
// body of its first block of this type and labels.
func exampleBlock(t *testing.T, file, blockType string, labels ...string) *hclsyntax.Body {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", file, diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("%s: not native syntax", file)
	}
	for _, b := range body.Blocks {
		if b.Type == blockType && slices.Equal(b.Labels, labels) {
			return b.Body
		}
	}
	t.Fatalf("%s has no %s %q block", file, blockType, labels)
	return nil
}

// expectBodyFitsSchema checks an example's block against a schema block:
// every argument and nested block it writes exists, and every required
// argument is written, so a renamed or new required argument fails here
// until the documented example follows.
func expectBodyFitsSchema(t *testing.T, where string, body *hclsyntax.Body, schema *tfprotov6.SchemaBlock) {
	t.Helper()
	known := map[string]*tfprotov6.SchemaAttribute{}
	for _, a := range schema.Attributes {
		known[a.Name] = a
	}
	for name := range body.Attributes {
		if known[name] == nil {
			t.Errorf("%s: the example sets %q, which the schema does not have", where, name)
		}
	}
	for _, a := range schema.Attributes {
		if _, set := body.Attributes[a.Name]; a.Required && !set {
			t.Errorf("%s: the example lacks the required argument %q", where, a.Name)
		}
	}
	for _, b := range body.Blocks {
		i := slices.IndexFunc(schema.BlockTypes, func(bt *tfprotov6.SchemaNestedBlock) bool { return bt.TypeName == b.Type })
		if i < 0 {
			t.Errorf("%s: the example has a %s block, which the schema does not have", where, b.Type)
			continue
		}
		expectBodyFitsSchema(t, where+"."+b.Type, b.Body, schema.BlockTypes[i].Block)
	}
}
