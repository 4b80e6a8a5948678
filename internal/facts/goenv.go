package facts

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/gocompat/gocompat/internal/fsread"
)

// GoEnvSetting is the value the go command run with environ takes for
// key from the environment or, failing that, from its configuration file,
// which go env -w writes: $GOENV, by default go/env in os.UserConfigDir(),
// none with GOENV=off (SrcGoEnv; cmd/go/internal/cfg, EnvFile); ok is false when neither sets it (the go
// command's default applies). The last of several environ entries wins.
func GoEnvSetting(environ []string, key string) (value string, ok bool) {
	get := func(k string) (string, bool) {
		for i := len(environ) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(environ[i], k+"="); ok {
				return v, true
			}
		}
		return "", false
	}
	if v, ok := get(key); ok {
		return v, true
	}
	file, _ := get("GOENV")
	switch file {
	case "off":
		return "", false
	case "":
		d, err := os.UserConfigDir()
		if err != nil {
			return "", false
		}
		file = filepath.Join(d, "go", "env")
	}
	data, err := fsread.ReadFile(file, 1<<20)
	if err != nil {
		return "", false
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), key+"="); ok {
			return v, true
		}
	}
	return "", false
}
