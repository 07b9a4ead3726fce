// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
)

// buildTransport returns Config.Transport or a clone of http.DefaultTransport
// (keeping ProxyFromEnvironment), with the TLS settings applied.
//
// The transport keeps as many idle connections to FOG as requests may be in
// flight (Config.MaxConcurrent). Go's default keeps 2: with more requests in
// flight, every burst closed the other connections and opened new ones, a
// TCP (and, over HTTPS, a TLS) handshake per request. FOG 1.5.9 itself
// answers every request with "Connection: close" (the recordings), so this
// helps only where a reverse proxy in front of FOG keeps connections open.
func buildTransport(cfg Config) (http.RoundTripper, error) {
	wantTLS := cfg.Insecure || strings.TrimSpace(cfg.CACertPEM) != ""
	var t *http.Transport
	switch base := cfg.Transport.(type) {
	case nil:
		dt, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			return nil, configError("http.DefaultTransport is not an *http.Transport; set Config.Transport")
		}
		t = dt.Clone()
	case *http.Transport:
		t = base.Clone()
	default:
		if wantTLS {
			return nil, configError("CACertPEM and Insecure need Transport to be nil or an *http.Transport")
		}
		return base, nil
	}
	if t.Proxy == nil && cfg.Transport == nil {
		t.Proxy = http.ProxyFromEnvironment
	}
	if t.MaxIdleConnsPerHost < cfg.MaxConcurrent {
		t.MaxIdleConnsPerHost = cfg.MaxConcurrent
	}
	if t.MaxIdleConns != 0 && t.MaxIdleConns < cfg.MaxConcurrent {
		t.MaxIdleConns = cfg.MaxConcurrent
	}
	if !wantTLS {
		return t, nil
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		tlsCfg = t.TLSClientConfig.Clone()
	}
	if cfg.Insecure {
		tlsCfg.InsecureSkipVerify = true // #nosec G402 -- explicit opt-in
	}
	if pem := strings.TrimSpace(cfg.CACertPEM); pem != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(pem)) {
			return nil, configError("CACertPEM holds no PEM certificate")
		}
		tlsCfg.RootCAs = pool
	}
	t.TLSClientConfig = tlsCfg
	return t, nil
}
