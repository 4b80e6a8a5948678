package loopvar

// The two drivers, for tests that compare them.
var (
	AnalyzeVet       = analyzeVet
	AnalyzeInProcess = analyzeInProcess
	DecodeVetJSON    = decodeVetJSON
)
