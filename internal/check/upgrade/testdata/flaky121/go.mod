module example.com/flaky121

go 1.21
