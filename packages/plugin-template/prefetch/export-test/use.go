package prefetch

import _ "github.com/higress-group/wasm-go/pkg/wrapper"
