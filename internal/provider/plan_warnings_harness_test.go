// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// Checks against the server's state warn at plan and fail at apply
// (serverChecksAtPlan). terraform-plugin-testing only matches errors, so a
// test that asserts the warning serves the provider through a diagRecorder,
// which keeps the diagnostics of every plan and apply of a resource as the
// provider returned them, with the attribute they point at.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// recordedDiag is one diagnostic a resource's plan or apply returned.
type recordedDiag struct {
	label string // what the test was doing (diagRecorder.setLabel)
	rpc   string // "plan" or "apply"
	typ   string // the resource type
	diag  *tfprotov6.Diagnostic
}

type diagRecorder struct {
	mu    sync.Mutex
	label string
	diags []recordedDiag
}

// setLabel tags the diagnostics recorded from now on (a case name).
func (r *diagRecorder) setLabel(label string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.label = label
}

func (r *diagRecorder) add(rpc, typ string, diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		r.diags = append(r.diags, recordedDiag{label: r.label, rpc: rpc, typ: typ, diag: d})
	}
}

// factories serves the provider like testAccProtoV6ProviderFactories,
// recording into r.
func (r *diagRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"fog": func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(New("test")())()
			if err != nil {
				return nil, err
			}
			ps, ok := s.(protocolServer)
			if !ok {
				return nil, fmt.Errorf("the provider server %T does not serve actions and list resources", s)
			}
			return recordingServer{protocolServer: ps, rec: r}, nil
		},
	}
}

type recordingServer struct {
	protocolServer
	rec *diagRecorder
}

func (s recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.protocolServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.add("plan", req.TypeName, resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.protocolServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.add("apply", req.TypeName, resp.Diagnostics)
	}
	return resp, err
}

// planWarning returns a problem unless the plans of typ under label warned,
// on attr (its first step), with text matching want, and none failed.
func (r *diagRecorder) planWarning(label, typ, attr string, want *regexp.Regexp) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var seen []string
	found := false
	for _, d := range r.diags {
		if d.label != label || d.rpc != "plan" || d.typ != typ {
			continue
		}
		text := d.diag.Summary + ": " + d.diag.Detail
		seen = append(seen, fmt.Sprintf("[%s on %v] %s", d.diag.Severity, d.diag.Attribute, text))
		if d.diag.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Sprintf("the plan of %s failed: %s", typ, text)
		}
		if d.diag.Severity == tfprotov6.DiagnosticSeverityWarning && want.MatchString(text) &&
			d.diag.Attribute != nil && strings.HasPrefix(d.diag.Attribute.String(), `AttributeName("`+attr+`")`) {
			found = true
		}
	}
	if !found {
		return fmt.Sprintf("no plan warning of %s on %s matching %s; the plans returned %q", typ, attr, want, seen)
	}
	return ""
}

// expectPlanWarning fails t unless the plans of typ under label warned on
// attr with want's phrases, in order, and none failed.
func (r *diagRecorder) expectPlanWarning(t *testing.T, label, typ, attr string, want ...string) {
	t.Helper()
	if p := r.planWarning(label, typ, attr, expectError(want...)); p != "" {
		t.Error(p)
	}
}

// planWarned reports whether a plan of typ under label warned with text
// matching want.
func (r *diagRecorder) planWarned(label, typ string, want *regexp.Regexp) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.diags {
		if d.label == label && d.rpc == "plan" && d.typ == typ && d.diag.Severity == tfprotov6.DiagnosticSeverityWarning &&
			want.MatchString(d.diag.Summary+": "+d.diag.Detail) {
			return true
		}
	}
	return false
}
