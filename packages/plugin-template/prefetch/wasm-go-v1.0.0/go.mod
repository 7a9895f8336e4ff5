// The wasm-go v1.0.0 line many published plugins still pin.
module playground/prefetch/wasm-go-v1.0.0

go 1.24.1

require github.com/higress-group/wasm-go v1.0.0

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/higress-group/proxy-wasm-go-sdk v0.0.0-20250611100342-5654e89a7a80 // indirect
	github.com/tidwall/gjson v1.18.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/resp v0.1.1 // indirect
)
