// Package server serves files over HTTP; net/http and crypto/x509 read
// GODEBUG settings whose defaults change after Go 1.24.
package server

import (
	"crypto/x509"
	"net/http"
)

// Handler serves dir.
func Handler(dir string) http.Handler { return http.FileServer(http.Dir(dir)) }

// Pool is the system's certificate pool.
func Pool() (*x509.CertPool, error) { return x509.SystemCertPool() }
