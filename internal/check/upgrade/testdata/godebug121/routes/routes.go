// Package routes registers handlers on a ServeMux.
package routes

import "net/http"

// Mux serves a path that contains braces, which Go 1.22 patterns read as
// {$} (end of path) rather than as the literal text.
func Mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("v1"))
	})
	mux.Handle("/health", http.NotFoundHandler())
	return mux
}
