// Standard-library methods with pointer receivers that keep nothing
// (issue 11, "may change"): calling one on a loop variable takes its
// address for the call only.
package pat

import "net"

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
