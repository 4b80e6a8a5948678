module example.com/loop121

go 1.21
