// Command pubsub-fake runs Google's in-memory Pub/Sub fake (pstest, from
// cloud.google.com/go/pubsub/v2) on a fixed loopback port until it is signalled.
// Built and started by scripts/services/pubsub.sh; clients reach it through
// PUBSUB_EMULATOR_HOST=127.0.0.1:<port>.
package main

import (
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	port := 8085
	if v := os.Getenv("NUCLEON_PUBSUB_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			log.Fatalf("pubsub-fake: NUCLEON_PUBSUB_PORT is not a port: %q", v)
		}
		port = p
	}
	// Loopback only: pstest binds exactly the address given (and panics when it cannot).
	defer func() {
		if r := recover(); r != nil {
			log.Fatalf("pubsub-fake: cannot listen on 127.0.0.1:%d: %v", port, r)
		}
	}()
	srv := pstest.NewServerWithAddress(fmt.Sprintf("127.0.0.1:%d", port))
	fmt.Printf("pubsub-fake: listening on %s\n", srv.Addr)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	_ = srv.Close()
}
