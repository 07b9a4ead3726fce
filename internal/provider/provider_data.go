// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// logSubsystem names the tflog subsystem that carries fogclient's request logs.
const logSubsystem = "fogclient"

// ProviderData is what Configure hands to every resource and data source.
// It holds the one fogclient.Client of this provider instance and the
// caches its objects share.
type ProviderData struct {
	// Client is nil when the provider configuration was not known yet at
	// Configure (for example server_url computed from another resource).
	Client *fogclient.Client
	// ServerURL is the configured server, for messages.
	ServerURL string
	// reads answers refreshes from one list per FOG class; nil when
	// Client is nil. Read methods and plan-time checks use it, never the
	// path of a write.
	reads *readCache

	// createdImages are the images this process created and has not
	// deleted: they are known to exist, so assigning one in the same apply
	// needs no request to check it (checkImageExists). Keys are int64 ids.
	createdImages sync.Map

	// groupsWithHostIDs are the groups whose members a fog_group manages with
	// host_ids, groupsWithMemberships those a fog_group_membership adds a host
	// to, as this provider instance has seen them: the two must not manage
	// one group (group_membership_resource.go). Keys are int64 group ids.
	groupsWithHostIDs     sync.Map
	groupsWithMemberships sync.Map

	// adopted are the objects a refresh of this process adopted for a
	// create whose outcome stayed unknown (create_record.go): keys
	// "image:12". Their resource is tainted, so the apply deletes them
	// before it creates their replacement.
	adopted sync.Map

	// taskTypes is the server's task type list once read (serverTaskTypes).
	taskTypesMu sync.Mutex
	taskTypes   []fogclient.TaskType

	// secrets are masked in every log line written with a context returned
	// by LogContext: the tokens, the password, base64(user:password) and the
	// base64-decoded tokens.
	secrets []string
}

// newProviderData builds the provider data and its list of secrets to mask.
func newProviderData(client *fogclient.Client, serverURL string, secretValues ...string) *ProviderData {
	d := &ProviderData{Client: client, ServerURL: serverURL, secrets: secretsToMask(secretValues...)}
	if client != nil {
		d.reads = newReadCache(client, readCacheMaxAge, time.Now)
	}
	return d
}

// secretsToMask expands the configured secrets into every form that could
// appear in a log line (the value itself and, for base64 values such as the
// tokens, the decoded text), longest first so a longer secret is masked whole.
func secretsToMask(values ...string) []string {
	set := map[string]bool{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		set[v] = true
		if raw := decodeBase64Text(v); raw != "" {
			set[raw] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// decodeBase64Text returns the decoded text of a base64 value (padded or
// not, as FOG's lenient decoder accepts both), or "" when v is not base64 of
// printable text.
func decodeBase64Text(v string) string {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "="))
	if err != nil || len(raw) == 0 || !utf8.Valid(raw) {
		return ""
	}
	s := string(raw)
	if strings.ContainsFunc(s, unicode.IsControl) {
		return ""
	}
	return s
}

// basicAuthSecret is the value of an Authorization header for username and
// password (without the "Basic " prefix), masked like the password itself.
func basicAuthSecret(username, password string) string {
	if username == "" && password == "" {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(username + ":" + password))
}

// LogContext returns ctx with every secret masked in provider and fogclient
// log output. Every resource and data source calls it at the start of every
// RPC method, so the masking holds for the whole RPC, not only for Configure.
func (d *ProviderData) LogContext(ctx context.Context) context.Context {
	if d == nil || logsSilenced.Load() {
		return ctx
	}
	return maskSecrets(ctx, d.secrets)
}

func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, secrets...)
	ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, secrets...)
	return ctx
}

// configuredClient returns the client, or nil while the provider is not
// configured (plan-time checks then check nothing; the apply checks again).
func (d *ProviderData) configuredClient() *fogclient.Client {
	if d == nil {
		return nil
	}
	return d.Client
}

// clientOrError returns the client, or adds an error and returns nil when
// the provider could not be configured with known values.
func (d *ProviderData) clientOrError(diags *diag.Diagnostics, action, object string) *fogclient.Client {
	if d == nil || d.Client == nil {
		diags.AddError(
			unableTo(action, object),
			"The fog provider is not configured yet, because server_url, api_token or user_token "+
				"depends on a value that is only known after apply. Apply the resources it depends on first "+
				"(terraform apply -target=...), or set these arguments from values known at plan time.",
		)
		return nil
	}
	return d.Client
}

// serverTaskTypes returns the server's task types, listed once per provider
// instance: the list changes only with a FOG upgrade, and one plan may hold
// many fog_task resources. A failed list is not kept. d.Client must be set.
func (d *ProviderData) serverTaskTypes(ctx context.Context) ([]fogclient.TaskType, error) {
	d.taskTypesMu.Lock()
	all := d.taskTypes
	d.taskTypesMu.Unlock()
	if all != nil {
		return all, nil
	}
	all, err := d.Client.TaskTypes(ctx)
	if err != nil {
		return nil, err
	}
	d.taskTypesMu.Lock()
	d.taskTypes = all
	d.taskTypesMu.Unlock()
	return all, nil
}

// checkHostImage refuses an image id FOG does not have: FOG stores any
// number, and every deploy then fails with "Image is not valid" (recording
// host-edit-imageid-nonexistent).
func (d *ProviderData) checkHostImage(ctx context.Context, client *fogclient.Client, imageID int64, action, object string, diags *diag.Diagnostics) bool {
	return d.checkImageExists(ctx, client, imageID, action, object, fmt.Sprintf(
		"FOG has no image with id %d. FOG would store the number anyway and every deploy would fail with \"Image is not valid\". "+
			"Use the id of an existing image (for example fog_image.<name>.id or data.fog_image.<name>.id), or 0 for none.", imageID), diags)
}

// checkImageExists refuses, on image_id, an image id FOG does not have;
// missing, the detail, says so. An image this
// process created (fog_image in the same apply) and has not deleted exists:
// it costs no request.
func (d *ProviderData) checkImageExists(ctx context.Context, client *fogclient.Client, imageID int64, action, object, missing string, diags *diag.Diagnostics) bool {
	if _, created := d.createdImages.Load(imageID); created {
		return true
	}
	_, err := client.GetImage(ctx, imageID)
	if errors.Is(err, fogclient.ErrNotFound) {
		diags.AddAttributeError(path.Root("image_id"), unableTo(action, object), missing)
		return false
	}
	if err != nil {
		addClientError(diags, action, object, fmt.Errorf("checking image %d: %w", imageID, err))
		return false
	}
	return true
}

// providerDataFrom type-asserts the value a resource or data source receives in
// its Configure method. A nil value (before the provider is configured) is fine.
func providerDataFrom(value any, diags *diag.Diagnostics) *ProviderData {
	if value == nil {
		return nil
	}
	data, ok := value.(*ProviderData)
	if !ok {
		diags.AddError(
			"Unexpected provider data",
			fmt.Sprintf("Expected *provider.ProviderData, got %T. This is a bug in the provider, please report it.", value),
		)
		return nil
	}
	return data
}

// tflogLogger writes fogclient's logs with tflog on the context of the
// request they are about, so that each line carries that request's fields
// (tf_req_id, tf_resource_type), in the "fogclient" subsystem with every
// secret masked: the context may come from a caller that did not mask them.
type tflogLogger struct {
	secrets []string
}

var _ fogclient.Logger = tflogLogger{}

func newTflogLogger(secrets []string) tflogLogger {
	return tflogLogger{secrets: secrets}
}

func (l tflogLogger) Log(ctx context.Context, level, msg string, fields map[string]any) {
	if logsSilenced.Load() {
		return // nothing would be written (SilenceUnreadLogs)
	}
	ctx = maskSecrets(tflog.NewSubsystem(ctx, logSubsystem, tflog.WithRootFields()), l.secrets)
	switch level {
	case fogclient.LevelError:
		tflog.SubsystemError(ctx, logSubsystem, msg, fields)
	case fogclient.LevelWarn:
		tflog.SubsystemWarn(ctx, logSubsystem, msg, fields)
	case fogclient.LevelInfo:
		tflog.SubsystemInfo(ctx, logSubsystem, msg, fields)
	default:
		tflog.SubsystemDebug(ctx, logSubsystem, msg, fields)
	}
}

// working marks an operation that may read hosts in progress until the
// returned func is called (fogclient.Client.Working): batched host reads are
// sent as soon as every such operation waits for one.
func (d *ProviderData) working() func() {
	if d == nil || d.Client == nil {
		return func() {}
	}
	return d.Client.Working()
}
