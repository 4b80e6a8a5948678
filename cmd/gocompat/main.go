package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/cli"
)

func main() {
	if loopvar.IsVetInvocation(os.Args[1:]) {
		loopvar.VetMain() // exits
	}
	// This executable is a vet tool: loopvar runs through go vet with it,
	// which caches per-package results in the build cache.
	exe, _ := os.Executable()
	// The first SIGINT or SIGTERM stops the checks, and gocompat writes
	// the report of those that finished (exit 2); a second one ends it
	// at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := cli.Main(ctx, cli.Invocation{
		Args:    os.Args[1:],
		Env:     os.Environ(),
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		VetTool: exe,
	})
	stop()
	os.Exit(code)
}
