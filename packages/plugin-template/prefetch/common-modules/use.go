// Imports every module of this set so that `go mod tidy` keeps them all.
package prefetch

import (
	_ "github.com/google/uuid"
	_ "github.com/higress-group/wasm-go/pkg/wrapper"
	_ "github.com/tidwall/resp"
	_ "github.com/tidwall/sjson"
	_ "github.com/zmap/go-iptree/iptree"
)
