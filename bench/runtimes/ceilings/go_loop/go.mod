module nucleon.local/bench/goloop

go 1.21
