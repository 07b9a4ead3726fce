// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The protocol tests call the provider's RPCs directly, not through
// terraform-plugin-go's gRPC server, which is what gives each call its
// loggers: without them every tflog line of the provider (and fogclient's
// request log) would go nowhere, and the secret scan would see nothing of
// the action, list and identity paths. loggingServer gives each RPC the
// loggers Terraform's plugin server would, writing where the acceptance
// tests' in-process providers write (TF_LOG, TF_LOG_PATH_MASK: one file per
// test).

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

// loggingServer is a protocolServer whose RPCs log.
type loggingServer struct {
	protocolServer
	logs context.Context // holds the loggers
}

// withRPCLogging wraps s so that its RPCs log as under Terraform.
func withRPCLogging(t *testing.T, s protocolServer) protocolServer {
	ctx := tfsdklog.ContextWithTestLogging(context.Background(), t.Name())
	ctx = tfsdklog.NewRootSDKLogger(ctx, tfsdklog.WithLogName("sdk.proto"), tfsdklog.WithLevelFromEnv("TF_LOG_SDK"))
	ctx = tfsdklog.NewRootProviderLogger(ctx, tfsdklog.WithLogName("provider"), tfsdklog.WithLevelFromEnv("TF_LOG_PROVIDER"))
	return &loggingServer{protocolServer: s, logs: ctx}
}

// loggedContext has the caller's deadline and cancellation and the loggers.
type loggedContext struct {
	context.Context
	logs context.Context
}

func (c loggedContext) Value(key any) any {
	if v := c.logs.Value(key); v != nil {
		return v
	}
	return c.Context.Value(key)
}

func (s *loggingServer) ctx(ctx context.Context) context.Context {
	return loggedContext{Context: ctx, logs: s.logs}
}

func (s *loggingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.protocolServer.GetProviderSchema(s.ctx(ctx), req)
}

func (s *loggingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return s.protocolServer.ConfigureProvider(s.ctx(ctx), req)
}

func (s *loggingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return s.protocolServer.ValidateResourceConfig(s.ctx(ctx), req)
}

func (s *loggingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return s.protocolServer.ReadResource(s.ctx(ctx), req)
}

func (s *loggingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return s.protocolServer.PlanResourceChange(s.ctx(ctx), req)
}

func (s *loggingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return s.protocolServer.ApplyResourceChange(s.ctx(ctx), req)
}

func (s *loggingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return s.protocolServer.ImportResourceState(s.ctx(ctx), req)
}

func (s *loggingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return s.protocolServer.GetResourceIdentitySchemas(s.ctx(ctx), req)
}

func (s *loggingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return s.protocolServer.ReadDataSource(s.ctx(ctx), req)
}

func (s *loggingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return s.protocolServer.ValidateActionConfig(s.ctx(ctx), req)
}

func (s *loggingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return s.protocolServer.PlanAction(s.ctx(ctx), req)
}

func (s *loggingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return s.protocolServer.InvokeAction(s.ctx(ctx), req)
}

func (s *loggingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.protocolServer.ValidateListResourceConfig(s.ctx(ctx), req)
}

func (s *loggingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.protocolServer.ListResource(s.ctx(ctx), req)
}

// TestRPCLoggingReachesTheProvidersLog: through loggingServer, the
// provider's own log lines (fogclient's request log among them) reach the
// test's log file.
func TestRPCLoggingReachesTheProvidersLog(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", dir+"/%s.log")
	env := newProtocolEnv(t, nil)
	_ = env.listResources(t, "fog_image", nil, false, 10)
	raw, err := readFileString(dir + "/" + t.Name() + ".log")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FOG request attempt", "route=/fog/image", "listed images"} {
		if !containsString(raw, want) {
			t.Errorf("the log lacks %q:\n%s", want, raw)
		}
	}
}

func readFileString(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}

func containsString(s, sub string) bool { return strings.Contains(s, sub) }
