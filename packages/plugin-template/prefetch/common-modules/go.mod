// Modules real Higress plugins use most beyond the template, fetched by setup so that projects
// needing them resolve with no network.
module playground/prefetch/common

go 1.24.1

require (
	github.com/google/uuid v1.6.0
	github.com/higress-group/wasm-go v1.0.6
	github.com/tidwall/resp v0.1.1
	github.com/tidwall/sjson v1.2.5
	github.com/zmap/go-iptree v0.0.0-20210731043055-d4e632617837
)

require (
	github.com/asergeyev/nradix v0.0.0-20170505151046-3872ab85bb56 // indirect
	github.com/higress-group/proxy-wasm-go-sdk v0.0.0-20251103120604-77e9cce339d2 // indirect
	github.com/tidwall/gjson v1.18.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
)
