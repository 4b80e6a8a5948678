// Slicing an array loop variable only to copy it at once (issue 11,
// class 4): v[:] takes the array's address, which the compiler counts,
// but append(b, v[:]...), copy and string(v[:]) copy the elements and
// keep nothing.
package pat

// AppendElems appends the array's elements, not the slice.
func AppendElems(ids [][16]byte) []byte {
	var raw []byte
	for _, id := range ids { // want `loop variable id has its address taken by slicing the array \(id\[:\]\), and append copies its elements.*no change`
		raw = append(raw, id[:]...)
	}
	return raw
}

// CopyElems is golang.org/x/crypto v0.0.0-20200622213623-75b288015ac9
// cast5/cast5.go:208-211: copy(a[:], round.a[j][:]) in a range loop.
func CopyElems(schedule []struct{ a [4][7]uint8 }) int {
	n := 0
	for _, round := range schedule { // want `loop variable round has its address taken by slicing the array \(round.a\[…\]\[:\]\), passed to the builtin copy.*no change`
		for j := 0; j < 4; j++ {
			var a [7]uint8
			copy(a[:], round.a[j][:])
			n += int(a[0])
		}
	}
	return n
}

// StringKeys converts the slice to a string, which copies it.
func StringKeys(ids [][4]byte) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids { // want `loop variable id has its address taken by slicing the array \(id\[:\]\), converted to string, which copies it.*no change`
		m[string(id[:])] = true
	}
	return m
}
