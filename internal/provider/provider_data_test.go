// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// rpcMethods are the methods Terraform calls with a context the provider
// may log with; each must mask the secrets first (ProviderData.LogContext),
// because tflog masks are carried by the context and Configure's masks do
// not reach later RPCs.
var rpcMethods = map[string]bool{
	"Create": true, "Read": true, "Update": true, "Delete": true,
	"ModifyPlan": true, "ImportState": true, "ValidateConfig": true,
}

// TestEveryRPCMasksSecrets reads the provider's source: every resource and
// data source RPC method that uses its context starts with
// "ctx = <x>.data.LogContext(ctx)".
func TestEveryRPCMasksSecrets(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !rpcMethods[fn.Name.Name] || len(fn.Type.Params.List) == 0 {
				continue
			}
			recv := receiverType(fn)
			if recv == "fogProvider" { // the provider itself: Configure builds the masks
				continue
			}
			first := fn.Type.Params.List[0]
			if len(first.Names) == 0 || first.Names[0].Name == "_" {
				continue // the context is not used, so nothing can log with it
			}
			checked++
			if !startsWithLogContext(fn) {
				t.Errorf("%s: (%s).%s does not start with ctx = %s.data.LogContext(ctx)", fset.Position(fn.Pos()), recv, fn.Name.Name,
					fn.Recv.List[0].Names[0].Name)
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d RPC methods found: the check is not looking at the provider's source", checked)
	}
}

func receiverType(fn *ast.FuncDecl) string {
	switch t := fn.Recv.List[0].Type.(type) {
	case *ast.StarExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name
		}
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// startsWithLogContext matches `ctx = r.data.LogContext(ctx)` as the first statement.
func startsWithLogContext(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return false
	}
	assign, ok := fn.Body.List[0].(*ast.AssignStmt)
	if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
		return false
	}
	lhs, ok := assign.Lhs[0].(*ast.Ident)
	if !ok || lhs.Name != fn.Type.Params.List[0].Names[0].Name {
		return false
	}
	call, ok := assign.Rhs[0].(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "LogContext"
}

// TestCheckImageExists_createdInThisProcess: assigning an image checks that
// FOG has it (FOG stores any number). An image the same provider process
// created, in the same apply, is known to exist and costs no request; one it
// deleted since, or any other id, is read by id.
func TestCheckImageExists_createdInThisProcess(t *testing.T) {
	ctx := context.Background()
	h := newResourceHarness[*imageResource, imageModel](t, func(d *ProviderData) *imageResource {
		return &imageResource{data: d}
	})
	d := h.r.data
	check := func(step string, id int64, wantOK bool, wantGETs int64) {
		t.Helper()
		h.srv.ResetCounters()
		var diags diag.Diagnostics
		if ok := d.checkImageExists(ctx, h.client, id, "assign", "the image of host 1", "no such image", &diags); ok != wantOK {
			t.Errorf("%s: checkImageExists(%d) = %v, want %v (%v)", step, id, ok, wantOK, diags)
		}
		if got := h.srv.Count(routeGetImage); got != wantGETs {
			t.Errorf("%s: %d GET /fog/image/{id}, want %d", step, got, wantGETs)
		}
	}

	// Created through fog_image's Create: no request to check it.
	planned := plannedImage()
	createResp := &resource.CreateResponse{State: h.state(t, nil)}
	h.r.Create(ctx, resource.CreateRequest{Plan: h.plan(t, &planned)}, createResp)
	if createResp.Diagnostics.HasError() {
		t.Fatalf("create: %v", createResp.Diagnostics)
	}
	var created imageModel
	createResp.Diagnostics.Append(createResp.State.Get(ctx, &created)...)
	id := mustID(t, created.ID.ValueString())
	check("created by this process", id, true, 0)

	// An image of the server this process did not create: read by id.
	other, err := h.srv.SeedImage("created-elsewhere")
	mustEmulator(t, "seed image", err)
	check("created elsewhere", other, true, 1)

	// Deleted through fog_image's Delete: read by id again, and refused.
	created.ForceDestroy = types.BoolValue(true)
	deleteResp := &resource.DeleteResponse{State: h.state(t, &created)}
	h.r.Delete(ctx, resource.DeleteRequest{State: h.state(t, &created)}, deleteResp)
	if deleteResp.Diagnostics.HasError() {
		t.Fatalf("delete: %v", deleteResp.Diagnostics)
	}
	check("deleted by this process", id, false, 1)
}
