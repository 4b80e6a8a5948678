package proc

import "testing"

func FuzzParseStat(f *testing.F) {
	f.Add([]byte(statLine(1, "init", "S", 0, 1)))
	f.Add([]byte(statLine(2, "a) (b", "Z", 0x200000, 7)))
	f.Add([]byte("7 (broken"))
	f.Add([]byte(")("))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseStat(b)
		if err == nil && st.PID <= 0 {
			t.Errorf("pid %d accepted", st.PID)
		}
	})
}

func FuzzParseEnviron(f *testing.F) {
	f.Add([]byte("GOGC=off\x00GOMAXPROCS=2\x00"))
	f.Add([]byte("=\x00\x00GODEBUG"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k := range ParseEnviron(b, GoEnvNames) {
			found := false
			for _, n := range GoEnvNames {
				found = found || n == k
			}
			if !found {
				t.Errorf("kept %q", k)
			}
		}
	})
}

func FuzzParseCPUList(f *testing.F) {
	for _, s := range []string{"0-3,8", "0", "", "3-1", "0-99999999", "1,,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCPUList(s)
		if err == nil && n <= 0 {
			t.Errorf("%q: %d CPUs", s, n)
		}
	})
}

func TestParseCPUList(t *testing.T) {
	for s, want := range map[string]int{"0-3,8,10-11": 7, "0": 1, "5-5": 1} {
		if n, err := ParseCPUList(s); err != nil || n != want {
			t.Errorf("%q: %d %v, want %d", s, n, err, want)
		}
	}
	for _, s := range []string{"", "3-1", "a", "1,,2", "-1"} {
		if _, err := ParseCPUList(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
