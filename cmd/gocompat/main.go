package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gocompat/gocompat/internal/check/loopvar"
	"github.com/gocompat/gocompat/internal/childproc"
	"github.com/gocompat/gocompat/internal/cli"
	"github.com/gocompat/gocompat/internal/vetcache"
	"github.com/gocompat/gocompat/internal/vetcfg"
)

func main() {
	if vetcache.Active(os.Args[1:]) {
		vetcache.Main() // exits: gocompat matrix's go vet, a release's vet behind a cache
	}
	if vetcfg.IsInvocation(os.Args[1:]) {
		loopvar.VetMain() // exits
	}
	// This executable is a vet tool: loopvar runs through go vet with it,
	// which caches per-package results in the build cache.
	exe, _ := os.Executable()
	// SIGINT or SIGTERM (what kill, systemd and container runtimes send)
	// cancels the context: the checks stop, children's process groups are
	// killed (internal/childproc), temporary directories are removed, and
	// gocompat writes the report of the steps that finished (exit 2). A
	// second signal, once the first has cancelled, ends it at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	// The go commands gocompat starts keep their work in one directory,
	// removed at the end, also when they were killed (internal/childproc).
	removeGoTmp := func() {}
	if dir, remove, err := childproc.GoTmpDir(os.Environ()); err == nil {
		os.Setenv("GOTMPDIR", dir)
		removeGoTmp = remove
	} // else: the go commands make theirs where they would

	code := cli.Main(ctx, cli.Invocation{
		Args:    os.Args[1:],
		Env:     os.Environ(),
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		VetTool: exe,
	})
	stop()
	removeGoTmp()
	os.Exit(code)
}
