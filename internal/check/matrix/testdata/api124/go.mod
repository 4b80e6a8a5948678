module example.com/api124

go 1.21
