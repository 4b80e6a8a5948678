// Package deploy holds the files that run gocompat across a fleet
// (Kubernetes, Prometheus, systemd); its test checks them with the tools
// and types that will read them.
package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// strict decodes one YAML document into v, refusing unknown fields, so a
// misspelt or misplaced key fails here rather than being dropped by the
// API server.
func strict(t *testing.T, doc []byte, v any) {
	t.Helper()
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
}

func TestKubernetesManifest(t *testing.T) {
	b, err := os.ReadFile("kubernetes/gocompat-exporter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs := bytes.Split(b, []byte("\n---\n"))
	if len(docs) != 2 {
		t.Fatalf("%d documents, want a DaemonSet and a Service", len(docs))
	}
	var ds appsv1.DaemonSet
	strict(t, docs[0], &ds)
	var svc corev1.Service
	strict(t, docs[1], &svc)
	if ds.Kind != "DaemonSet" || svc.Kind != "Service" {
		t.Fatalf("kinds %q, %q", ds.Kind, svc.Kind)
	}
	spec := ds.Spec.Template.Spec
	if !spec.HostPID {
		t.Error("the DaemonSet must share the node's PID namespace to see its processes")
	}
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers", len(spec.Containers))
	}
	c := spec.Containers[0]
	sc := c.SecurityContext
	if sc == nil || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		t.Error("the container must drop all capabilities")
	}
	if len(sc.Capabilities.Add) != 1 || sc.Capabilities.Add[0] != "SYS_PTRACE" {
		t.Errorf("capabilities added: %v, want only SYS_PTRACE", sc.Capabilities.Add)
	}
	if sc.Privileged != nil && *sc.Privileged || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("the container must be unprivileged, with a read-only root and no privilege escalation")
	}
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly {
			t.Errorf("volume %s is mounted read-write", m.Name)
		}
	}
	args := strings.Join(c.Args, " ")
	if !strings.Contains(args, "exporter") || !strings.Contains(args, "--root=/host") {
		t.Errorf("args %q", args)
	}
	if svc.Spec.Selector["app.kubernetes.io/name"] != ds.Spec.Template.Labels["app.kubernetes.io/name"] {
		t.Error("the Service does not select the DaemonSet's pods")
	}
	if ds.Spec.Selector.MatchLabels["app.kubernetes.io/name"] != ds.Spec.Template.Labels["app.kubernetes.io/name"] {
		t.Error("the DaemonSet's selector does not match its template")
	}
	// A field the API does not have must fail the decode, or this test
	// proves nothing.
	var bad appsv1.DaemonSet
	j, _ := yaml.YAMLToJSON(append(append([]byte(nil), docs[0]...), []byte("\nspec2: {}\n")...))
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if dec.Decode(&bad) == nil {
		t.Error("an unknown field was accepted")
	}
}

func TestPrometheusFiles(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus, .ci/setup.d/40-prometheus.sh)")
	}
	for _, args := range [][]string{
		{"check", "rules", "prometheus/gocompat-alerts.yml"},
		{"check", "config", "--syntax-only", "prometheus/scrape.yml"},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil && strings.Contains(string(out), "field kubernetes_sd_configs not found") {
			// Debian builds Prometheus without Kubernetes service
			// discovery; upstream builds have it.
			t.Logf("promtool %s: this promtool has no Kubernetes service discovery; not checked", strings.Join(args, " "))
			continue
		}
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestSystemdUnits(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	// verify checks the executable exists; point it at a stand-in.
	dir := t.TempDir()
	for _, name := range []string{"gocompat-textfile.service", "gocompat-textfile.timer"} {
		b, err := os.ReadFile("systemd/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/usr/local/bin/gocompat"), []byte("/bin/true"))
		if err := os.WriteFile(dir+"/"+name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(sa, "verify", "--man=no", dir+"/gocompat-textfile.service", dir+"/gocompat-textfile.timer").CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
