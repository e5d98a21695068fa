package nucleonwrapper

import (
	"encoding/json"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

// fakeProcessor is the processor end of a net.Pipe, reading frames into a channel.
type fakeProcessor struct {
	t      *testing.T
	conn   net.Conn
	frames chan frame
	exit   chan int
}

func startSession(t *testing.T, cfg config, handler HandlerFunc, initContext InitContextFunc) *fakeProcessor {
	t.Helper()
	processorEnd, wrapperEnd := net.Pipe()
	p := &fakeProcessor{t: t, conn: processorEnd, frames: make(chan frame, 64), exit: make(chan int, 1)}
	go func() {
		p.exit <- newSession(wrapperEnd, cfg, handler, initContext).serve()
		wrapperEnd.Close()
	}()
	go func() {
		defer close(p.frames)
		for {
			f, err := readFrame(processorEnd)
			if err != nil {
				return
			}
			p.frames <- f
		}
	}()
	t.Cleanup(func() { processorEnd.Close() })
	return p
}

func (p *fakeProcessor) next() frame {
	p.t.Helper()
	select {
	case f, ok := <-p.frames:
		if !ok {
			p.t.Fatal("the wrapper closed the connection")
		}
		return f
	case <-time.After(5 * time.Second):
		p.t.Fatal("no frame from the wrapper within 5s")
	}
	return frame{}
}

func (p *fakeProcessor) write(typ byte, id uint32, payload []byte) {
	p.t.Helper()
	buf, err := encodeFrame(typ, id, payload)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := p.conn.Write(buf); err != nil {
		p.t.Fatal(err)
	}
}

func (p *fakeProcessor) writeJSON(typ byte, value interface{}) {
	payload, _ := json.Marshal(value)
	p.write(typ, 0, payload)
}

func (p *fakeProcessor) sendEvent(id uint32, path string, body string) {
	payload, _ := encodeMetaBody(map[string]interface{}{"id": "e", "method": "POST", "path": path, "trigger": map[string]string{"kind": "http", "name": "web"}}, []byte(body))
	p.write(frameEvent, id, payload)
}

func (p *fakeProcessor) waitExit() int {
	p.t.Helper()
	select {
	case code := <-p.exit:
		return code
	case <-time.After(5 * time.Second):
		p.t.Fatal("the wrapper did not exit within 5s")
	}
	return -1
}

// handshake reads HELLO, answers WELCOME and returns HELLO's payload.
func (p *fakeProcessor) handshake() helloPayload {
	p.t.Helper()
	f := p.next()
	if f.typ != frameHello || f.id != 0 {
		p.t.Fatalf("first frame: type %d id %d", f.typ, f.id)
	}
	var hello helloPayload
	if err := json.Unmarshal(f.payload, &hello); err != nil {
		p.t.Fatal(err)
	}
	p.writeJSON(frameWelcome, map[string]interface{}{"version": 1, "functionName": "fn", "handler": "main:Handler", "workerId": 3, "eventTimeoutMs": 1000})
	return hello
}

var (
	barrier        = make(chan struct{})
	barrierArrived int32
)

func testHandler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	switch event.GetPath() {
	case "/panic":
		panic("kaboom")
	case "/error":
		return nil, errors.New("handler failed")
	case "/log":
		context.Logger.InfoWith("from handler", "worker", context.WorkerID)
		return "logged", nil
	case "/sleep":
		time.Sleep(100 * time.Millisecond)
		return "slept", nil
	case "/barrier":
		// Answers "together" only if all 8 barrier events are running at the same time.
		if atomic.AddInt32(&barrierArrived, 1) == 8 {
			close(barrier)
		}
		select {
		case <-barrier:
			return "together", nil
		case <-time.After(3 * time.Second):
			return "alone", nil
		}
	}
	return event.GetBody(), nil
}

func TestSessionServesEvents(t *testing.T) {
	inits := int32(0)
	p := startSession(t, config{maxInFlight: 1, triggerKind: "http"}, testHandler, func(context *nuclio.Context) error {
		atomic.AddInt32(&inits, 1)
		context.UserData = "ready"
		context.Logger.Info("init for worker %d", context.WorkerID)
		return nil
	})
	hello := p.handshake()
	if len(hello.Versions) != 1 || hello.Versions[0] != 1 || hello.Runtime != "go" || hello.MaxInFlight != 1 || hello.Pid == 0 {
		t.Fatalf("HELLO %+v", hello)
	}

	f := p.next()
	if f.typ != frameLog || f.id != 0 || string(f.payload) != `{"level":"info","message":"init for worker 3"}` {
		t.Fatalf("init log: type %d id %d %s", f.typ, f.id, f.payload)
	}
	if f = p.next(); f.typ != frameReady || string(f.payload) != "{}" {
		t.Fatalf("READY: type %d %s", f.typ, f.payload)
	}
	if inits != 1 {
		t.Fatalf("InitContext ran %d times", inits)
	}

	p.sendEvent(1, "/echo", "\x00binary\xff")
	f = p.next()
	var meta responseMeta
	body, _ := decodeMetaBody(f.payload, &meta)
	if f.typ != frameResponse || f.id != 1 || string(body) != "\x00binary\xff" || meta.ContentType != binaryContentType {
		t.Fatalf("echo: type %d id %d meta %+v body %q", f.typ, f.id, meta, body)
	}

	p.sendEvent(2, "/panic", "")
	f = p.next()
	var record errorRecord
	_ = json.Unmarshal(f.payload, &record)
	if f.typ != frameError || f.id != 2 || record.Message != "handler panicked: kaboom" || record.Stack == "" {
		t.Fatalf("panic: type %d id %d %+v", f.typ, f.id, record)
	}

	p.sendEvent(3, "/error", "")
	if f = p.next(); f.typ != frameError || f.id != 3 {
		t.Fatalf("error: type %d id %d", f.typ, f.id)
	}

	// Logs during an event carry its id when one event runs at a time.
	p.sendEvent(4, "/log", "")
	if f = p.next(); f.typ != frameLog || f.id != 4 || string(f.payload) != `{"level":"info","message":"from handler","with":{"worker":3}}` {
		t.Fatalf("handler log: type %d id %d %s", f.typ, f.id, f.payload)
	}
	if f = p.next(); f.typ != frameResponse || f.id != 4 {
		t.Fatalf("after log: type %d id %d", f.typ, f.id)
	}

	// DRAIN waits for the event in flight, then DRAINED; TERMINATE exits 0.
	p.sendEvent(5, "/sleep", "")
	p.write(frameDrain, 0, nil)
	if f = p.next(); f.typ != frameResponse || f.id != 5 {
		t.Fatalf("in flight at drain: type %d id %d", f.typ, f.id)
	}
	if f = p.next(); f.typ != frameDrained {
		t.Fatalf("DRAINED: type %d", f.typ)
	}
	p.writeJSON(frameTerminate, map[string]string{"reason": "stop"})
	if code := p.waitExit(); code != exitOK {
		t.Fatalf("exit code %d", code)
	}
}

func TestSessionRunsEventsConcurrentlyWhenAllowed(t *testing.T) {
	p := startSession(t, config{maxInFlight: 8}, testHandler, nil)
	if hello := p.handshake(); hello.MaxInFlight != 8 {
		t.Fatalf("maxInFlight %d", hello.MaxInFlight)
	}
	if f := p.next(); f.typ != frameReady {
		t.Fatalf("READY: type %d", f.typ)
	}
	barrier, barrierArrived = make(chan struct{}), 0
	for id := uint32(1); id <= 8; id++ {
		p.sendEvent(id, "/barrier", "")
	}
	seen := map[uint32]bool{}
	for len(seen) < 8 {
		f := p.next()
		var meta responseMeta
		body, _ := decodeMetaBody(f.payload, &meta)
		if f.typ != frameResponse || string(body) != "together" {
			t.Fatalf("event %d: type %d body %q; the events did not run concurrently", f.id, f.typ, body)
		}
		seen[f.id] = true
	}
}

func TestInitContextFailureIsFatal(t *testing.T) {
	p := startSession(t, config{maxInFlight: 1}, testHandler, func(*nuclio.Context) error {
		return errors.New("no database")
	})
	p.handshake()
	f := p.next()
	var record errorRecord
	_ = json.Unmarshal(f.payload, &record)
	if f.typ != frameFatal || record.Kind != "init" || record.Message != "InitContext failed: no database" {
		t.Fatalf("type %d %+v", f.typ, record)
	}
	if code := p.waitExit(); code != exitFatal {
		t.Fatalf("exit code %d", code)
	}
}

func TestInitContextPanicIsFatal(t *testing.T) {
	p := startSession(t, config{maxInFlight: 1}, testHandler, func(*nuclio.Context) error { panic("oops") })
	p.handshake()
	f := p.next()
	var record errorRecord
	_ = json.Unmarshal(f.payload, &record)
	if f.typ != frameFatal || record.Message != "InitContext panicked: oops" || record.Stack == "" {
		t.Fatalf("type %d %+v", f.typ, record)
	}
}

func TestUnknownVersionIsRefused(t *testing.T) {
	p := startSession(t, config{maxInFlight: 1}, testHandler, nil)
	p.next()
	p.writeJSON(frameWelcome, map[string]interface{}{"version": 2})
	if f := p.next(); f.typ != frameFatal {
		t.Fatalf("type %d", f.typ)
	}
	if code := p.waitExit(); code != exitFatal {
		t.Fatalf("exit code %d", code)
	}
}

func TestGarbageBreaksTheConnection(t *testing.T) {
	p := startSession(t, config{maxInFlight: 1}, testHandler, nil)
	p.handshake()
	p.next() // READY
	if _, err := p.conn.Write([]byte{0, 0, 0, 5, 200, 0, 0, 0, 0}); err != nil {
		t.Fatal(err)
	}
	if code := p.waitExit(); code != exitBroken {
		t.Fatalf("exit code %d", code)
	}
}

func TestEndOfStreamExitsCleanly(t *testing.T) {
	p := startSession(t, config{maxInFlight: 1}, testHandler, nil)
	p.handshake()
	p.next() // READY
	p.conn.Close()
	if code := p.waitExit(); code != exitOK {
		t.Fatalf("exit code %d", code)
	}
}
