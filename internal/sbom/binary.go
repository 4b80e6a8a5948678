package sbom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gocompat/gocompat/internal/binary"
)

// FromBinary is the inventory of a binary from its build information.
// A binary keeps no dependency graph, so the main module is recorded as
// depending on every module in it.
func FromBinary(info *binary.Info) *Inventory {
	inv := &Inventory{Name: filepath.Base(info.File), Kind: "binary", Deps: map[string][]string{}}
	inv.Main = Component{Path: info.Main.Path, Version: info.Main.Version, Sum: info.Main.Sum}
	if inv.Main.Path == "" {
		// The Go distribution's own commands carry no module; name the
		// main package instead.
		inv.Main.Path = info.Path
	}
	if inv.Main.Version == "(devel)" {
		inv.Main.Version = ""
	}
	for _, s := range info.Settings {
		inv.Settings = append(inv.Settings, Setting{Key: s.Key, Value: s.Value})
	}
	if v, ok := info.Setting("vcs.time"); ok {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			inv.Created = t.UTC()
		}
	}
	var refs []string
	if v := StdVersion(info.GoVersion); v != "" {
		std := Component{Path: StdPath, Version: v, Std: true}
		inv.Components = append(inv.Components, std)
		refs = append(refs, std.Ref())
	}
	for _, d := range info.Deps {
		c := Component{Path: d.Path, Version: d.Version, Sum: d.Sum}
		if d.Replace != nil {
			r := Component{Path: d.Replace.Path, Version: d.Replace.Version, Sum: d.Replace.Sum}
			if r.Version == "(devel)" { // a local directory
				r.Version = ""
			}
			c.Replace = &r
		}
		inv.Components = append(inv.Components, c)
		refs = append(refs, c.Ref())
	}
	inv.Deps[inv.Main.Ref()] = refs
	inv.finish()
	return inv
}

// FromPath is the inventory of path: a module when it is a directory (see
// FromModule; opt.Dir is set to it), a binary otherwise. Errors name the
// path.
func FromPath(ctx context.Context, path string, opt ModuleOptions) (*Inventory, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		opt.Dir = path
		inv, err := FromModule(ctx, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return inv, nil
	}
	info, err := binary.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return FromBinary(info), nil
}
