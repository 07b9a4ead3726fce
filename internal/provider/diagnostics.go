// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// How the provider tells the user what went wrong and what to do about it.
// fogclient's errors state facts (the route, the HTTP status, FOG's own
// message); the fix is written here, once for every object. A diagnostic's
// summary is "Unable to <action> <object>"; its detail starts with the
// cause and never repeats the summary.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// addClientError appends the diagnostic for a failed fogclient call. fogclient
// errors never contain tokens or passwords, and neither does anything added here.
func addClientError(diags *diag.Diagnostics, action, object string, err error) {
	diags.AddError(unableTo(action, object), clientErrorDetail(err, fixContext{}))
}

// unableTo is the summary of an error diagnostic: "Unable to <action> <object>".
func unableTo(action, object string) string {
	return fmt.Sprintf("Unable to %s %s", action, object)
}

// fixContext is what a fix may name from the provider configuration; its
// zero value names nothing.
type fixContext struct {
	serverURL string // server_url as configured
	basicAuth bool   // username and password are set
}

// clientErrorDetail is the detail of a diagnostic for err: what happened
// (the FOG route, the HTTP status, FOG's message), then what to do about it.
func clientErrorDetail(err error, fc fixContext) string {
	detail := sentence(describeClientErrorText(err))
	if fix := fixFor(err, fc); fix != "" {
		detail += "\n\n" + fix
	}
	return detail
}

// describeClientErrorText says what happened, naming the FOG route and the
// HTTP status, without a final period, for use inside other sentences.
func describeClientErrorText(err error) string {
	var fe *fogclient.Error
	if errors.As(err, &fe) {
		return describeExchange(fe)
	}
	return strings.TrimPrefix(err.Error(), "fogclient: ")
}

func describeExchange(fe *fogclient.Error) string {
	var b strings.Builder
	switch {
	case fe.Status != 0:
		fmt.Fprintf(&b, "FOG answered %s %s with HTTP %d", fe.Method, fe.Route, fe.Status)
	default:
		fmt.Fprintf(&b, "%s %s got no answer", fe.Method, fe.Route)
	}
	if fe.Kind != nil {
		fmt.Fprintf(&b, " (%s)", fe.Kind)
	}
	if fe.Message != "" {
		fmt.Fprintf(&b, ": %q", fe.Message)
	}
	if fe.Location != "" {
		fmt.Fprintf(&b, ", redirecting to %s", fe.Location)
	}
	if fe.Err != nil {
		fmt.Fprintf(&b, ": %s", fe.Err)
	}
	return b.String()
}

// sentence makes s a sentence: a capital first letter and a final period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// fixFor is what the user can do about err, or "" when there is nothing
// specific to say.
func fixFor(err error, fc fixContext) string {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostnameErr      x509.HostnameError
		certInvalid      x509.CertificateInvalidError
		verifyErr        *tls.CertificateVerificationError
		netErr           net.Error
		dnsErr           *net.DNSError
		opErr            *net.OpError
		recordHeaderErr  tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, fogclient.ErrOutcomeUnknown):
		return "FOG may have applied this change although its answer was lost on the way (a proxy error, a reset connection or " +
			"a timeout), and the provider could not find out (see above why). Nothing was repeated blindly. Look at the object in " +
			"FOG's web UI: if a create went through, bring the object under Terraform with terraform import; then run terraform " +
			"apply again, which reads FOG's current state first. If the network to FOG is unreliable, raise request_timeout and max_retries."
	case errors.Is(err, fogclient.ErrAPIDisabled):
		return "FOG redirected the request to its login page: the FOG API is disabled. Enable it in FOG's web UI: FOG " +
			"Configuration > FOG Settings > API System, tick FOG_API_ENABLED and save. The same section shows the API token " +
			"(FOG_API_TOKEN) to use as api_token."
	case errors.Is(err, fogclient.ErrHTTPSRequired):
		example := ""
		if fc.serverURL != "" {
			example = fmt.Sprintf(" (%q)", httpsVariant(fc.serverURL))
		}
		return "The server redirects plain HTTP to https://. Use an https:// server_url" + example +
			". If the certificate is self-signed, also set ca_cert_pem."
	case errors.Is(err, fogclient.ErrForbidden):
		return fmt.Sprintf("FOG rejected the API token. Set api_token (or %s) to the value shown in %s, pasted exactly as "+
			"shown: it is the base64 form, not the 128-character hex value stored in the database. If the token was reset in "+
			"FOG, copy the new one.", envAPIToken, apiTokenWhere)
	case errors.Is(err, fogclient.ErrUnauthorized):
		fix := fmt.Sprintf("FOG accepted the API token but rejected the user token. Set user_token (or %s) to the value "+
			"shown in %s, pasted exactly as shown (base64). That user must be allowed API access: tick \"API Enabled\" on "+
			"the same page and save. A user that has never had a token has none: use \"Reset Token\" there to create one.",
			envUserToken, userTokenWhere)
		if fc.basicAuth {
			fix += " HTTP Basic credentials (username/password) only work where the web server passes the Authorization " +
				"header to PHP; FOG's default php-fpm setup does not, so prefer user_token."
		}
		return fix
	case errors.Is(err, fogclient.ErrNotFound):
		return "The object does not exist on the FOG server (any more), or FOG considers it invalid. If it was deleted " +
			"outside Terraform, run terraform apply again to recreate it, or remove it from the configuration."
	case errors.Is(err, fogclient.ErrAlreadyExists):
		return "FOG already has an object with this name; FOG compares names without regard to letter case or accents. " +
			"Choose another name, or bring the existing object under Terraform with terraform import."
	case errors.Is(err, fogclient.ErrCaseOnlyRename):
		return "FOG cannot change only the letter case of a name. Rename it to a different name first, then to the wanted spelling, " +
			"in two applies."
	case errors.Is(err, fogclient.ErrRequiredField):
		return "FOG refused the request because a required field was empty. This is a bug in the provider, please report it."
	case errors.Is(err, fogclient.ErrTaskRejected):
		return "FOG refused to create the task; its message above says why. A host can only have one active imaging task: " +
			"wait for the running task to finish or cancel it in FOG's Task Management."
	case errors.Is(err, fogclient.ErrMACInUse):
		return "A MAC address belongs to exactly one FOG host. Remove it from the other host first."
	case errors.Is(err, fogclient.ErrTaskNotActive):
		return "The task is no longer queued or running, so there is nothing to cancel."
	case errors.Is(err, fogclient.ErrServerFatal):
		return "FOG stopped with an internal PHP error (a PHP fatal error) and sent no details. The PHP error log of the web " +
			"server on the FOG server has them."
	case errors.Is(err, fogclient.ErrNotImplemented):
		return "FOG has no such route. Check that server_url points at a FOG 1.5.x web server; this provider is built for FOG 1.5.9."
	case errors.Is(err, fogclient.ErrUnexpectedContentType):
		return "The answer was not FOG's JSON. Check that server_url points at the FOG web server itself (http://host or " +
			"http://host/fog), that no proxy, captive portal or login page answers in its place, and that PHP does not print " +
			"its errors into the answers (display_errors)."
	case errors.Is(err, fogclient.ErrUnexpectedResponse):
		return "The provider could not understand FOG's answer. It is built for FOG 1.5.9; check the FOG version, and report the problem if it persists."
	case errors.Is(err, fogclient.ErrUnavailable):
		return "The FOG server, or a proxy in front of it, is unavailable or overloaded. Try again later, or lower max_concurrent_requests."
	case errors.Is(err, fogclient.ErrRedirect):
		return "The provider never follows redirects. Set server_url to the address the server redirects to " +
			"(the FOG web server root, for example \"https://fog.example.com\")."
	case errors.Is(err, fogclient.ErrInvalidArgument):
		return ""
	case errors.As(err, &unknownAuthority), errors.As(err, &verifyErr), errors.As(err, &certInvalid):
		return "The FOG server's TLS certificate is not trusted. Set ca_cert_pem to the PEM text of the CA that signed it " +
			"(insecure = true skips the check entirely; use it only for testing)."
	case errors.As(err, &hostnameErr):
		return "The FOG server's TLS certificate does not name the host in server_url. Use the host name the certificate was issued for."
	case errors.As(err, &recordHeaderErr):
		return "The server does not speak TLS on this port. Use an http:// server_url, or the port where FOG serves https."
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "The request timed out. FOG can be slow (some calls probe every storage node); increase request_timeout, " +
			"and check that the server is reachable."
	case errors.As(err, &dnsErr):
		return "The host name in server_url could not be resolved. Check server_url and DNS."
	case errors.As(err, &opErr):
		return "The FOG server could not be reached. Check server_url (scheme, host and port) and that the server is reachable " +
			"from where Terraform runs."
	}
	return ""
}

// httpsVariant is serverURL with https:// for http://.
func httpsVariant(serverURL string) string {
	if rest, ok := strings.CutPrefix(serverURL, "http://"); ok {
		return "https://" + rest
	}
	return serverURL
}

// describeImage names an image for messages: `"Win10" (id 3)`, or its id.
func describeImage(id int64, name string) string {
	if name == "" {
		return strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("%q (id %d)", name, id)
}

// missingHostDetail explains a host id FOG does not have.
func missingHostDetail(hostID int64) string {
	return fmt.Sprintf("FOG has no host with id %d (or the host has no primary MAC address, which makes FOG hide it). Check the id in "+
		"FOG's Host Management, or look it up with the fog_hosts data source.", hostID)
}

// addMissingHostError reports, on host_id, a host FOG does not have.
func addMissingHostError(diags *diag.Diagnostics, action, object string, hostID int64) {
	diags.AddAttributeError(path.Root("host_id"), unableTo(action, object), missingHostDetail(hostID))
}

// nameTakenDetail explains that FOG already has a kind ("image") of this
// name, with id, and how to import it instead.
func nameTakenDetail(kind, name string, id int64) string {
	article := "a"
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		article = "an"
	}
	return fmt.Sprintf("FOG already has %s %s named %q (id %d); FOG compares names without regard to letter case. "+
		"Choose another name, or manage the existing %s with:\n\n  terraform import <resource address> %d\n\n"+
		"or\n\n  terraform import <resource address> 'name:%s'", article, kind, name, id, kind, id, name)
}

// addExistingObjectError reports, on name, a *fogclient.ExistingObjectError
// in err: a create whose answer was lost, or that raced another create of
// the same name, met an object that is not what it sent (fogclient adopts
// only an exact match). It reports whether err was one. attrs maps FOG's
// field names to the resource's attribute names.
func addExistingObjectError(diags *diag.Diagnostics, object string, attrs map[string]string, err error) bool {
	var existing *fogclient.ExistingObjectError
	if !errors.As(err, &existing) {
		return false
	}
	diffs := make([]string, 0, len(existing.Differences))
	for _, d := range existing.Differences {
		name := d.Field
		if a, ok := attrs[d.Field]; ok {
			name = a
		}
		diffs = append(diffs, fmt.Sprintf("%s is %q in FOG, %q in this configuration", name, d.Have, d.Sent))
	}
	found := fmt.Sprintf("%s %q (id %d)", existing.Class, existing.Name, existing.ID)
	var what string
	if existing.Raced {
		what = fmt.Sprintf("Another create of the same %s name ran at the same moment (another Terraform run, a script or "+
			"FOG's web UI), and FOG gave both requests one and the same %s, %s, which holds the other request's values: %s. "+
			"It was not taken over.", existing.Class, existing.Class, found, strings.Join(diffs, "; "))
	} else {
		what = fmt.Sprintf("FOG's answer to the create was lost (%s), so the provider looked the %s up by name. FOG has %s, "+
			"but it is not the one this configuration describes: %s. It may have been created by someone else, so it was not "+
			"taken over.", describeClientErrorText(existing.Cause), existing.Class, found, strings.Join(diffs, "; "))
	}
	diags.AddAttributeError(path.Root("name"), unableTo("create", object), fmt.Sprintf(
		"%s\n\nIf that %s is the one to manage, bring it under Terraform and align the configuration with it:\n\n"+
			"  terraform import <resource address> %d\n\nOtherwise choose another name (FOG compares names without regard to letter case).",
		what, existing.Class, existing.ID))
	return true
}

// serverChecksAtPlan turns the errors of checks against the server's state (a
// name taken, an object missing, a host busy) into warnings, for ModifyPlan.
// Terraform runs a normal plan before `terraform destroy`, and no field of
// ModifyPlanRequest tells the two apart, so an error there would block the
// destroy too. The same checks run again as errors in Create or Update, before
// any write. Checks on the configuration alone stay errors at plan.
func serverChecksAtPlan(checks diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(checks))
	for _, d := range checks {
		if d.Severity() != diag.SeverityError {
			out = append(out, d)
			continue
		}
		detail := d.Detail() + "\n\nThe apply will stop with this error before it changes anything in FOG, unless the " +
			"server's state changes first."
		if wp, ok := d.(diag.DiagnosticWithPath); ok && !wp.Path().Equal(path.Empty()) {
			out.AddAttributeWarning(wp.Path(), d.Summary(), detail)
		} else {
			out.AddWarning(d.Summary(), detail)
		}
	}
	return out
}

// describeObject names an object for messages: `"name" (id 3)`, or its id.
func describeObject(id int64, name string) string {
	if name == "" {
		return fmt.Sprintf("id %d", id)
	}
	return fmt.Sprintf("%q (id %d)", name, id)
}
