// Command threads prints how many OS threads the runtime has made.
package main

import (
	"fmt"

	threads "example.com/linkname122"
)

func main() { fmt.Println(threads.Count()) }
