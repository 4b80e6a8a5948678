package main

import (
	_ "github.com/golang/protobuf/proto"
	_ "google.golang.org/grpc"
)

func main() {}
