// Command netimport imports vulnerable packages of an old golang.org/x/net
// but calls only functions of them that no advisory names.
package main

import (
	"fmt"

	"golang.org/x/net/html"
	"golang.org/x/net/http2/hpack"
)

func main() {
	fmt.Println(html.EscapeString("<a>"), hpack.NewEncoder(nil) != nil)
}
