module example.com/constraintpkg121

go 1.21
