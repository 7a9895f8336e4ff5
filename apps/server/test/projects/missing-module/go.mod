module example.com/missing

go 1.24.1

require (
	github.com/higress-group/proxy-wasm-go-sdk v0.0.0-20251103120604-77e9cce339d2
	github.com/higress-group/wasm-go v1.0.6
	github.com/playground-test-org/does-not-exist v1.0.0
)
