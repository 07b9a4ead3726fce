// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// A create whose outcome stays unknown (fogclient.ErrOutcomeUnknown: FOG's
// answer was lost and the look that follows failed within retry_max_wait,
// for example because FOG restarted) may have made the object. Reporting only
// the error would leave that object unmanaged: the next plan would find its
// name taken, and a destroy would not delete it. So Create records the
// attempt instead:
//
//   - the error, and a state holding what was sent with a null id (not
//     unknown: the state after an apply must be known), so Terraform marks
//     the resource tainted;
//   - the request itself in the private state (privateCreateAttempt).
//
// The next refresh settles it with the rule the lost answer's look uses
// (fogclient.FindCreated*): an object exactly as sent is taken over, and the
// tainted resource is then replaced (deleted and created again) by the next
// apply; no such object drops the resource, so the apply creates it; an
// object that differs is not taken over, and the resource is dropped too, so
// that the create is refused as it would be without the record (the name is
// taken). FOG's createdBy and createdTime are never used: any client can write
// them, and the name upsert renews them. A Delete of a record nobody refreshed
// (terraform destroy -refresh=false) makes the same look and deletes only an
// exact match.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// privateCreateAttempt is the private-state key of the request of a create
// whose outcome stayed unknown (JSON).
const privateCreateAttempt = "create_attempt"

// recordCreateAttempt keeps the request in the private state.
func recordCreateAttempt(ctx context.Context, p privateSetter, request any) diag.Diagnostics {
	raw, err := json.Marshal(request)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable to record the create", "Encoding the request failed: "+err.Error()+
			". This is a bug in the provider, please report it.")
		return diags
	}
	return p.SetKey(ctx, privateCreateAttempt, raw)
}

// createAttempt returns the request a record holds; false when there is none.
func createAttempt[T any](ctx context.Context, p privateGetter) (*T, bool) {
	raw, diags := p.GetKey(ctx, privateCreateAttempt)
	if diags.HasError() || len(raw) == 0 {
		return nil, false
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, false
	}
	return &v, true
}

// settledCreateAttempt removes the record once the object is known.
func settledCreateAttempt(ctx context.Context, p privateSetter) diag.Diagnostics {
	return p.SetKey(ctx, privateCreateAttempt, nil)
}

// addUnknownCreateError reports a create whose outcome stayed unknown and
// that was recorded; object names it ("image \"win10\""), kind is what it is.
func addUnknownCreateError(diags *diag.Diagnostics, object, kind string, err error) {
	diags.AddError(unableTo("create", object), sentence(describeClientErrorText(err))+"\n\n"+fmt.Sprintf(
		"FOG may have created the %[1]s although its answer was lost, and the provider could not find out within "+
			"retry_max_wait (see above why; FOG may have been restarting). Nothing was repeated blindly. The attempt is "+
			"recorded in the state without an id, so Terraform marks the resource tainted. Run terraform apply again once "+
			"FOG answers: its refresh looks the %[1]s up by name and takes it over only if it is exactly what was sent, and "+
			"the apply then replaces it (deletes it and creates it again); if FOG has no such %[1]s, the record is dropped "+
			"and the %[1]s created. If FOG restarts take longer, raise retry_max_wait.", kind))
}

// adopted remembers that this process's refresh took over an object for a
// create record: the plan replaces it, deleting it first (adoptedForReplacement).
func (d *ProviderData) adopt(class string, id int64) {
	if d != nil {
		d.adopted.Store(fmt.Sprintf("%s:%d", class, id), struct{}{})
	}
}

// adoptedForReplacement reports whether a refresh of this process adopted
// the object for a create whose outcome stayed unknown: the plan replaces
// it, deleting it first, so the name and MACs it holds are no conflict.
func (d *ProviderData) adoptedForReplacement(class string, id int64) bool {
	if d == nil {
		return false
	}
	_, ok := d.adopted.Load(fmt.Sprintf("%s:%d", class, id))
	return ok
}

// createOutcomeUnknown: err leaves a create's outcome open (and is not a
// refusal of an object that differs, which is known not to be ours).
func createOutcomeUnknown(err error) bool {
	var existing *fogclient.ExistingObjectError
	return errors.Is(err, fogclient.ErrOutcomeUnknown) && !errors.As(err, &existing)
}

// settleOutcome is what a refresh found for a create record.
type settleOutcome int

const (
	settleAdopted  settleOutcome = iota // an object exactly as sent: taken over
	settleNotFound                      // nothing of that name: dropped
	settleOther                         // another object holds the name: dropped
	settleFailed                        // the look failed: an error was added
)

// settleLook turns a FindCreated* result into an outcome, adding the
// diagnostics a refresh shows. found is whether err and obj name an object.
func settleLook(diags *diag.Diagnostics, object, kind string, found bool, err error) settleOutcome {
	var existing *fogclient.ExistingObjectError
	switch {
	case errors.As(err, &existing):
		diffs := make([]string, len(existing.Differences))
		for i, d := range existing.Differences {
			diffs[i] = d.String()
		}
		diags.AddWarning(fmt.Sprintf("%s not taken over", sentence(kind)), fmt.Sprintf(
			"An earlier apply lost FOG's answer to the create of %s, and FOG now has %s %q (id %d), which is not what "+
				"that create sent (%s), so it was not taken over and the record of the attempt was dropped. The next apply "+
				"creates the %s again, and FOG refuses it while the name is taken: bring that %s under Terraform "+
				"(terraform import <resource address> %d) or choose another name.",
			object, existing.Class, existing.Name, existing.ID, strings.Join(diffs, ", "), kind, kind, existing.ID))
		return settleOther
	case err != nil:
		addClientError(diags, "read", object, fmt.Errorf("looking for the %s an interrupted create may have made: %w", kind, err))
		return settleFailed
	case !found:
		diags.AddWarning(fmt.Sprintf("Interrupted create of %s left nothing", object), fmt.Sprintf(
			"An earlier apply lost FOG's answer to the create of %s, and FOG has no such %s: the create never took "+
				"effect. The record of the attempt was dropped, and the next apply creates the %s.", object, kind, kind))
		return settleNotFound
	}
	return settleAdopted
}

// adoptedWarning says that a record was settled by taking the object over.
func adoptedWarning(diags *diag.Diagnostics, object, kind string, id int64, replacement string) {
	diags.AddWarning(fmt.Sprintf("Took over the %s an interrupted create made", kind), fmt.Sprintf(
		"An earlier apply lost FOG's answer to the create of %s; FOG has it (id %d) exactly as that create sent it, so it "+
			"is now in the state. The resource was marked tainted when the create failed, so the next apply replaces it: %s",
		object, id, replacement))
}

// removeRecord drops a record that held no id. The framework wants an
// identity after every refresh, even one that removes the resource; a record
// never had an id, so it gets 0, which no FOG object has.
func removeRecord(ctx context.Context, resp *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	resp.RemoveResource(ctx)
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, fogIDIdentityModel{ID: types.Int64Value(0)})
}

// recordedState sets state to the record of a create whose outcome is
// unknown: the planned values, with every value still unknown (an
// Optional+Computed attribute the configuration leaves out, a computed one
// FOG would have filled in) made null. Terraform refuses a state holding
// unknown values after an apply, even one that ends in an error, and would
// report a provider bug instead of the lost answer.
func recordedState(ctx context.Context, state *tfsdk.State, planned any) diag.Diagnostics {
	diags := state.Set(ctx, planned)
	if diags.HasError() {
		return diags
	}
	raw, err := tftypes.Transform(state.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		diags.AddError("Unable to record the create", "Clearing the unknown values of the record failed: "+err.Error()+
			". This is a bug in the provider, please report it.")
		return diags
	}
	state.Raw = raw
	return diags
}
