// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
)

// FOG limits that the provider enforces before FOG can silently mangle a value
// (reference/fog-api.md §4.1, §4.3, §6.2 and edge recordings D).
const (
	// imageNameMaxChars is the width of images.imageName (varchar(40)). FOG
	// truncates longer names, and the truncated insert can overwrite another
	// image (recording image-create-long-name-collides-after-truncation).
	imageNameMaxChars = 40
	// fogTrimCutset is what PHP's trim() removes from every string FOG reads.
	fogTrimCutset = " \t\n\r\x00\x0B"
)

// reservedImagePaths are refused by FOG's web UI (but not by its API) because
// they are directories FOG itself uses under the storage root.
var reservedImagePaths = []string{"postdownloadscripts", "dev"}

// stringRule is a plan-time check of a known string value. It returns "" when
// the value is fine, or a sentence explaining what FOG would do and how to fix it.
type stringRule func(string) string

// stringRuleValidator adapts stringRules to validator.String. Null and unknown
// values are skipped (unknown ones are checked again when they are known).
type stringRuleValidator struct {
	summary     string
	description string
	rules       []stringRule
}

var _ validator.String = stringRuleValidator{}

func (v stringRuleValidator) Description(context.Context) string { return v.description }

func (v stringRuleValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v stringRuleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, rule := range v.rules {
		if msg := rule(req.ConfigValue.ValueString()); msg != "" {
			resp.Diagnostics.AddAttributeError(req.Path, v.summary, msg)
		}
	}
}

// imageNameValidator refuses image names FOG would truncate, escape, hide or
// store differently from what the configuration says.
func imageNameValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid image name",
		description: "name must be 1-40 characters without leading, trailing or repeated spaces, without & \" ' < > %, without \"_api_\" and without characters outside the Basic Multilingual Plane",
		rules:       imageNameRules,
	}
}

var imageNameRules = []stringRule{
	ruleNotBlank("An image name"),
	ruleNoSurroundingSpace("image name"),
	ruleMaxChars(imageNameMaxChars, "FOG stores at most 40 characters of an image name and silently cuts the rest off. "+
		"Worse, if the first 40 characters match another image's name, FOG overwrites that image. Use a shorter name."),
	ruleNoDoubleSpaces("image name"),
	ruleNoControl("image name"),
	ruleNoChars(`&"'<>%`, "FOG returns these characters HTML-escaped (& becomes &amp;) and every later save escapes the name once more; "+
		"% is a wildcard in FOG's name lookups. Use letters, digits, spaces, '-', '_' or '.' instead."),
	ruleNoAPIInfix,
	ruleBMPOnly("image name"),
}

// imagePathValidator checks the image directory name under the storage
// node's image root.
func imagePathValidator() validator.String {
	return stringRuleValidator{
		summary: "Invalid image path",
		description: "path must be a non-empty directory name relative to the storage node's image directory, without leading or trailing " +
			"spaces or slashes, without . or .. components, and not one of FOG's reserved names (postdownloadscripts, dev)",
		rules: imagePathRules,
	}
}

var imagePathRules = []stringRule{
	ruleNotBlank("An image path"),
	ruleNoSurroundingSpace("image path"),
	func(s string) string {
		if strings.Trim(s, "/") == "" && s != "" {
			return fmt.Sprintf("%q names the storage root itself, not a directory under it. Use a directory name such as \"win10-base\".", s)
		}
		return ""
	},
	func(s string) string {
		if strings.HasPrefix(s, "/") {
			return fmt.Sprintf("The path is relative to the storage node's image directory (usually /images): write %q, not %q. "+
				"FOG would otherwise capture into a nested directory such as /images/%s.", strings.Trim(s, "/"), s, strings.TrimLeft(s, "/"))
		}
		if strings.HasSuffix(s, "/") {
			return fmt.Sprintf("Remove the trailing slash: write %q.", strings.TrimRight(s, "/"))
		}
		return ""
	},
	func(s string) string {
		for _, part := range strings.Split(s, "/") {
			if part == "." || part == ".." || (part == "" && strings.Trim(s, "/") != "") {
				return fmt.Sprintf("%q contains an empty, \".\" or \"..\" component; FOG joins the path to the storage directory as it is. Use a plain directory name.", s)
			}
		}
		return ""
	},
	func(s string) string {
		for _, reserved := range reservedImagePaths {
			if s == reserved {
				return fmt.Sprintf("%q is reserved for FOG's own files in the storage directory (FOG's web UI refuses it too). Choose another directory name.", s)
			}
		}
		return ""
	},
	ruleNoDoubleSpaces("image path"),
	ruleNoControl("image path"),
	ruleBMPOnly("image path"),
}

// descriptionValidator refuses what FOG cannot store at all. Trimming and
// collapsed spaces are handled by fogTextType's semantic equality instead.
func descriptionValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid description",
		description: "description must not contain characters outside the Basic Multilingual Plane (such as emoji)",
		rules:       []stringRule{ruleBMPOnly("description")},
	}
}

// taskNameMaxChars leaves room in tasks.taskName (varchar(250)) for the
// " - <host name>" FOG appends.
const taskNameMaxChars = 200

// taskNameValidator refuses task names FOG would cut off or store as "????".
func taskNameValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid task_name",
		description: "task_name must be at most 200 characters, without control characters or characters outside the Basic Multilingual Plane",
		rules: []stringRule{
			ruleMaxChars(taskNameMaxChars, "FOG stores the task name with \" - <host name>\" appended in 250 characters and cuts off the rest. Use a shorter name."),
			ruleNoControl("task_name"),
			ruleBMPOnly("task_name"),
		},
	}
}

// tokenValidator checks an API or user token as pasted from FOG's UI.
func tokenValidator(what, where string) validator.String {
	return stringRuleValidator{
		summary:     "Invalid " + what,
		description: what + " must be the base64 value shown in FOG's UI",
		rules:       []stringRule{func(s string) string { return checkToken(what, where, s) }},
	}
}

var rawTokenPattern = regexp.MustCompile(`^[0-9a-fA-F]{128}$`)

// checkToken returns a problem with a token value, or "". FOG's UI shows both
// tokens base64-encoded, and FOG base64-decodes the headers before comparing,
// so the value to configure is the base64 text (reference/fog-api.md §1.2).
func checkToken(what, where, s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Sprintf("The %s is empty. Copy it from %s.", what, where)
	case strings.TrimSpace(s) != s:
		return fmt.Sprintf("The %s has leading or trailing whitespace (often a newline from a file or a copy and paste). "+
			"Remove it, for example with trimspace() or chomp().", what)
	case strings.ContainsFunc(s, unicode.IsSpace):
		return fmt.Sprintf("The %s contains whitespace. Copy it again from %s.", what, where)
	case rawTokenPattern.MatchString(s):
		return fmt.Sprintf("The %s is a 128-character hex value: that is the raw token as FOG stores it in its database, "+
			"but FOG expects the base64 form of it, which is what %s shows. Paste that value instead, "+
			"or encode the raw value yourself: base64encode(\"<raw token>\") in HCL, or printf '%%s' '<raw token>' | base64 -w0 in a shell.",
			what, where)
	case !isBase64(s):
		return fmt.Sprintf("The %s is not base64 text. Copy it exactly as %s shows it.", what, where)
	}
	return ""
}

func isBase64(s string) bool {
	if _, err := base64.StdEncoding.DecodeString(s); err == nil {
		return true
	}
	// FOG's decoder also accepts base64 without padding (recording base64-without-padding).
	_, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	return err == nil
}

// serverURLValidator checks server_url at plan time.
func serverURLValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid server_url",
		description: "server_url must be an http:// or https:// URL with a host name",
		rules:       []stringRule{checkServerURL},
	}
}

func checkServerURL(s string) string {
	if strings.TrimSpace(s) == "" {
		return "server_url is empty. Set it to the FOG web server, for example \"https://fog.example.com\"."
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return fmt.Sprintf("server_url %q is not a valid URL: %s. Use the form \"https://fog.example.com\".", s, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("server_url %q must start with http:// or https://, for example \"https://fog.example.com\".", s)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Sprintf("server_url %q has no host name. Use the form \"https://fog.example.com\".", s)
	case u.User != nil:
		return "server_url must not contain credentials (user:password@). Use the api_token and user_token arguments " +
			"(or username and password for HTTP Basic authentication)."
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("server_url %q must not have a query string or fragment; FOG ignores them. Use the form \"https://fog.example.com\".", s)
	}
	return ""
}

// durationValidator checks a Go duration string such as "30s" or "2m".
func durationValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid duration",
		description: "must be a positive duration such as \"30s\" or \"2m\"",
		rules:       []stringRule{checkDuration},
	}
}

func checkDuration(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Sprintf("%q is not a duration. Use a number with a unit, such as \"30s\", \"90s\" or \"2m\".", s)
	}
	if d <= 0 {
		return fmt.Sprintf("%q must be greater than zero. Use a duration such as \"30s\" or \"2m\".", s)
	}
	return ""
}

// waitValidator checks a duration that may be zero (retry_max_wait = "0s"
// turns the time budget off).
func waitValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid duration",
		description: "must be a duration such as \"60s\" or \"5m\", or \"0s\"",
		rules:       []stringRule{checkWait},
	}
}

func checkWait(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Sprintf("%q is not a duration. Use a number with a unit, such as \"60s\" or \"5m\" (\"0s\" turns it off).", s)
	}
	if d < 0 {
		return fmt.Sprintf("%q must not be negative. Use a duration such as \"60s\" or \"5m\" (\"0s\" turns it off).", s)
	}
	return ""
}

// pemValidator checks that ca_cert_pem holds at least one certificate.
func pemValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid ca_cert_pem",
		description: "must contain at least one PEM-encoded certificate",
		rules:       []stringRule{checkCACertPEM},
	}
}

func checkCACertPEM(s string) string {
	if strings.TrimSpace(s) == "" {
		return "ca_cert_pem is empty. Remove the argument, or set it to the PEM text of the CA that signed the FOG server's certificate (for example file(\"fog-ca.pem\"))."
	}
	rest := []byte(s)
	found := false
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return fmt.Sprintf("ca_cert_pem contains a certificate that cannot be parsed: %s.", err)
		}
		found = true
	}
	if !found {
		return "ca_cert_pem contains no \"-----BEGIN CERTIFICATE-----\" block. Set it to the PEM text of the CA certificate, for example file(\"fog-ca.pem\")."
	}
	return ""
}

// regexValidator checks that a value compiles as a Go (RE2) regular expression.
func regexValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid regular expression",
		description: "must be a valid RE2 regular expression",
		rules: []stringRule{func(s string) string {
			if _, err := regexp.Compile(s); err != nil {
				return fmt.Sprintf("%q is not a valid regular expression (RE2 syntax): %s.", s, err)
			}
			return ""
		}},
	}
}

// notBlankValidator refuses empty or whitespace-only values.
func notBlankValidator(what string) validator.String {
	return stringRuleValidator{
		summary:     "Invalid " + what,
		description: what + " must not be empty",
		rules:       []stringRule{ruleNotBlank("The " + what)},
	}
}

// searchTermValidator refuses a FOG host search term that is blank or holds
// characters FOG cannot receive (fogclient.InvalidSearchChars): FOG reads
// the term from the request path without decoding it.
func searchTermValidator() validator.String {
	return stringRuleValidator{
		summary: "Invalid search",
		description: "must not be empty, and holds only ASCII letters, digits, spaces and " +
			fogclient.SearchTermPunctuation,
		rules: []stringRule{ruleNotBlank("The search"), ruleSearchChars},
	}
}

func ruleSearchChars(s string) string {
	bad := fogclient.InvalidSearchChars(s)
	if len(bad) == 0 {
		return ""
	}
	quoted := make([]string, len(bad))
	for i, c := range bad {
		quoted[i] = strconv.Quote(c)
	}
	return fmt.Sprintf("The search %q holds %s, which FOG cannot receive: it reads the search term from the request path "+
		"without decoding it. Use ASCII letters, digits, spaces (a space matches any text) and %s only.",
		s, strings.Join(quoted, ", "), fogclient.SearchTermPunctuation)
}

func ruleNotBlank(what string) stringRule {
	return func(s string) string {
		if strings.TrimSpace(s) == "" {
			return what + " must not be empty or only whitespace."
		}
		return ""
	}
}

func ruleNoSurroundingSpace(what string) stringRule {
	return func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "" // reported by ruleNotBlank
		}
		if strings.Trim(s, fogTrimCutset) != s || strings.TrimSpace(s) != s {
			return fmt.Sprintf("The %s %q has leading or trailing whitespace. FOG trims it when it reads the value back, "+
				"so Terraform would see a difference on every plan. Remove it: %q.", what, s, strings.TrimSpace(s))
		}
		return ""
	}
}

func ruleMaxChars(limit int, why string) stringRule {
	return func(s string) string {
		if n := utf8.RuneCountInString(s); n > limit {
			return fmt.Sprintf("%q is %d characters long, the limit is %d. %s", s, n, limit, why)
		}
		return ""
	}
}

func ruleNoDoubleSpaces(what string) stringRule {
	return func(s string) string {
		if strings.Contains(s, "  ") {
			return fmt.Sprintf("The %s %q contains repeated spaces. FOG returns runs of spaces as a single space, "+
				"so Terraform would see a difference on every plan. Use single spaces.", what, s)
		}
		return ""
	}
}

func ruleNoControl(what string) stringRule {
	return func(s string) string {
		if strings.ContainsFunc(s, unicode.IsControl) {
			return fmt.Sprintf("The %s %q contains control characters such as tabs or newlines. Remove them.", what, s)
		}
		return ""
	}
}

func ruleNoChars(chars, why string) stringRule {
	return func(s string) string {
		if i := strings.IndexAny(s, chars); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return fmt.Sprintf("%q contains %q. %s", s, string(r), why)
		}
		return ""
	}
}

// ruleNoAPIInfix: FOG hides every image and host whose name contains "_api_"
// (any case) anywhere but at the very start from its lists and searches
// (edge recordings D, image-list).
func ruleNoAPIInfix(s string) string {
	if i := strings.Index(strings.ToLower(s), "_api_"); i > 0 {
		return fmt.Sprintf("%q contains %q. FOG hides every object whose name contains \"_api_\" from its lists and searches, "+
			"so neither FOG's UI lists nor lookups by name would find it. Use another name, for example with \"-api-\".", s, s[i:i+5])
	}
	return ""
}

func ruleBMPOnly(what string) stringRule {
	return func(s string) string {
		for _, r := range s {
			if r > 0xFFFF {
				return fmt.Sprintf("The %s contains %q, a character outside the Basic Multilingual Plane (such as an emoji). "+
					"FOG's database stores each such character as \"????\". Remove it.", what, string(r))
			}
		}
		return ""
	}
}

// isCaseOnlyChange reports whether newName differs from oldName only in
// letter case: FOG cannot do such a rename (recording image-edit-change-only-case).
func isCaseOnlyChange(oldName, newName string) bool {
	return oldName != newName && strings.EqualFold(oldName, newName)
}

// Host field limits (reference/fog-api.md §5.1, §6.3.1): FOG's host name rule allows
// 1-15 characters; ip and kernelArgs are varchar(25) and varchar(250), and
// longer values are cut off silently.
const (
	hostNameMaxChars   = 15
	hostIPMaxChars     = 25
	kernelArgsMaxChars = 250
)

// hostNameValidator refuses host names FOG would store as an invisible host
// (its name rule fails on read), hide from lists, or match loosely.
func hostNameValidator() validator.String {
	return stringRuleValidator{
		summary: "Invalid host name",
		description: "name must be 1-15 characters of letters, digits and _ - . ! @ # $ ^ ( ) { } ~ " +
			"(FOG's host name rule, without ' and %), and must not contain \"_api_\"",
		rules: hostNameRules,
	}
}

var hostNameRules = []stringRule{
	ruleNotBlank("A host name"),
	ruleMaxChars(hostNameMaxChars, "FOG allows at most 15 characters in a host name. It would store a longer one "+
		"(cut to 16 characters) and then treat the host as invalid: it would answer 404 for it everywhere. Use a shorter name."),
	ruleNoChars(`'`, "FOG returns ' as &#039;, which breaks its own host name rule: the host would be created and then "+
		"answer 404 everywhere. Leave the apostrophe out."),
	ruleNoChars(`%`, "% is a wildcard in FOG's name filters and searches, so every lookup of the host by name (import with "+
		"name:, FOG's own duplicate check) would match other hosts too. Leave it out."),
	ruleHostNameChars,
	ruleNoAPIInfix,
}

// ruleHostNameChars is FOG's host name character set (reference/fog-api.md §4.7: ASCII
// \w and !@#$%^()-'{}.~), less the characters refused above with reasons.
func ruleHostNameChars(s string) string {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("_!@#$%^()-'{}.~", r):
		default:
			return fmt.Sprintf("%q contains %q, which FOG does not allow in a host name (only letters A-Z, digits and "+
				"_ - . ! @ # $ ^ ( ) { } ~). FOG would create the host and then answer 404 for it everywhere.", s, string(r))
		}
	}
	return ""
}

// hostIPValidator checks a host's ip field, which FOG only stores.
func hostIPValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid ip",
		description: "ip must be at most 25 characters without whitespace",
		rules: []stringRule{
			ruleMaxChars(hostIPMaxChars, "FOG stores at most 25 characters of a host's IP address and silently cuts the rest off."),
			func(s string) string {
				if strings.ContainsFunc(s, unicode.IsSpace) {
					return fmt.Sprintf("The ip %q contains whitespace. Write the address alone, for example \"10.0.0.5\".", s)
				}
				return ""
			},
		},
	}
}

// kernelArgsValidator checks a host's extra kernel arguments.
func kernelArgsValidator() validator.String {
	return stringRuleValidator{
		summary:     "Invalid kernel_args",
		description: "kernel_args must be at most 250 characters, without leading, trailing or repeated spaces or control characters",
		rules: []stringRule{
			func(s string) string {
				if s != "" && strings.TrimSpace(s) == "" {
					return "kernel_args is only whitespace, which FOG stores as empty. Use \"\" or leave the argument out."
				}
				return ""
			},
			ruleNoSurroundingSpace("kernel_args"),
			ruleNoDoubleSpaces("kernel_args"),
			ruleNoControl("kernel_args"),
			ruleMaxChars(kernelArgsMaxChars, "FOG stores at most 250 characters of a host's kernel arguments and silently cuts the rest off."),
			ruleBMPOnly("kernel_args"),
		},
	}
}

// compileNameRegex compiles a name_regex known only now (its validator
// refuses a configured one first): nil when it is null or unknown, an error
// on the attribute when it is not RE2.
func compileNameRegex(v types.String, diags *diag.Diagnostics) *regexp.Regexp {
	if !known(v) {
		return nil
	}
	re, err := regexp.Compile(v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", "name_regex is not a valid RE2 regular expression: "+err.Error())
	}
	return re
}

// groupNameValidator refuses group names FOG would store as an unreadable
// row, cut onto another group, hide, or escape once more with every change
// of the group (fogclient.CheckGroupName, reference/fleet.md §1.2, §1.4).
func groupNameValidator() validator.String {
	return stringRuleValidator{
		summary: "Invalid group name",
		description: "name must be 1-50 characters without leading, trailing or repeated spaces, without & < > \" ', " +
			"without \"_api_\" and without characters outside the Basic Multilingual Plane",
		rules: []stringRule{
			ruleNotBlank("A group name"),
			ruleNoSurroundingSpace("group name"),
			ruleMaxChars(fogclient.GroupNameMax, "FOG stores at most 50 characters of a group name and silently cuts the rest off; "+
				"if the first 50 characters match another group's name, FOG overwrites that group. Use a shorter name."),
			ruleNoDoubleSpaces("group name"),
			ruleNoControl("group name"),
			ruleNoChars(fogclient.GroupNameForbidden, "FOG returns these characters HTML-escaped, and every change of the group "+
				"that does not resend the name (an unchanged name is never resent: FOG refuses it) escapes it once more. "+
				"Use letters, digits, spaces, '-', '_' or '.' instead."),
			ruleNoAPIInfix,
			ruleBMPOnly("group name"),
		},
	}
}

// groupStringMaxChars is the width of groups.groupKernel, groupKernelArgs
// and groupPrimaryDisk (varchar(255)).
const groupStringMaxChars = 255

// groupStringValidator checks a group's kernel, kernel_args or kernel_device,
// which FOG trims and cuts at 255 characters.
func groupStringValidator(what string) validator.String {
	return stringRuleValidator{
		summary:     "Invalid " + what,
		description: what + " must be at most 255 characters, without leading, trailing or repeated spaces or control characters",
		rules: []stringRule{
			func(s string) string {
				if s != "" && strings.TrimSpace(s) == "" {
					return what + " is only whitespace, which FOG stores as empty. Use \"\" or leave the argument out."
				}
				return ""
			},
			ruleNoSurroundingSpace(what),
			ruleNoDoubleSpaces(what),
			ruleNoControl(what),
			ruleMaxChars(groupStringMaxChars, "FOG stores at most 255 characters of it and silently cuts the rest off."),
			ruleBMPOnly(what),
		},
	}
}

// exactlyOneOf refuses a configuration that sets both of two arguments, or
// neither, saying what each is for (the framework's validator only names them).
type exactlyOneOf struct {
	a, b string
	// both and neither are the fixes, as sentences.
	both, neither string
}

var (
	_ resource.ConfigValidator = exactlyOneOf{}
	_ action.ConfigValidator   = exactlyOneOf{}
)

func (v exactlyOneOf) Description(context.Context) string {
	return fmt.Sprintf("exactly one of %s and %s must be set", v.a, v.b)
}

func (v exactlyOneOf) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v exactlyOneOf) check(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics, diags *diag.Diagnostics) {
	var a, b attr.Value
	diags.Append(get(ctx, path.Root(v.a), &a)...)
	diags.Append(get(ctx, path.Root(v.b), &b)...)
	if diags.HasError() {
		return
	}
	switch {
	case !a.IsNull() && !b.IsNull():
		diags.AddAttributeError(path.Root(v.b), "Conflicting arguments", fmt.Sprintf("%s and %s are both set. %s", v.a, v.b, v.both))
	case a.IsNull() && b.IsNull():
		diags.AddError("Missing argument", fmt.Sprintf("Neither %s nor %s is set. %s", v.a, v.b, v.neither))
	}
}

func (v exactlyOneOf) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	v.check(ctx, req.Config.GetAttribute, &resp.Diagnostics)
}

func (v exactlyOneOf) ValidateAction(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	v.check(ctx, req.Config.GetAttribute, &resp.Diagnostics)
}

// hostOrGroup: a task is for one host or for every member of a group.
var hostOrGroup = exactlyOneOf{a: "host_id", b: "group_id",
	both:    "A task is for one host (host_id) or for every member of a group (group_id): remove one of them.",
	neither: "Set host_id to start the task for one host, or group_id for every member of a group."}

// objectNameValidator refuses names of snapins, storage groups and storage
// nodes that FOG would cut off, escape, hide or store differently.
func objectNameValidator(kind string, maxChars int) validator.String {
	return stringRuleValidator{
		summary: "Invalid " + kind + " name",
		description: fmt.Sprintf("name must be 1-%d characters without leading, trailing or repeated spaces, without & \" ' < > %%, "+
			"without \"_api_\" and without characters outside the Basic Multilingual Plane", maxChars),
		rules: []stringRule{
			ruleNotBlank("A " + kind + " name"),
			ruleNoSurroundingSpace(kind + " name"),
			ruleMaxChars(maxChars, fmt.Sprintf("FOG stores at most %d characters of a %s name and cuts the rest off. Use a shorter name.", maxChars, kind)),
			ruleNoDoubleSpaces(kind + " name"),
			ruleNoControl(kind + " name"),
			ruleNoChars(`&"'<>%`, "FOG returns these characters HTML-escaped (& becomes &amp;) and every later save escapes the name once more; "+
				"% is a wildcard in FOG's name lookups. Use letters, digits, spaces, '-', '_' or '.' instead."),
			ruleNoAPIInfix,
			ruleBMPOnly(kind + " name"),
		},
	}
}
