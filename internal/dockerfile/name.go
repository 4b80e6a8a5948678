package dockerfile

import (
	"path"
	"strings"
)

// IsName recognises the names Dockerfiles go by: Dockerfile,
// Containerfile, *.Dockerfile, *.containerfile, Dockerfile.<variant>
// (Dockerfile.prod) and Dockerfile-<variant> (Dockerfile-release.amd64),
// but not a source or document named after them (dockerfile.go,
// Dockerfile.md, Dockerfile-template.tmpl).
func IsName(name string) bool {
	l := strings.ToLower(name)
	if l == "dockerfile" || l == "containerfile" || strings.HasSuffix(l, ".dockerfile") || strings.HasSuffix(l, ".containerfile") {
		return true
	}
	for _, p := range []string{"Dockerfile.", "Containerfile.", "Dockerfile-", "Containerfile-", "Dockerfile_", "dockerfile.", "dockerfile-"} {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			switch path.Ext(l) {
			case ".go", ".md", ".txt", ".json", ".yml", ".yaml", ".sh", ".py", ".dockerignore", ".golden", ".txtar", ".orig", ".bak", ".swp", ".tmpl", ".tpl", ".j2", ".rej", ".patch", ".diff", ".toml", ".cfg", ".conf":
				return false
			}
			return true
		}
	}
	return false
}
