module example.com/linkname122

go 1.22
