// Package loopvar finds the loops whose behaviour depends on the Go 1.22
// change to loop variables, and the leftovers of the old semantics.
//
// Since Go 1.22 a variable declared with := in a for or range header is a
// new variable in each iteration, but only in files whose language
// version (go/types Info.FileVersions: the module's go line, or the
// file's //go:build go1.N line, never below go1.21) is go1.22 or later.
//
// In a file below go1.22 the analyzer reports every loop variable the
// compiler would make per-iteration on an upgrade, at its declaration
// (where the compiler's -d=loopvar=3 log puts it). Like the compiler
// (cmd/compile/internal/loopvar) it looks for syntactic leaks: capture by
// a func literal, &v (also &v.f, &v[i] and v[:] of arrays), and the
// implicit &v of pointer-receiver method calls and method values. Then it
// follows where the closure or pointer goes to classify the change:
//
//   - loopvar/changes-behaviour: it outlives the iteration (go, defer,
//     stored in a slice, map, field or channel, stored in an outer
//     variable that is read after the iteration, a parallel subtest that
//     reads it after t.Parallel(), time.AfterFunc …). Not a goroutine the
//     iteration waits for (wait.go), a store read only within the
//     iteration (stored.go), nor a copy of an array's elements. If the loop writes the variable through
//     it (3-clause loops) the old code relies on sharing and the upgrade
//     breaks it (error); otherwise the upgrade fixes a latent bug
//     (warning).
//   - loopvar/may-change-behaviour: it goes to code the analyzer cannot
//     see into (a function value, another package's function), or to a
//     field that every iteration of a range loop (or its serial subtest)
//     overwrites before it uses the field's variable (stored.go), or to
//     a field of a struct variable declared inside the loop. For a function or method of
//     another package of the same module (or of the package itself, when
//     it hands the value on), Run and Analyze then ask the compiler's
//     escape analysis (go build -gcflags=PKG=-m=1, see escape.go) and
//     make it no-change when the parameter does not escape; plain go vet
//     -vettool cannot, and says "may".
//   - loopvar/no-change: it is used only within the iteration.
//   - loopvar/pinned-old-semantics: the file's own //go:build line keeps
//     it below go1.22, so the go line does not affect it.
//
// The analyzer reports a superset of the compiler's list: the compiler
// looks after inlining (a func literal called in place disappears), skips
// captures under a return statement, and compiles generic code only per
// instantiation. Findings the compiler leaves out carry the reason in
// Details["compiler"]; the tests compare both lists position by position
// (scripts/loopvar-oracle.sh).
//
// In a file at go1.22 or later it reports v := v copies of loop
// variables (loopvar/redundant-copy) whose deletion provably changes
// nothing (copyRedundant): not when the body writes the loop variable or
// takes its address (a copy in a nested block keeps the value of its
// moment), nor, when the copy is written or its address taken, in a
// 3-clause loop or where something reads the loop variable afterwards.
//
// The same Analyzer runs three ways: VetMain runs it under go vet
// -vettool through unitchecker; Run and Analyze (gocompat loopvar, audit,
// upgrade) drive go vet -vettool=<the gocompat executable> -json and read
// the findings back from its output, so the go command's build cache keeps
// each package's result (with -loopvar.records a diagnostic's Category
// carries the finding's severity, fix and details); given no vet tool
// executable, as in tests, they load the packages with go/packages
// and run the analyzer in process, with the same result. analysistest runs
// it on testdata.
//
// Limitations: only the current GOOS, GOARCH and build tags are seen;
// values are followed through at most three local variables and one
// level of same-package calls; standard-library functions are assumed
// not to keep pointer or func arguments except those listed in
// laterRunners, for the packages in nonRetainingStd and the methods in
// nonRetainingFuncs (which a test checks against the compiler's escape
// analysis); other standard-library code is "may".
package loopvar
