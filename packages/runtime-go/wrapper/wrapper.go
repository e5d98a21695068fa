package nucleonwrapper

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

// HandlerFunc is Nuclio's Go handler signature.
type HandlerFunc func(context *nuclio.Context, event nuclio.Event) (interface{}, error)

// InitContextFunc is Nuclio's optional per-worker init hook.
type InitContextFunc func(context *nuclio.Context) error

// Exit codes, for the processor's log.
const (
	exitOK     = 0
	exitFatal  = 1 // start failed: no socket, InitContext failed, version refused
	exitBroken = 2 // the processor sent something the protocol does not allow
)

// config is what the processor tells a wrapper through NUCLEON_* variables.
type config struct {
	socket       string
	functionDir  string
	functionName string
	handler      string
	workerID     int
	triggerName  string
	triggerKind  string
	// maxInFlight is how many events run at once. 1 (the default) keeps Nuclio's semantics:
	// a worker's context sees one event at a time. NUCLEON_GO_MAX_IN_FLIGHT raises it for
	// handlers that are safe to run concurrently on a shared context.
	maxInFlight int
}

func configFromEnv() (config, error) {
	c := config{
		socket:       os.Getenv("NUCLEON_WRAPPER_SOCKET"),
		functionDir:  os.Getenv("NUCLEON_FUNCTION_DIR"),
		functionName: os.Getenv("NUCLEON_FUNCTION_NAME"),
		handler:      os.Getenv("NUCLEON_HANDLER"),
		triggerName:  os.Getenv("NUCLEON_TRIGGER_NAME"),
		triggerKind:  os.Getenv("NUCLEON_TRIGGER_KIND"),
		maxInFlight:  1,
	}
	if c.socket == "" {
		return c, errors.New("NUCLEON_WRAPPER_SOCKET is not set; this program is started by the Nucleon processor")
	}
	if v := os.Getenv("NUCLEON_WORKER_ID"); v != "" {
		id, err := strconv.Atoi(v)
		if err != nil {
			return c, fmt.Errorf("NUCLEON_WORKER_ID %q is not an integer", v)
		}
		c.workerID = id
	}
	if v := os.Getenv("NUCLEON_GO_MAX_IN_FLIGHT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return c, fmt.Errorf("NUCLEON_GO_MAX_IN_FLIGHT %q must be an integer from 1 to 1024", v)
		}
		c.maxInFlight = n
	}
	return c, nil
}

// Run connects to the processor, runs initContext (when not nil) once, serves events with
// handler until told to stop, and exits the process. It never returns.
func Run(handler HandlerFunc, initContext InitContextFunc) {
	os.Exit(run(handler, initContext))
}

func run(handler HandlerFunc, initContext InitContextFunc) int {
	cfg, err := configFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "nucleon go wrapper:", err)
		return exitFatal
	}
	if cfg.functionDir != "" {
		if err := os.Chdir(cfg.functionDir); err != nil {
			fmt.Fprintln(os.Stderr, "nucleon go wrapper: cannot enter the function directory:", err)
			return exitFatal
		}
	}
	conn, err := net.Dial("unix", cfg.socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nucleon go wrapper: cannot connect to the processor:", err)
		return exitFatal
	}
	defer conn.Close()
	return newSession(conn, cfg, handler, initContext).serve()
}

// session is one wrapper's connection to the processor.
type session struct {
	conn        io.ReadWriter
	reader      *bufio.Reader
	cfg         config
	handler     HandlerFunc
	initContext InitContextFunc
	context     *nuclio.Context
	calls       *calls

	writeMu  sync.Mutex
	inFlight sync.WaitGroup
	// currentEvent is the id of the one event in flight when maxInFlight is 1, for LOG frames.
	currentEvent uint32
}

func newSession(conn io.ReadWriter, cfg config, handler HandlerFunc, initContext InitContextFunc) *session {
	return &session{conn: conn, reader: bufio.NewReaderSize(conn, 64<<10), cfg: cfg, handler: handler, initContext: initContext}
}

// send writes one whole frame under the lock, so frames of concurrent events never interleave.
func (s *session) send(buf []byte) {
	s.writeMu.Lock()
	_, err := s.conn.Write(buf)
	s.writeMu.Unlock()
	if err != nil {
		// The processor is gone or the socket broke; the read loop sees it and exits.
		fmt.Fprintln(os.Stderr, "nucleon go wrapper: write failed:", err)
	}
}

func (s *session) sendJSON(typ byte, id uint32, value interface{}) {
	buf, err := encodeJSONFrame(typ, id, value)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nucleon go wrapper: cannot encode frame:", err)
		return
	}
	s.send(buf)
}

func (s *session) sendLog(id uint32, record logRecord) {
	buf, err := encodeJSONFrame(frameLog, id, record)
	if err != nil {
		buf = mustFrame(encodeJSONFrame(frameLog, id, logRecord{Level: record.Level, Message: record.Message}))
	}
	s.send(buf)
}

type helloPayload struct {
	Versions       []int  `json:"versions"`
	Runtime        string `json:"runtime"`
	RuntimeVersion string `json:"runtimeVersion"`
	Pid            int    `json:"pid"`
	MaxInFlight    int    `json:"maxInFlight"`
}

type welcomePayload struct {
	Version        int      `json:"version"`
	FunctionName   string   `json:"functionName"`
	Handler        string   `json:"handler"`
	WorkerID       *int     `json:"workerId"`
	EventTimeoutMs int      `json:"eventTimeoutMs"`
	Capabilities   []string `json:"capabilities"`
}

type terminatePayload struct {
	Reason string `json:"reason"`
}

// serve runs the whole protocol and returns the process exit code.
func (s *session) serve() int {
	s.sendJSON(frameHello, 0, helloPayload{
		Versions: []int{protocolVersion}, Runtime: "go", RuntimeVersion: strings.TrimPrefix(runtime.Version(), "go"),
		Pid: os.Getpid(), MaxInFlight: s.cfg.maxInFlight,
	})
	welcome, code, ok := s.readWelcome()
	if !ok {
		return code
	}
	s.context = s.newContext(welcome)
	if s.initContext != nil {
		if record := s.runInitContext(); record != nil {
			s.sendJSON(frameFatal, 0, record)
			return exitFatal
		}
	}
	s.sendJSON(frameReady, 0, struct{}{})
	return s.loop()
}

func (s *session) readWelcome() (welcomePayload, int, bool) {
	var welcome welcomePayload
	f, err := readFrame(s.reader)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nucleon go wrapper: no WELCOME from the processor:", err)
		return welcome, exitFatal, false
	}
	switch f.typ {
	case frameWelcome:
		if err := json.Unmarshal(f.payload, &welcome); err != nil {
			fmt.Fprintln(os.Stderr, "nucleon go wrapper: WELCOME is not JSON:", err)
			return welcome, exitBroken, false
		}
	case frameTerminate:
		var t terminatePayload
		_ = json.Unmarshal(f.payload, &t)
		fmt.Fprintln(os.Stderr, "nucleon go wrapper: the processor refused the handshake:", t.Reason)
		return welcome, exitFatal, false
	default:
		fmt.Fprintf(os.Stderr, "nucleon go wrapper: expected WELCOME, got frame type %d\n", f.typ)
		return welcome, exitBroken, false
	}
	if welcome.Version != protocolVersion {
		s.sendJSON(frameFatal, 0, errorRecord{
			Message: fmt.Sprintf("the processor chose protocol version %d; this wrapper speaks only %d", welcome.Version, protocolVersion),
			Kind:    "protocol",
		})
		return welcome, exitFatal, false
	}
	return welcome, exitOK, true
}

// newContext builds the worker's nuclio.Context. It lives as long as the wrapper process;
// the same pointer is passed to InitContext and to every Handler call, as in Nuclio.
func (s *session) newContext(welcome welcomePayload) *nuclio.Context {
	log := &frameLogger{sink: s.sendLog, currentEvent: func() uint32 {
		if s.cfg.maxInFlight != 1 {
			return 0
		}
		return atomic.LoadUint32(&s.currentEvent)
	}}
	workerID := s.cfg.workerID
	if welcome.WorkerID != nil {
		workerID = *welcome.WorkerID
	}
	functionName := s.cfg.functionName
	if welcome.FunctionName != "" {
		functionName = welcome.FunctionName
	}
	ctx := &nuclio.Context{
		Logger:       log,
		DataBinding:  map[string]nuclio.DataBinding{},
		WorkerID:     workerID,
		FunctionName: functionName,
		TriggerKind:  s.cfg.triggerKind,
		TriggerName:  s.cfg.triggerName,
	}
	offered := false
	for _, capability := range welcome.Capabilities {
		offered = offered || capability == callCapability
	}
	s.calls = newCalls(s, offered)
	ctx.Platform = s.calls.newPlatform(log)
	return ctx
}

// runInitContext calls InitContext, turning an error or a panic into a FATAL record.
func (s *session) runInitContext() (record *errorRecord) {
	defer func() {
		if r := recover(); r != nil {
			record = &errorRecord{Message: fmt.Sprintf("InitContext panicked: %v", r), Kind: "init", Type: "panic",
				Stack: string(debug.Stack())}
		}
	}()
	if err := s.initContext(s.context); err != nil {
		return &errorRecord{Message: "InitContext failed: " + err.Error(), Kind: "init", Type: fmt.Sprintf("%T", err)}
	}
	return nil
}

// loop reads frames until TERMINATE or the end of the stream.
func (s *session) loop() int {
	draining := false
	if s.cfg.maxInFlight > 1 {
		// Handlers run on their own goroutines while this one reads: it routes CALL_RESULT frames.
		atomic.StoreInt32(&s.calls.loopReads, 1)
	}
	for {
		f, err := s.calls.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return exitOK
			}
			fmt.Fprintln(os.Stderr, "nucleon go wrapper: reading from the processor failed:", err)
			return exitBroken
		}
		switch f.typ {
		case frameEvent:
			if f.id == 0 {
				fmt.Fprintln(os.Stderr, "nucleon go wrapper: EVENT with id 0")
				return exitBroken
			}
			var meta eventMeta
			body, err := decodeMetaBody(f.payload, &meta)
			if err != nil {
				fmt.Fprintln(os.Stderr, "nucleon go wrapper: bad EVENT:", err)
				return exitBroken
			}
			if draining {
				s.send(errorFrame(f.id, errorRecord{Message: "the wrapper is draining and takes no more events", Type: "Draining"}))
				continue
			}
			s.inFlight.Add(1)
			if s.cfg.maxInFlight == 1 {
				// One event at a time: run it on the reading goroutine. Handing it to a new
				// goroutine moved every event between OS threads and back, which measured at
				// ~35 µs of CPU per event (bench/runtimes).
				s.handle(f.id, newEvent(meta, body))
			} else {
				go s.handle(f.id, newEvent(meta, body))
			}
		case frameDrain:
			if !draining {
				draining = true
				go func() {
					s.inFlight.Wait()
					buf, _ := encodeFrame(frameDrained, 0, nil)
					s.send(buf)
				}()
			}
		case frameTerminate:
			return exitOK
		case frameCallResult:
			s.calls.deliver(f)
		default:
			fmt.Fprintf(os.Stderr, "nucleon go wrapper: unexpected frame type %d from the processor\n", f.typ)
			return exitBroken
		}
	}
}

func (s *session) handle(id uint32, ev *event) {
	defer s.inFlight.Done()
	if s.cfg.maxInFlight == 1 {
		atomic.StoreUint32(&s.currentEvent, id)
	}
	buf := s.invoke(id, ev)
	// Cleared before the response goes out, and only if still ours: once the processor has
	// the response it may send the next event, whose goroutine sets its own id.
	atomic.CompareAndSwapUint32(&s.currentEvent, id, 0)
	s.send(buf)
}

// invoke runs the handler and encodes its outcome; a panic becomes an ERROR frame and the
// wrapper keeps serving.
func (s *session) invoke(id uint32, ev *event) (buf []byte) {
	defer func() {
		if r := recover(); r != nil {
			buf = errorFrame(id, errorRecord{Message: fmt.Sprintf("handler panicked: %v", r), Type: "panic", Stack: string(debug.Stack())})
		}
	}()
	result, err := s.handler(s.context, ev)
	return encodeOutcome(id, result, err)
}
