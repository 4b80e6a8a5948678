// Standard-library methods with pointer receivers that keep nothing
// (issue 11, "may change"): calling one on a loop variable takes its
// address for the call only.
package pat

import (
	"io/fs"
	"net"
	"path/filepath"
)

// ListIP is coredns v1.10.1 plugin/bind/setup.go:75-79:
// iface.Addrs() on a range variable of type net.Interface.
func ListIP(args []string, ifaces []net.Interface) []string {
	all := []string{}
	for _, a := range args {
		for _, iface := range ifaces { // want `loop variable iface has its address taken by the pointer-receiver method call iface.Addrs\(\), and \(\*net.Interface\).Addrs does not keep its receiver.*no change`
			if a == iface.Name {
				addrs, err := iface.Addrs()
				if err != nil {
					return nil
				}
				for _, addr := range addrs {
					all = append(all, addr.String())
				}
			}
		}
	}
	return all
}

// LoadDirs is telegraf v1.27.0 internal/snmp/translate.go:99: a walk
// function over the loop variable, handed to filepath.Walk, which calls
// it only during the walk.
func LoadDirs(paths []string) (files []string) {
	for _, dir := range paths { // want `loop variable dir is captured by a func literal, passed to path/filepath.Walk, which does not keep it.*no change`
		_ = filepath.Walk(dir, func(p string, _ fs.FileInfo, err error) error {
			if err == nil && p != dir {
				files = append(files, p)
			}
			return nil
		})
	}
	return files
}
