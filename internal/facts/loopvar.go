package facts

import "go/version"

// Facts about the Go 1.22 change to loop variables. They were checked
// against the compiler of go1.26 (cmd/compile/internal/loopvar and
// cmd/compile/internal/noder) and the go/types version logic.
var (
	SrcLoopvarSpec = Source{
		Title: "The Go Programming Language Specification: For statements with for clause / range clause (each iteration has its own separate declared variable, Go 1.22)",
		URL:   "https://go.dev/ref/spec#For_clause",
	}
	SrcLoopvarRelNotes = Source{
		Title: "Go 1.22 release notes: loop variables are per-iteration in modules at go 1.22 or later",
		URL:   "https://go.dev/doc/go1.22#language",
	}
	SrcLoopvarWiki = Source{
		Title: "Go wiki: LoopvarExperiment (which loops change, and how to find them with the compiler's -d=loopvar flag and bisect)",
		URL:   "https://go.dev/wiki/LoopvarExperiment",
	}
	SrcGoBuildVersion = Source{
		Title: "Go toolchains: a //go:build go1.N line sets a file's language version, but never below go1.21",
		URL:   "https://go.dev/doc/toolchain#version",
	}
	SrcGoLineDefault = Source{
		Title: "Go modules reference: a go.mod without a go directive is assumed to be go 1.16",
		URL:   "https://go.dev/ref/mod#go-mod-file-go",
	}
	// What decides whether a leaked loop variable outlives its
	// iteration (the loopvar analyzer's no-change judgements).
	SrcTestingRun = Source{
		Title: "testing: (*T).Run runs f in a separate goroutine and blocks until f returns or calls t.Parallel to become a parallel test",
		URL:   "https://pkg.go.dev/testing#T.Run",
	}
	SrcWaitGroup = Source{
		Title: "sync: a WaitGroup waits for a collection of goroutines to finish; Wait blocks until the counter is zero, and each goroutine calls Done when finished",
		URL:   "https://pkg.go.dev/sync#WaitGroup",
	}
	SrcAppendCopy = Source{
		Title: "The Go Programming Language Specification: append and copy copy the elements of their slice arguments",
		URL:   "https://go.dev/ref/spec#Appending_and_copying_slices",
	}
	SrcStringConversion = Source{
		Title: "The Go Programming Language Specification: converting a slice of bytes or runes to a string yields a string of those elements",
		URL:   "https://go.dev/ref/spec#Conversions_to_and_from_a_string_type",
	}
	SrcEscapeAnalysis = Source{
		Title: "Go wiki: Compiler And Runtime Optimizations, escape analysis (-gcflags=-m prints which parameters leak and which do not escape)",
		URL:   "https://go.dev/wiki/CompilerOptimizations#escape-analysis-and-inlining",
	}
)

// LoopvarVersion is the first language version in which a loop variable
// declared with := in a for or range clause is a fresh variable in each
// iteration.
const LoopvarVersion = "go1.22"

// MinTaggedFileVersion is the lowest language version a file can get from
// its own //go:build go1.N line: go/types and the compiler use
// max(go1.N, go1.21) (go/types/check.go, cmd/compile/internal/types2).
const MinTaggedFileVersion = "go1.21"

// DefaultGoLine is the language version of a module whose go.mod has no go
// directive (cmd/go/internal/gover.DefaultGoModVersion).
const DefaultGoLine = "go1.16"

// PerIterationLoopVars reports whether a file at language version v (as
// go/types reports it in Info.FileVersions) gives each iteration its own
// loop variables. The compiler treats an empty version as the newest
// (cmd/compile/internal/noder/writer.go, distinctVars).
func PerIterationLoopVars(v string) bool {
	return v == "" || version.Compare(v, LoopvarVersion) >= 0
}
