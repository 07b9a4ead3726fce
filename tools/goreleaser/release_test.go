// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package releasecheck checks .goreleaser.yml the way a release uses it: it
// runs goreleaser on a copy of the working tree and asserts the files the
// Terraform Registry reads. Run it with `make release-check`, which builds
// goreleaser and sets GORELEASER.
package releasecheck

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	project = "terraform-provider-fog"
	// The tag of the throwaway repository the release is built from: the
	// file names below use it the way a real tag vX.Y.Z does.
	tag     = "v0.0.1"
	version = "0.0.1"
)

// defaultTargets are built unless RELEASE_TARGETS says otherwise: the host's
// platform and one cross-compiled platform whose binary is an .exe. Every
// target is a full compilation of the provider (minutes on two cores when the
// build cache is cold); RELEASE_TARGETS=all builds the whole matrix of
// .goreleaser.yml.
var defaultTargets = []string{"linux_amd64", "windows_amd64"}

func TestRelease(t *testing.T) {
	bin := os.Getenv("GORELEASER")
	if bin == "" {
		t.Skip("GORELEASER is not set: run `make release-check`")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	targets := defaultTargets
	if s := os.Getenv("RELEASE_TARGETS"); s == "all" {
		targets = nil
	} else if s != "" {
		targets = strings.Fields(s)
	}

	tmp := t.TempDir()
	src := filepath.Join(tmp, project)
	copyWorkingTree(t, root, src)
	// goreleaser reads the version from the tag and the GitHub repository
	// from the origin remote: a throwaway repository gives it both, whatever
	// the checkout's own remote and tags are.
	git(t, src, "init", "-q")
	git(t, src, "remote", "add", "origin", "https://github.com/fogproject/terraform-provider-fog.git")
	git(t, src, "add", "-A")
	git(t, src, "-c", "user.name=release-check", "-c", "user.email=release-check@invalid", "commit", "-q", "--no-verify", "-m", "release check")
	git(t, src, "tag", tag)

	// The snapshot below builds two platforms; goreleaser check looks at the
	// full matrix but only warns about a platform Go dropped (windows/arm,
	// gone in Go 1.26), on which the release fails after minutes of building.
	if out := run(t, src, bin, "check", "--config", ".goreleaser.yml"); strings.Contains(out, "broken target") {
		t.Errorf(".goreleaser.yml builds a platform the Go toolchain cannot build (goreleaser check: broken target): add it to ignore")
	}

	cfg := filepath.Join(tmp, "goreleaser-check.yml")
	writeNarrowedConfig(t, filepath.Join(src, ".goreleaser.yml"), cfg, targets)
	run(t, src, bin, "release", "--snapshot", "--clean", "--skip=sign,publish,announce", "--config", cfg)

	dist := filepath.Join(src, "dist")
	if len(targets) == 0 {
		targets = builtTargets(t, dist)
	}
	checkRelease(t, src, dist, targets)
}

// checkRelease asserts what the registry needs from a release: one zip per
// platform with the binary at its root, the checksums of every zip and of
// the manifest in one SHA256SUMS file, and the manifest itself.
func checkRelease(t *testing.T, src, dist string, targets []string) {
	t.Helper()
	var meta struct {
		Version string `json:"version"`
	}
	readJSON(t, filepath.Join(dist, "metadata.json"), &meta)
	if meta.Version != version {
		t.Errorf("metadata.json: version %q, want %q (from tag %s)", meta.Version, version, tag)
	}

	var wantZips []string
	for _, target := range targets {
		osName, arch, _ := strings.Cut(target, "_")
		arch, _, _ = strings.Cut(arch, "_") // amd64_v1 -> amd64
		name := fmt.Sprintf("%s_%s_%s_%s.zip", project, version, osName, arch)
		wantZips = append(wantZips, name)
		binary := fmt.Sprintf("%s_v%s", project, version)
		if osName == "windows" {
			binary += ".exe"
		}
		checkZip(t, filepath.Join(dist, name), binary)
	}
	gotZips, err := filepath.Glob(filepath.Join(dist, "*.zip"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range gotZips {
		gotZips[i] = filepath.Base(gotZips[i])
	}
	sort.Strings(wantZips)
	sort.Strings(gotZips)
	if !slices.Equal(gotZips, wantZips) {
		t.Errorf("archives:\n got %q\nwant %q", gotZips, wantZips)
	}

	manifestName := fmt.Sprintf("%s_%s_manifest.json", project, version)
	manifest, err := os.ReadFile(filepath.Join(src, "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkManifest(t, manifest)

	sums := readSums(t, filepath.Join(dist, fmt.Sprintf("%s_%s_SHA256SUMS", project, version)))
	var sumNames []string
	for name := range sums {
		sumNames = append(sumNames, name)
	}
	sort.Strings(sumNames)
	wantSums := append(slices.Clone(wantZips), manifestName)
	sort.Strings(wantSums)
	if !slices.Equal(sumNames, wantSums) {
		t.Errorf("SHA256SUMS lists\n %q\nwant %q", sumNames, wantSums)
	}
	for _, name := range wantZips {
		if got, want := sums[name], sha256File(t, filepath.Join(dist, name)); got != want {
			t.Errorf("SHA256SUMS: %s: %s, the file's is %s", name, got, want)
		}
	}
	if got, want := sums[manifestName], sha256Hex(manifest); got != want {
		t.Errorf("SHA256SUMS: %s: %s, terraform-registry-manifest.json's is %s", manifestName, got, want)
	}

	// A snapshot publishes nothing, so the upload of the manifest
	// (release.extra_files) is checked in the configuration: it must send
	// the file and the name that SHA256SUMS lists.
	var cfg struct {
		Checksum struct {
			ExtraFiles []extraFile `yaml:"extra_files"`
		} `yaml:"checksum"`
		Release struct {
			ExtraFiles []extraFile `yaml:"extra_files"`
		} `yaml:"release"`
	}
	body, err := os.ReadFile(filepath.Join(src, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(body, &cfg); err != nil {
		t.Fatal(err)
	}
	manifestFile := extraFile{Glob: "terraform-registry-manifest.json"}
	for _, f := range cfg.Checksum.ExtraFiles {
		if f.Glob == manifestFile.Glob {
			manifestFile.NameTemplate = f.NameTemplate
		}
	}
	if !slices.Contains(cfg.Release.ExtraFiles, manifestFile) {
		t.Errorf(".goreleaser.yml: release.extra_files %+v does not upload %+v, the manifest SHA256SUMS lists", cfg.Release.ExtraFiles, manifestFile)
	}
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

// checkManifest asserts the manifest says what the provider serves: plugin
// protocol 6 only (main.go serves it with providerserver, protocol 6).
func checkManifest(t *testing.T, body []byte) {
	t.Helper()
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("terraform-registry-manifest.json: %v", err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("terraform-registry-manifest.json: version %d, protocol_versions %q; want 1 and [\"6.0\"]", m.Version, m.Metadata.ProtocolVersions)
	}
}

// checkZip asserts the provider binary is at the root of the archive, where
// Terraform looks for it after unpacking.
func checkZip(t *testing.T, path, binary string) {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	defer func() { _ = r.Close() }()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
		if f.Name == binary && f.Mode()&0o100 == 0 {
			t.Errorf("%s: %s is not executable (%v)", filepath.Base(path), binary, f.Mode())
		}
	}
	if !slices.Contains(names, binary) {
		t.Errorf("%s holds %q, not %s", filepath.Base(path), names, binary)
	}
}

// writeNarrowedConfig writes .goreleaser.yml with its builds limited to
// targets (all of them when targets is empty) and a snapshot version equal
// to the tag's, so the file names are the ones a release of that tag has.
func writeNarrowedConfig(t *testing.T, from, to string, targets []string) {
	t.Helper()
	body, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v", from, err)
	}
	top := doc.Content[0]
	if len(targets) > 0 {
		builds := mapValue(top, "builds")
		if builds == nil || builds.Kind != yaml.SequenceNode || len(builds.Content) == 0 {
			t.Fatalf("%s: no builds list", from)
		}
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, target := range targets {
			list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: target})
		}
		for _, b := range builds.Content {
			setMapValue(b, "targets", list)
		}
	}
	setMapValue(top, "snapshot", &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "version_template"},
		{Kind: yaml.ScalarNode, Value: "{{ .Version }}", Style: yaml.DoubleQuotedStyle},
	}})
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setMapValue(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// builtTargets lists the platforms of the archives goreleaser made, for the
// full matrix.
func builtTargets(t *testing.T, dist string) []string {
	t.Helper()
	var artifacts []struct {
		Type   string `json:"type"`
		Goos   string `json:"goos"`
		Goarch string `json:"goarch"`
	}
	readJSON(t, filepath.Join(dist, "artifacts.json"), &artifacts)
	var targets []string
	for _, a := range artifacts {
		if a.Type == "Archive" {
			targets = append(targets, a.Goos+"_"+a.Goarch)
		}
	}
	if len(targets) == 0 {
		t.Fatal("artifacts.json lists no archive")
	}
	return targets
}

func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 || name == "" {
			t.Errorf("%s: line %q is not \"<sha256>  <file>\"", filepath.Base(path), sc.Text())
			continue
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// copyWorkingTree copies the files git tracks or would track (uncommitted
// changes included, ignored files such as dist/ and bin/ left out).
func copyWorkingTree(t *testing.T, from, to string) {
	t.Helper()
	out := gitOutput(t, from, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
		src := filepath.Join(from, name)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		body, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(to, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, body, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	gitOutput(t, dir, args...)
}

func gitOutput(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	t.Logf("$ %s %s", filepath.Base(name), strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	cmd.Stderr = io.MultiWriter(os.Stderr, &out)
	// The check must not depend on a signing key or a token being around.
	cmd.Env = append(os.Environ(), "GITHUB_TOKEN=", "GPG_FINGERPRINT=")
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), err)
	}
	return out.String()
}
