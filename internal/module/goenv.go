package module

import "strings"

// GoEnv is the environment gocompat runs the go command with on a
// module: environ (the user's) with the toolchain pinned to the installed
// one (GOTOOLCHAIN=local, never a download), workspaces off (GOWORK=off:
// each module is looked at on its own, and -modfile needs it) and the
// user's GOFLAGS cleared, then set applied on top. Each variable appears
// once; for one set twice, the last value wins.
func GoEnv(environ []string, set ...string) []string {
	vars := append([]string{"GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS="}, set...)
	last := map[string]string{}
	var order []string
	for _, kv := range vars {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = kv
	}
	var env []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := last[k]; !ok {
			env = append(env, kv)
		}
	}
	for _, k := range order {
		env = append(env, last[k])
	}
	return env
}
