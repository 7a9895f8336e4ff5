// Imports the module set so that `go mod tidy` keeps it.
package prefetch

import _ "github.com/higress-group/wasm-go/pkg/wrapper"
