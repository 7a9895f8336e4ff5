package main

import (
	_ "github.com/higress-group/wasm-go/pkg/wrapper"
	_ "github.com/playground-test-org/does-not-exist/thing"
)

func main() {}
