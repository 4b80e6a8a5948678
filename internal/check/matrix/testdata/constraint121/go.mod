module example.com/constraint121

go 1.21
