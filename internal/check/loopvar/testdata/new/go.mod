module example.com/new

go 1.22
