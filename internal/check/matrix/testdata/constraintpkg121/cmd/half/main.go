// Command half prints half of 10.
package main

import (
	"fmt"

	"example.com/constraintpkg121/sub"
)

func main() { fmt.Println(sub.Half(10)) }
