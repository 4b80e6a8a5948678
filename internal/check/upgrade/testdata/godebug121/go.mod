module example.com/godebug121

go 1.21
