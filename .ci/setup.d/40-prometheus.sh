#!/bin/sh
# Prometheus and promtool, for the metrics tests (internal/exporter):
# Debian's prometheus package. Quiet and idempotent.
set -e
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a service where an init system runs; the tests start
# their own server on a free loopback port.
if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
	systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
