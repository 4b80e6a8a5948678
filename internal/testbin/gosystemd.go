package testbin

// GoSystemdProgram is a module, as a txtar archive, whose program gets
// crypto/tls and sd_notify only from another module: go-systemd v22.5.0
// (from the module proxy), whose activation package links crypto/tls and
// whose daemon package reads NOTIFY_SOCKET. Tests of what is read through
// other modules append their own files (a unit, a Dockerfile) to it.
const GoSystemdProgram = `
-- go.mod --
module example.com/svc

go 1.22

require (
	github.com/coreos/go-systemd/v22 v22.5.0
	github.com/godbus/dbus/v5 v5.0.4
	golang.org/x/sys v0.20.0
)
-- go.sum --
github.com/coreos/go-systemd/v22 v22.5.0 h1:RrqgGjYQKalulkV8NGVIfkXQf6YYmOyiJKk8iXXhfZs=
github.com/coreos/go-systemd/v22 v22.5.0/go.mod h1:Y58oyj3AT4RCenI/lSvhwexgC+NSVTIJ3seZv2GcEnc=
github.com/godbus/dbus/v5 v5.0.4 h1:9349emZab16e7zQvpmsbtjc18ykshndd8y2PG3sgJbA=
github.com/godbus/dbus/v5 v5.0.4/go.mod h1:xhWf0FNVPg57R7Z0UbKHbJfkEywrmjJnf7w5xrFpKfA=
golang.org/x/sys v0.20.0 h1:Od9JTbYCk261bKm4M/mw7AklTlFYIa0bIp9BgSm1S8Y=
golang.org/x/sys v0.20.0/go.mod h1:/VUhepiaJMQUp4+oa/7Zr1D23ma6VTLIYjOOTFZPUcA=
-- main.go --
package main

import (
	"github.com/coreos/go-systemd/v22/activation"
	"github.com/coreos/go-systemd/v22/daemon"
)

func main() {
	_, _ = activation.Listeners()
	_, _ = daemon.SdNotify(false, daemon.SdNotifyReady)
}
`
