// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// addClientError appends the diagnostic for a failed fogclient call:
// summary "Unable to <action> <object>", detail "Unable to <action>
// <object>: <cause>." followed by what the user can do about it. fogclient
// errors never contain tokens or passwords, and neither does anything added here.
func addClientError(diags *diag.Diagnostics, action, object string, err error) {
	summary, detail := clientErrorDiagnostic(action, object, err)
	diags.AddError(summary, detail)
}

// addClientAttributeError is addClientError pointing at a configuration attribute.
func addClientAttributeError(diags *diag.Diagnostics, p path.Path, action, object string, err error) {
	summary, detail := clientErrorDiagnostic(action, object, err)
	diags.AddAttributeError(p, summary, detail)
}

func clientErrorDiagnostic(action, object string, err error) (summary, detail string) {
	summary = fmt.Sprintf("Unable to %s %s", action, object)
	cause, fix := describeClientError(err)
	detail = fmt.Sprintf("Unable to %s %s: %s.", action, object, strings.TrimSuffix(cause, "."))
	if fix != "" {
		detail += "\n\n" + fix
	}
	return summary, detail
}

// describeClientError splits err into what happened (naming the FOG route and
// the HTTP status) and what to do about it.
func describeClientError(err error) (cause, fix string) {
	var fe *fogclient.Error
	if errors.As(err, &fe) {
		cause = describeExchange(fe)
	} else {
		cause = err.Error()
	}
	return cause, fixFor(err)
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

// fixFor returns the advice for err, or "".
func fixFor(err error) string {
	if errors.Is(err, fogclient.ErrOutcomeUnknown) {
		return "FOG may have applied this change although its answer was lost on the way (a proxy error, a reset connection or " +
			"a timeout), and the provider could not find out (see above why). Nothing was repeated blindly. Look at the object in " +
			"FOG's web UI: if a create went through, bring the object under Terraform with terraform import; then run terraform " +
			"apply again, which reads FOG's current state first. If the network to FOG is unreliable, raise request_timeout and max_retries."
	}
	if hint := fogclient.Hint(err); hint != "" {
		return hint + "."
	}
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
		return "FOG stopped with an internal PHP error and sent no details. The PHP error log of the web server on the FOG server has them."
	case errors.Is(err, fogclient.ErrNotImplemented):
		return "FOG has no such route. Check that server_url points at a FOG 1.5.x web server; this provider is built for FOG 1.5.9."
	case errors.Is(err, fogclient.ErrUnexpectedContentType):
		return "The answer was not FOG's JSON. Check that server_url points at the FOG web server itself, and that no proxy, " +
			"captive portal or login page answers in its place."
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

func describeImage(id int64, name string) string {
	if name == "" {
		return strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("%q (id %d)", name, id)
}

// addMissingHostError explains a host FOG does not have.
func addMissingHostError(diags *diag.Diagnostics, action, object string, hostID int64) {
	diags.AddAttributeError(path.Root("host_id"), fmt.Sprintf("Unable to %s %s", action, object), fmt.Sprintf(
		"Unable to %s %s: FOG has no host with id %d (or the host has no primary MAC address, which makes FOG hide it). "+
			"Check the id in FOG's Host Management, or look it up with the fog_hosts data source.", action, object, hostID))
}

func missingHostDetail(hostID int64) string {
	return fmt.Sprintf("FOG has no host with id %d (or the host has no primary MAC address, which makes FOG hide it). Check the id in "+
		"FOG's Host Management, or look it up with the fog_hosts data source.", hostID)
}

// describeClientErrorText is the cause part of a client error diagnostic.
func describeClientErrorText(err error) string {
	cause, _ := describeClientError(err)
	return cause
}

// nameTakenDetail explains that FOG already has a kind ("image") of this
// name, with id, and how to import it instead.
func nameTakenDetail(action, object, kind, name string, id int64) string {
	article := "a"
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		article = "an"
	}
	return fmt.Sprintf("Unable to %s %s: FOG already has %s %s named %q (id %d); FOG compares names without regard to letter case. "+
		"Choose another name, or manage the existing %s with:\n\n  terraform import <resource address> %d\n\n"+
		"or\n\n  terraform import <resource address> 'name:%s'", action, object, article, kind, name, id, kind, id, name)
}

// addExistingObjectError adds the diagnostic for a *fogclient.ExistingObjectError
// in err (on the name attribute) and reports whether there was one. attrs
// maps FOG's field names to the resource's attribute names.
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
		what = fmt.Sprintf("another create of the same %s name ran at the same moment (another Terraform run, a script or "+
			"FOG's web UI), and FOG gave both requests one and the same %s, %s, which holds the other request's values: %s. "+
			"It was not taken over.", existing.Class, existing.Class, found, strings.Join(diffs, "; "))
	} else {
		what = fmt.Sprintf("FOG's answer to the create was lost (%s), so the provider looked the %s up by name. FOG has %s, "+
			"but it is not the one this configuration describes: %s. It may have been created by someone else, so it was not "+
			"taken over.", describeClientErrorText(existing.Cause), existing.Class, found, strings.Join(diffs, "; "))
	}
	diags.AddAttributeError(path.Root("name"), "Unable to create "+object, fmt.Sprintf(
		"Unable to create %s: %s\n\nIf that %s is the one to manage, bring it under Terraform and align the configuration with it:\n\n"+
			"  terraform import <resource address> %d\n\nOtherwise choose another name (FOG compares names without regard to letter case).",
		object, what, existing.Class, existing.ID))
	return true
}
