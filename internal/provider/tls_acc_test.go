// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fogproject/terraform-provider-fog/internal/fogtest"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	PEM  string
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// serverCert issues a certificate for 127.0.0.1.
func (ca *testCA) serverCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "fog test server"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestAccProvider_tls: against an https emulator whose certificate comes from
// a CA of its own, verification is on by default (the provider refuses the
// server and says to set ca_cert_pem), a different CA is refused too,
// ca_cert_pem with the right CA works, and insecure = true works only because
// it is asked for.
func TestAccProvider_tls(t *testing.T) {
	env := newAccEnv(t)
	skipUnlessEmulator(t, env, "serves the emulator over TLS with a CA of its own")
	ca := newTestCA(t, "fog test CA")
	otherCA := newTestCA(t, "some other CA")
	emu := fogtest.New(fogtest.Options{})
	ts := httptest.NewUnstartedServer(emu)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{ca.serverCert(t)}, MinVersion: tls.VersionTLS12}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	ts.StartTLS()
	t.Cleanup(ts.Close)
	tlsEnv := &accEnv{URL: ts.URL, APIToken: emu.APITokenHeader(), UserToken: emu.UserTokenHeader(), Emulator: emu}

	probeChecks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.fog_hosts.probe", tfjsonpath.New("hosts"), knownvalue.ListSizeExact(0)),
		stateCheckFunc(func() error {
			if emu.Count("GET /fog/system/status") == 0 {
				return fmt.Errorf("the provider never reached the server")
			}
			return nil
		}),
	}
	untrusted := expectError(`Unable to connect to the FOG server`, `certificate`, `Set ca_cert_pem to the PEM text of the CA`)
	accParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      tlsEnv.providerBlock(map[string]string{}) + configureProbe,
				ExpectError: untrusted,
			},
			{
				Config:      tlsEnv.providerBlock(map[string]string{"ca_cert_pem": fmt.Sprintf("%q", otherCA.PEM)}) + configureProbe,
				ExpectError: untrusted,
			},
			{
				PreConfig: func() {
					if n := emu.TotalRequests(); n != 0 {
						t.Errorf("%d requests reached the server over untrusted connections", n)
					}
				},
				Config:            tlsEnv.providerBlock(map[string]string{"ca_cert_pem": fmt.Sprintf("%q", ca.PEM)}) + configureProbe,
				ConfigStateChecks: probeChecks,
			},
			{
				PreConfig:         func() { emu.ResetCounters() },
				Config:            tlsEnv.providerBlock(map[string]string{"insecure": "true"}) + configureProbe,
				ConfigStateChecks: probeChecks,
			},
		},
	})
}
