// Imports what exported bundles' tests use, so setup fetches the whole set.
package prefetch

import (
	_ "github.com/higress-group/wasm-go/pkg/test"
	_ "github.com/stretchr/testify/require"
)
