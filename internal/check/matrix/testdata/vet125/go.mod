module example.com/vet125

go 1.21
