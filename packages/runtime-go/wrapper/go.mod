module nucleon.local/runtime-go/wrapper

go 1.21

require (
	github.com/nuclio/logger v0.0.1
	github.com/nuclio/nuclio-sdk-go v0.5.3
	github.com/valyala/fasthttp v1.51.0
)

require (
	github.com/andybalholm/brotli v1.0.5 // indirect
	github.com/klauspost/compress v1.17.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
)
