// Go ceiling for bench/runtimes: the least a Go wrapper can do per event. Speaks
// docs/protocol.md v1 (HELLO, WELCOME, READY; EVENT -> a fixed RESPONSE "hello"; DRAIN ->
// DRAINED; TERMINATE or EOF -> exit), stdlib only, buffered reads, one flush per batch.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
)

func frame(t byte, id uint32, payload []byte) []byte {
	out := make([]byte, 9+len(payload))
	binary.BigEndian.PutUint32(out, uint32(5+len(payload)))
	out[4] = t
	binary.BigEndian.PutUint32(out[5:], id)
	copy(out[9:], payload)
	return out
}

func main() {
	conn, err := net.Dial("unix", os.Getenv("NUCLEON_WRAPPER_SOCKET"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := bufio.NewReaderSize(conn, 256<<10)
	w := bufio.NewWriterSize(conn, 64<<10)
	hello := fmt.Sprintf(`{"versions":[1],"runtime":"go-ceiling","runtimeVersion":%q,"pid":%d,"maxInFlight":1}`, runtime.Version(), os.Getpid())
	conn.Write(frame(1, 0, []byte(hello)))
	meta := []byte(`{"statusCode":200,"contentType":"text/plain; charset=utf-8"}`)
	payload := binary.BigEndian.AppendUint32(nil, uint32(len(meta)))
	payload = append(append(payload, meta...), "hello"...)
	resp := frame(17, 0, payload)
	hdr := make([]byte, 9)
	skip := make([]byte, 64<<10)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(hdr)) - 5
		for n > 0 { // the payload is not looked at
			k := min(n, len(skip))
			if _, err := io.ReadFull(r, skip[:k]); err != nil {
				return
			}
			n -= k
		}
		switch hdr[4] {
		case 16:
			copy(resp[5:9], hdr[5:9])
			w.Write(resp)
		case 2:
			w.Write(frame(3, 0, []byte("{}")))
		case 48:
			w.Write(frame(49, 0, nil))
		case 50:
			w.Flush()
			return
		}
		if r.Buffered() == 0 {
			w.Flush()
		}
	}
}
