package sbom

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// ParseGoSum reads go.sum's module hashes: "path version h1:..." lines,
// keyed "path@version". go.mod-only lines ("version/go.mod") are skipped.
// A malformed line is an error that names the file and the line.
func ParseGoSum(name string, data []byte) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 || !strings.Contains(f[2], ":") {
			return nil, fmt.Errorf("%s:%d: malformed go.sum line %q", name, n, line)
		}
		if strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		sums[f[0]+"@"+f[1]] = f[2]
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return sums, nil
}
