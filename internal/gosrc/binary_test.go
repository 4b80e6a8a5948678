package gosrc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBinary(t *testing.T) {
	dir := unpack(t, `-- go.mod --
module example.com/notify

go 1.25
-- main.go --
package main

import "os"

func main() { println(os.Getenv("NOTIFY_SOCKET")) }
`)
	bin := filepath.Join(dir, "app")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := ReadBinary(bin, "NOTIFY_SOCKET")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.GoVersion, "go1.") || !b.HasMarker {
		t.Errorf("binary = %+v", b)
	}
	b, err = ReadBinary(bin, "NOT_IN_THERE_4711")
	if err != nil || b.HasMarker {
		t.Errorf("marker found where it is not: %v %v", b, err)
	}
	if _, err := ReadBinary(filepath.Join(dir, "go.mod"), ""); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("error for a non-binary = %v", err)
	}
}

func TestContainsAcrossChunks(t *testing.T) {
	data := bytes.Repeat([]byte{'x'}, (1<<20)-3)
	data = append(data, []byte("NOTIFY_SOCKET")...)
	ok, err := contains(bytes.NewReader(data), []byte("NOTIFY_SOCKET"))
	if err != nil || !ok {
		t.Errorf("contains across a chunk boundary = %v, %v", ok, err)
	}
}
