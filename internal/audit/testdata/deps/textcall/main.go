// Command textcall parses a language tag with an old golang.org/x/text,
// which calls a vulnerable symbol.
package main

import (
	"fmt"
	"os"

	"golang.org/x/text/language"
)

func main() {
	tag, err := language.Parse(os.Args[1])
	fmt.Println(tag, err)
}
