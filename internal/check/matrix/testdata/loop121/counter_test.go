package counter

import (
	"reflect"
	"testing"
)

func TestSteps(t *testing.T) {
	if got, want := Steps(6), []int{0, 1, 4, 5}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Steps(6) = %v, want %v", got, want)
	}
}

func TestHarmless(t *testing.T) {
	if got := Harmless([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Harmless = %d, want 6", got)
	}
}
