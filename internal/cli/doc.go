// Package cli is gocompat's command line: the command table, the common
// flags, configuration, rendering through the format table, and exit
// codes. cmd/gocompat only hands it the process's arguments, environment
// and streams; its doc.go is the manual.
//
// A command is one cmd_<name>.go file whose init func calls
// registerCommand with a constructor: the command's name, argument
// synopsis, one-line summary, flags, and either the pipeline steps it runs
// (steps, or all) with a target func that builds the run's audit.Target
// from the arguments, or a run func for commands that run no step
// (explain, version, report). gocompat help and the manual are generated
// from this table.
package cli
