// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package schemajson renders a protocol 6 provider's schemas in the format
// of `terraform providers schema -json` (format 1.0, as Terraform 1.14
// writes it), straight from the provider server, without a Terraform CLI.
//
// tfplugindocs reads that format (--providers-schema) to document every
// object of the provider. Asking a CLI for it only documents what the CLI
// knows: Terraform 1.5.7 and OpenTofu 1.12, which this project builds with,
// predate actions and list resources (Terraform 1.14) and resource identity
// (Terraform 1.12). Rendering it from the provider itself documents all of
// them; TestSchemaMatchesTerraform checks the result against a real CLI's
// output for everything that CLI knows.
package schemajson

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// FormatVersion is the version of the `terraform providers schema -json`
// format this package writes.
const FormatVersion = "1.0"

// FromServer asks the provider server for its schemas (GetProviderSchema
// and GetResourceIdentitySchemas) and returns them
// keyed by address, as `terraform providers schema -json` prints them.
func FromServer(ctx context.Context, server tfprotov6.ProviderServer, address string) (*tfjson.ProviderSchemas, error) {
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema: %w", err)
	}
	if err := diagnosticsError("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetResourceIdentitySchemas: %w", err)
	}
	if err := diagnosticsError("GetResourceIdentitySchemas", identities.Diagnostics); err != nil {
		return nil, err
	}
	ps, err := Convert(resp, identities)
	if err != nil {
		return nil, err
	}
	return &tfjson.ProviderSchemas{FormatVersion: FormatVersion, Schemas: map[string]*tfjson.ProviderSchema{address: ps}}, nil
}

// Convert turns the protocol's schemas into the JSON format's. identities
// may be nil. Functions are refused rather than left out, so that nothing
// the provider serves is silently missing from its documentation.
func Convert(resp *tfprotov6.GetProviderSchemaResponse, identities *tfprotov6.GetResourceIdentitySchemasResponse) (*tfjson.ProviderSchema, error) {
	if len(resp.Functions) > 0 {
		return nil, errors.New("schemajson: provider functions are not rendered yet")
	}
	var errs []error
	schema := func(kind, name string, s *tfprotov6.Schema) *tfjson.Schema {
		out, err := convertSchema(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", kind, name, err))
		}
		return out
	}
	schemas := func(kind string, in map[string]*tfprotov6.Schema) map[string]*tfjson.Schema {
		if len(in) == 0 {
			return nil
		}
		out := make(map[string]*tfjson.Schema, len(in))
		for name, s := range in {
			out[name] = schema(kind, name, s)
		}
		return out
	}

	ps := &tfjson.ProviderSchema{
		ConfigSchema:             schema("provider", "configuration", resp.Provider),
		ResourceSchemas:          schemas("resource", resp.ResourceSchemas),
		DataSourceSchemas:        schemas("data source", resp.DataSourceSchemas),
		EphemeralResourceSchemas: schemas("ephemeral resource", resp.EphemeralResourceSchemas),
		// Terraform nests a list resource's schema under a "config" block
		// and unwraps it again for this format: it is the provider's own.
		ListResourceSchemas: schemas("list resource", resp.ListResourceSchemas),
	}
	if len(resp.ActionSchemas) > 0 {
		ps.ActionSchemas = make(map[string]*tfjson.ActionSchema, len(resp.ActionSchemas))
		for name, a := range resp.ActionSchemas {
			if a == nil || a.Schema == nil {
				errs = append(errs, fmt.Errorf("action %s: no schema", name))
				continue
			}
			block, err := convertBlock(a.Schema.Block)
			if err != nil {
				errs = append(errs, fmt.Errorf("action %s: %w", name, err))
			}
			ps.ActionSchemas[name] = &tfjson.ActionSchema{Block: block}
		}
	}
	if identities != nil && len(identities.IdentitySchemas) > 0 {
		ps.ResourceIdentitySchemas = make(map[string]*tfjson.IdentitySchema, len(identities.IdentitySchemas))
		for name, s := range identities.IdentitySchemas {
			is, err := convertIdentity(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("identity of %s: %w", name, err))
			}
			ps.ResourceIdentitySchemas[name] = is
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ps, nil
}

func convertSchema(s *tfprotov6.Schema) (*tfjson.Schema, error) {
	if s == nil {
		return &tfjson.Schema{}, nil
	}
	block, err := convertBlock(s.Block)
	if err != nil {
		return nil, err
	}
	if s.Version < 0 {
		return nil, fmt.Errorf("negative schema version %d", s.Version)
	}
	return &tfjson.Schema{Version: uint64(s.Version), Block: block}, nil
}

func convertBlock(b *tfprotov6.SchemaBlock) (*tfjson.SchemaBlock, error) {
	if b == nil {
		return &tfjson.SchemaBlock{}, nil
	}
	out := &tfjson.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	var errs []error
	if len(b.Attributes) > 0 {
		out.Attributes = make(map[string]*tfjson.SchemaAttribute, len(b.Attributes))
		for _, a := range b.Attributes {
			ca, err := convertAttribute(a)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", a.Name, err))
			}
			out.Attributes[a.Name] = ca
		}
	}
	if len(b.BlockTypes) > 0 {
		out.NestedBlocks = make(map[string]*tfjson.SchemaBlockType, len(b.BlockTypes))
		for _, nb := range b.BlockTypes {
			block, err := convertBlock(nb.Block)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", nb.TypeName, err))
			}
			mode, err := blockNesting(nb.Nesting)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", nb.TypeName, err))
			}
			out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{
				NestingMode: mode, Block: block, MinItems: nonNegative(nb.MinItems), MaxItems: nonNegative(nb.MaxItems),
			}
		}
	}
	return out, errors.Join(errs...)
}

func convertAttribute(a *tfprotov6.SchemaAttribute) (*tfjson.SchemaAttribute, error) {
	out := &tfjson.SchemaAttribute{
		Description:     a.Description,
		DescriptionKind: descriptionKind(a.DescriptionKind),
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	switch {
	case a.NestedType != nil:
		nested, err := convertObject(a.NestedType)
		if err != nil {
			return nil, err
		}
		out.AttributeNestedType = nested
	case a.Type != nil:
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, err
		}
		out.AttributeType = t
	default:
		return nil, errors.New("neither a type nor a nested type")
	}
	return out, nil
}

// convertObject renders a nested attribute type: its attributes and its
// nesting mode, as Terraform writes it.
func convertObject(o *tfprotov6.SchemaObject) (*tfjson.SchemaNestedAttributeType, error) {
	mode, err := objectNesting(o.Nesting)
	if err != nil {
		return nil, err
	}
	out := &tfjson.SchemaNestedAttributeType{NestingMode: mode, Attributes: make(map[string]*tfjson.SchemaAttribute, len(o.Attributes))}
	var errs []error
	for _, a := range o.Attributes {
		ca, err := convertAttribute(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Name, err))
		}
		out.Attributes[a.Name] = ca
	}
	return out, errors.Join(errs...)
}

func convertIdentity(s *tfprotov6.ResourceIdentitySchema) (*tfjson.IdentitySchema, error) {
	if s.Version < 0 {
		return nil, fmt.Errorf("negative identity schema version %d", s.Version)
	}
	out := &tfjson.IdentitySchema{Version: uint64(s.Version), Attributes: make(map[string]*tfjson.IdentityAttribute, len(s.IdentityAttributes))}
	var errs []error
	for _, a := range s.IdentityAttributes {
		t, err := ctyType(a.Type)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", a.Name, err))
		}
		out.Attributes[a.Name] = &tfjson.IdentityAttribute{
			IdentityType: t, Description: a.Description, RequiredForImport: a.RequiredForImport, OptionalForImport: a.OptionalForImport,
		}
	}
	return out, errors.Join(errs...)
}

// ctyType converts a protocol type to the cty type Terraform writes.
func ctyType(t tftypes.Type) (cty.Type, error) {
	switch {
	case t == nil:
		return cty.NilType, errors.New("no type")
	case t.Is(tftypes.String):
		return cty.String, nil
	case t.Is(tftypes.Number):
		return cty.Number, nil
	case t.Is(tftypes.Bool):
		return cty.Bool, nil
	case t.Is(tftypes.DynamicPseudoType):
		return cty.DynamicPseudoType, nil
	}
	switch t := t.(type) {
	case tftypes.List:
		elem, err := ctyType(t.ElementType)
		return cty.List(elem), err
	case tftypes.Set:
		elem, err := ctyType(t.ElementType)
		return cty.Set(elem), err
	case tftypes.Map:
		elem, err := ctyType(t.ElementType)
		return cty.Map(elem), err
	case tftypes.Tuple:
		elems := make([]cty.Type, len(t.ElementTypes))
		for i, e := range t.ElementTypes {
			var err error
			if elems[i], err = ctyType(e); err != nil {
				return cty.NilType, err
			}
		}
		return cty.Tuple(elems), nil
	case tftypes.Object:
		attrs := make(map[string]cty.Type, len(t.AttributeTypes))
		for name, a := range t.AttributeTypes {
			var err error
			if attrs[name], err = ctyType(a); err != nil {
				return cty.NilType, err
			}
		}
		var optional []string
		for name := range t.OptionalAttributes {
			optional = append(optional, name)
		}
		if len(optional) > 0 {
			return cty.ObjectWithOptionalAttrs(attrs, optional), nil
		}
		return cty.Object(attrs), nil
	}
	return cty.NilType, fmt.Errorf("unsupported type %s", t)
}

// descriptionKind is "plain" unless the description is markdown, as
// Terraform writes it (even for an empty description).
func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

func blockNesting(m tfprotov6.SchemaNestedBlockNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return tfjson.SchemaNestingModeGroup, nil
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	}
	return "", fmt.Errorf("unknown block nesting mode %v", m)
}

func objectNesting(m tfprotov6.SchemaObjectNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaObjectNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaObjectNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaObjectNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	}
	return "", fmt.Errorf("unknown nested attribute nesting mode %v", m)
}

func nonNegative(n int64) uint64 {
	if n < 0 {
		return 0
	}
	return uint64(n)
}

func diagnosticsError(rpc string, diags []*tfprotov6.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", rpc, strings.Join(msgs, "; "))
}
