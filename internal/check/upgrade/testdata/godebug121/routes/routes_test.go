package routes

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestLiteralPath(t *testing.T) {
	rec := httptest.NewRecorder()
	Mux().ServeHTTP(rec, httptest.NewRequest("GET", "/v1/%7B$%7D", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /v1/{$}: status %d, want 200", rec.Code)
	}
}
