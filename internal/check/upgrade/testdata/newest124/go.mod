module example.com/newest124

go 1.24
