// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

// The outage test: 100 resources (60 fog_image, 20 fog_host, 20
// fog_host_image_assignment) applied by the real CLI with -parallelism=10
// while FOG goes down in the middle of the apply (fogtest's outage: the
// writes in flight are applied and their answers cut, then connections are
// refused, or a restarting PHP pool answers 503), for less than
// retry_max_wait (the apply rides it out) and for longer (the apply fails,
// leaving records of the creates whose outcome it could not learn, and the
// next one converges). Afterwards the state and the server are compared
// object by object. It prints, per cut,
//
//	outage: R resources, cut mid-apply (...), converged after K applies, D duplicates, O orphans, state matches: yes|no
//
// Like the load test, it drives the CLI with terraform-exec (-parallelism).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/fogproject/terraform-provider-fog/internal/fogclient"
	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

const (
	outageImages      = 60
	outageHosts       = 20 // each with the assignment of one image
	outageParallelism = 10
	// outageAfterWrites: the outage starts with this write (of 100).
	outageAfterWrites = 40
	// outageMaxApplies bounds the applies to convergence.
	outageMaxApplies = 3
)

// outageConfig is the configuration of the outage test.
func outageConfig(env *accEnv, retryMaxWait string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    fog = { source = \"fogproject/fog\" }\n  }\n}\n\n%s\n",
		env.providerBlock(map[string]string{"max_retries": "5", "retry_max_wait": strconv.Quote(retryMaxWait)}))
	for i := 0; i < outageImages; i++ {
		fmt.Fprintf(&b, "resource \"fog_image\" \"img%02d\" {\n  name          = \"outage-%02d\"\n  path          = \"outage-%02d\"\n"+
			"  image_type_id = 1\n  os_id         = 9\n  description   = \"outage image %d\"\n}\n\n", i, i, i, i)
	}
	for i := 0; i < outageHosts; i++ {
		fmt.Fprintf(&b, "resource \"fog_host\" \"h%02d\" {\n  name = \"outage-h%02d\"\n  macs = [\"02:00:00:20:00:%02x\"]\n}\n\n", i, i, i)
		fmt.Fprintf(&b, "resource \"fog_host_image_assignment\" \"a%02d\" {\n  host_id  = tonumber(fog_host.h%02d.id)\n"+
			"  image_id = tonumber(fog_image.img%02d.id)\n}\n\n", i, i, i)
	}
	return b.String()
}

func TestAccOutage(t *testing.T) {
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	for _, c := range []struct {
		name         string
		outage       fogtest.Outage
		retryMaxWait string
		wantApplies  int
	}{
		// The web server stopped for less than the budget: the first apply
		// converges.
		{"shorter than the budget", fogtest.Outage{Mode: fogtest.OutageRefuse, For: fogtest.Duration(1500 * time.Millisecond)}, "20s", 1},
		// For longer: the first apply fails, the second converges.
		{"longer than the budget", fogtest.Outage{Mode: fogtest.OutageRefuse, For: fogtest.Duration(5 * time.Second)}, "1s", 2},
		// PHP-FPM restarting behind a running web server, for longer.
		{"503 longer than the budget", fogtest.Outage{Mode: fogtest.OutageUnavailable, Status: 503, For: fogtest.Duration(5 * time.Second)}, "1s", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newAccEnv(t, withEmulatorOptions(func(o *fogtest.Options) { o.Latency = 5 * time.Millisecond }))
			skipUnlessEmulator(t, env, "takes the server down in the middle of an apply")
			if tfPath == "" {
				t.Skip("TF_ACC_TERRAFORM_PATH is not set: the outage test drives the CLI itself")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(outageConfig(env, c.retryMaxWait)), 0o600); err != nil {
				t.Fatal(err)
			}
			tf, err := tfexec.NewTerraform(dir, tfPath)
			if err != nil {
				t.Fatal(err)
			}
			reattach := tfexec.Reattach(serveProviderInProcess(t))
			if err := tf.Init(ctx, reattach); err != nil {
				t.Fatalf("init: %v", err)
			}

			o := c.outage
			o.AfterWrites = outageAfterWrites
			env.Emulator.StartOutage(o)
			applies, records := 0, 0
			for applies < outageMaxApplies {
				applies++
				n, text := cliRun(tf, func() error { return tf.Apply(ctx, reattach, tfexec.Parallelism(outageParallelism)) })
				if n == 0 {
					break
				}
				recorded := len(recordedAttempt.FindAllStringIndex(text, -1))
				records += recorded
				t.Logf("apply %d failed with %d errors (%d writes recorded with an unknown outcome):\n%s", applies, n, recorded, text)
				// An outage is FOG's failure, never the provider's: no error may
				// be Terraform's report of a provider bug (a record with unknown
				// values once was).
				if strings.Contains(text, "invalid result object") || strings.Contains(text, "bug in the provider") {
					t.Errorf("apply %d: an error reports a provider bug", applies)
				}
				// An operator applies again once FOG is back.
				if err := env.Emulator.WaitOutageOver(ctx); err != nil {
					t.Fatal(err)
				}
			}
			changes, err := tf.Plan(ctx, reattach, tfexec.Parallelism(outageParallelism))
			converged := err == nil && !changes
			state, err := tf.Show(ctx, reattach)
			if err != nil {
				t.Fatalf("show: %v", err)
			}
			resources, duplicates, orphans, problems := compareOutageState(env, state)
			st := env.Emulator.OutageStats()
			matches := "yes"
			if len(problems) > 0 || !converged {
				matches = "no"
			}
			fmt.Printf("outage: %d resources, cut mid-apply (%s for %s, retry_max_wait %s), converged after %d applies, "+
				"%d duplicates, %d orphans, state matches: %s\n", resources, describeOutage(c.outage), time.Duration(c.outage.For),
				c.retryMaxWait, applies, duplicates, orphans, matches)
			t.Logf("outage: %+v; %d writes recorded with an unknown outcome", st, records)

			if st.Windows != 1 || st.ListenErr != "" {
				t.Errorf("the outage did not happen as planned: %+v", st)
			}
			if !converged {
				t.Errorf("not converged after %d applies (plan error %v, changes %v)", applies, err, changes)
			}
			if applies != c.wantApplies {
				t.Errorf("converged after %d applies, want %d", applies, c.wantApplies)
			}
			if want := outageImages + 2*outageHosts; resources != want {
				t.Errorf("%d resources in the state, want %d", resources, want)
			}
			if duplicates != 0 || orphans != 0 {
				t.Errorf("%d duplicates, %d orphans", duplicates, orphans)
			}
			for _, p := range problems {
				t.Error(p)
			}

			if n, text := cliRun(tf, func() error { return tf.Destroy(ctx, reattach, tfexec.Parallelism(outageParallelism)) }); n > 0 {
				t.Errorf("destroy: %s", text)
			}
			if imgs, hosts := env.Emulator.IDs("image"), env.Emulator.IDs("host"); len(imgs)+len(hosts) != 0 {
				t.Errorf("left after the destroy: images %v, hosts %v", imgs, hosts)
			}
		})
	}
}

// recordedAttempt finds the diagnostic of a recorded write in the CLI's
// output, which wraps long lines.
var recordedAttempt = regexp.MustCompile(`The\s+attempt\s+is\s+recorded\s+in\s+the\s+state`)

func describeOutage(o fogtest.Outage) string {
	if o.Mode == fogtest.OutageRefuse {
		return "connections refused"
	}
	return fmt.Sprintf("HTTP %d", o.Status)
}

// compareOutageState compares every object of the state with the server,
// field by field, and counts duplicates (two objects of one name) and
// orphans (objects on the server that the state does not hold).
func compareOutageState(env *accEnv, state *tfjson.State) (resources, duplicates, orphans int, problems []string) {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return 0, 0, 0, []string{"the state is empty"}
	}
	emu := env.Emulator
	raw := func(class string, id int64, field string) string {
		v, ok := emu.RawField(class, id, field)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %d is in the state but not on the server", class, id))
		}
		return v
	}
	inState := map[string]map[int64]bool{"image": {}, "host": {}}
	imageByName := map[string]string{} // image name -> id in the state
	assigned := map[int64]string{}     // host id -> image id in the state
	for _, r := range state.Values.RootModule.Resources {
		resources++
		v := r.AttributeValues
		id, _ := strconv.ParseInt(fmt.Sprint(v["id"]), 10, 64)
		switch r.Type {
		case "fog_image":
			inState["image"][id] = true
			imageByName[fmt.Sprint(v["name"])] = fmt.Sprint(v["id"])
			for field, attr := range map[string]string{"name": "name", "path": "path", "description": "description", "osID": "os_id"} {
				if got := raw("image", id, field); got != fmt.Sprint(v[attr]) {
					problems = append(problems, fmt.Sprintf("%s: %s %v in the state, %q on the server", r.Address, attr, v[attr], got))
				}
			}
		case "fog_host":
			inState["host"][id] = true
			if got := raw("host", id, "name"); got != fmt.Sprint(v["name"]) {
				problems = append(problems, fmt.Sprintf("%s: name %v in the state, %q on the server", r.Address, v["name"], got))
			}
			ctx, cancel := fixtureContext()
			h, err := env.Client.GetHost(ctx, id)
			cancel()
			if err != nil || h.PrimaryMAC != fmt.Sprint(v["primary_mac"]) {
				problems = append(problems, fmt.Sprintf("%s: primary MAC %v in the state; on the server %+v (%v)", r.Address, v["primary_mac"], h, err))
			}
		case "fog_host_image_assignment":
			host, _ := strconv.ParseInt(fmt.Sprint(v["host_id"]), 10, 64)
			assigned[host] = fmt.Sprint(v["image_id"])
			if got := raw("host", host, "imageID"); got != fmt.Sprint(v["image_id"]) {
				problems = append(problems, fmt.Sprintf("%s: image %v in the state, %s on the server", r.Address, v["image_id"], got))
			}
		}
	}
	// Each host has the image of its own number.
	for i := 0; i < outageHosts; i++ {
		var hostID int64
		for id := range inState["host"] {
			if n, _ := emu.RawField("host", id, "name"); n == fmt.Sprintf("outage-h%02d", i) {
				hostID = id
			}
		}
		if want := imageByName[fmt.Sprintf("outage-%02d", i)]; hostID == 0 || assigned[hostID] != want {
			problems = append(problems, fmt.Sprintf("host outage-h%02d (%d) has image %s in the state, want %s", i, hostID, assigned[hostID], want))
		}
	}
	for _, class := range []string{"image", "host"} {
		names := map[string]int{}
		for _, id := range emu.IDs(class) {
			name, _ := emu.RawField(class, id, "name")
			names[strings.ToLower(name)]++
			if !inState[class][id] {
				orphans++
				problems = append(problems, fmt.Sprintf("%s %d (%q) is on the server but not in the state", class, id, name))
			}
		}
		for _, n := range names {
			duplicates += n - 1
		}
	}
	return resources, duplicates, orphans, problems
}

// TestAccOutage_destroyWithNameConflict: Terraform runs a normal plan before
// a destroy, so a check against the server's state that failed the plan
// would block the destroy too. With an image whose name FOG already has,
// the plan warns, the destroy deletes what the state holds, and the image
// that holds the name is left alone.
func TestAccOutage_destroyWithNameConflict(t *testing.T) {
	env := newAccEnv(t)
	taken := env.CreateImage(t, fogclient.ImageCreate{})
	mine := uniqueImageName("mine")
	applied := env.Config(imageConfig(mine, mine, ""))
	// The configuration gains an image whose name FOG already has (another
	// letter case): it is not in the state, so the plan before the destroy
	// plans to create it, and its check runs.
	withConflict := applied + fmt.Sprintf(`
resource "fog_image" "conflict" {
  name          = %q
  path          = "conflict"
  image_type_id = 1
  os_id         = 50
}
`, strings.ToUpper(taken.Name))
	rec := &diagRecorder{}
	defer rec.expectPlanWarning(t, "destroy", "fog_image", "name", fmt.Sprintf("FOG already has an image named %q (id %d)", taken.Name, taken.ID))
	var mineID int64
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{Config: applied},
			{
				PreConfig: func() {
					ctx, cancel := fixtureContext()
					defer cancel()
					img, err := findImageByName(ctx, env.Client, mine)
					if err != nil || img == nil {
						t.Fatalf("the image of the configuration was not created: %v", err)
					}
					mineID = img.ID
					rec.setLabel("destroy")
				},
				Config:  withConflict,
				Destroy: true,
			},
		},
	})
	ctx, cancel := fixtureContext()
	defer cancel()
	if _, err := env.Client.GetImage(ctx, mineID); mineID == 0 || !errors.Is(err, fogclient.ErrNotFound) {
		t.Errorf("image %d of the configuration after the destroy: %v, want it deleted", mineID, err)
	}
	if _, err := env.Client.GetImage(ctx, taken.ID); err != nil {
		t.Errorf("the image that holds the name: %v, want it left alone", err)
	}
}
