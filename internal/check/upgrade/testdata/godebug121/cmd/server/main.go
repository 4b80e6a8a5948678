//go:debug panicnil=1

// Command server serves the routes.
package main

import (
	"net/http"

	"example.com/godebug121/routes"
)

func main() {
	http.ListenAndServe("localhost:8080", routes.Mux())
}
