package nucleonwrapper

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	nuclio "github.com/nuclio/nuclio-sdk-go"
	"github.com/valyala/fasthttp"
)

// Function-to-function calls (docs/protocol.md, "Function calls"). nuclio-sdk-go's
// Platform.CallFunction builds an HTTP request for host `nuclio-<name>:8080` and sends it with
// its own fasthttp client. The wrapper gives that client a transport that sends the request
// as a CALL frame; the processor makes the real request, and its CALL_RESULT becomes the
// HTTP response. Handlers keep Nuclio's API.

const (
	frameCall       byte = 64
	frameCallResult byte = 65
	callCapability       = "call"
	// calleeHostPrefix is what the SDK puts before the name for a platform of a kind other than "local".
	calleeHostPrefix = "nuclio-"
	platformKind     = "nucleon"
)

// CallError is the error CallFunction returns when the callee could not be called; Code is
// the processor's error code (NUCLEON_ERR_CALLEE_NOT_FOUND when no function has that name).
type CallError struct {
	Code    string
	Message string
}

func (e *CallError) Error() string { return e.Message }

type callMeta struct {
	Function    string            `json:"function"`
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Headers     map[string]string `json:"headers"`
	ContentType string            `json:"contentType"`
	EventID     uint32            `json:"eventId,omitempty"`
}

type callResultMeta struct {
	StatusCode  int                    `json:"statusCode"`
	ContentType string                 `json:"contentType"`
	Headers     map[string]interface{} `json:"headers"`
	Error       *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type callSlot struct {
	done  chan struct{}
	frame frame
}

// calls tracks this wrapper's calls in flight. While the read loop runs concurrently with
// handlers (maxInFlight > 1) it hands CALL_RESULT frames to deliver; otherwise (one event at
// a time, run on the loop's goroutine, or InitContext) the waiting handler reads the socket
// itself and keeps other frames for the loop.
type calls struct {
	s          *session
	offered    bool
	nextID     uint32
	mu         sync.Mutex
	slots      map[uint32]*callSlot
	readMu     sync.Mutex
	loopReads  int32
	deferred   []frame
	deferredMu sync.Mutex
}

func newCalls(s *session, offered bool) *calls {
	return &calls{s: s, offered: offered, slots: map[uint32]*callSlot{}}
}

// newPlatform is the context's Platform, with CallFunction routed through the processor.
func (c *calls) newPlatform(log *frameLogger) *nuclio.Platform {
	platform, err := nuclio.NewPlatform(log, platformKind, "nucleon")
	if err != nil {
		return nil
	}
	if !hookTransport(platform, callTransport{calls: c}) {
		log.Warn("this nuclio-sdk-go version hides its HTTP client; Platform.CallFunction will not reach other functions")
	}
	return platform
}

// hookTransport gives the Platform's unexported fasthttp client our transport (nuclio-sdk-go
// has no option for it); false when the field is not there, as in an SDK version this was not built for.
func hookTransport(platform *nuclio.Platform, transport fasthttp.RoundTripper) bool {
	field := reflect.ValueOf(platform).Elem().FieldByName("client")
	if !field.IsValid() || field.Type() != reflect.TypeOf(fasthttp.Client{}) {
		return false
	}
	client := (*fasthttp.Client)(unsafe.Pointer(field.UnsafeAddr()))
	client.ConfigureClient = func(hc *fasthttp.HostClient) error {
		hc.Transport = transport
		return nil
	}
	return true
}

// call sends one CALL and waits for its CALL_RESULT.
func (c *calls) call(meta callMeta, body []byte) (callResultMeta, []byte, error) {
	var result callResultMeta
	if !c.offered {
		return result, nil, &CallError{Code: "NUCLEON_ERR_CALL_FAILED",
			Message: "CallFunction: this processor does not offer function calls (no \"call\" capability)"}
	}
	id := atomic.AddUint32(&c.nextID, 1)
	slot := &callSlot{done: make(chan struct{})}
	c.mu.Lock()
	c.slots[id] = slot
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.slots, id)
		c.mu.Unlock()
	}()
	if c.s.cfg.maxInFlight == 1 {
		meta.EventID = atomic.LoadUint32(&c.s.currentEvent)
	}
	payload, err := encodeMetaBody(meta, body)
	if err != nil {
		return result, nil, &CallError{Code: "NUCLEON_ERR_BODY_TOO_LARGE", Message: "CallFunction: " + err.Error()}
	}
	buf, err := encodeFrame(frameCall, id, payload)
	if err != nil {
		return result, nil, &CallError{Code: "NUCLEON_ERR_BODY_TOO_LARGE", Message: "CallFunction: " + err.Error()}
	}
	c.s.send(buf)
	if err := c.wait(slot); err != nil {
		return result, nil, err
	}
	answer, err := decodeMetaBody(slot.frame.payload, &result)
	if err != nil {
		return result, nil, &CallError{Code: "NUCLEON_ERR_WRAPPER_PROTOCOL", Message: "CallFunction: bad CALL_RESULT: " + err.Error()}
	}
	if result.Error != nil {
		return result, nil, &CallError{Code: result.Error.Code, Message: result.Error.Message}
	}
	return result, answer, nil
}

func (c *calls) wait(slot *callSlot) error {
	for {
		if atomic.LoadInt32(&c.loopReads) == 1 {
			<-slot.done
			return nil
		}
		c.readMu.Lock()
		select {
		case <-slot.done:
			c.readMu.Unlock()
			return nil
		default:
		}
		f, err := readFrame(c.s.reader)
		if err != nil {
			c.readMu.Unlock()
			return &CallError{Code: "NUCLEON_ERR_CALL_FAILED", Message: "CallFunction: the connection to the processor failed: " + err.Error()}
		}
		if f.typ == frameCallResult {
			c.deliver(f)
		} else {
			c.deferredMu.Lock()
			c.deferred = append(c.deferred, f)
			c.deferredMu.Unlock()
		}
		c.readMu.Unlock()
	}
}

// deliver hands a CALL_RESULT to its waiting call; one for a call no longer waiting is dropped.
func (c *calls) deliver(f frame) {
	c.mu.Lock()
	slot := c.slots[f.id]
	delete(c.slots, f.id)
	c.mu.Unlock()
	if slot != nil {
		slot.frame = f
		close(slot.done)
	}
}

// next is the loop's read: frames a waiting call read on its behalf come first.
func (c *calls) next() (frame, error) {
	c.deferredMu.Lock()
	if len(c.deferred) > 0 {
		f := c.deferred[0]
		c.deferred = c.deferred[1:]
		c.deferredMu.Unlock()
		return f, nil
	}
	c.deferredMu.Unlock()
	return readFrame(c.s.reader)
}

// callTransport is the RoundTripper of the SDK client's host clients: the request becomes a
// CALL frame and the CALL_RESULT fills the response; a failed call is returned as its CallError.
type callTransport struct{ calls *calls }

func (t callTransport) RoundTrip(hc *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response) (bool, error) {
	meta := callMeta{Function: strings.TrimPrefix(hostOnly(hc.Addr), calleeHostPrefix), Method: string(req.Header.Method()),
		Path: string(req.URI().RequestURI()), Headers: map[string]string{}, ContentType: string(req.Header.ContentType())}
	req.Header.VisitAll(func(key, value []byte) {
		name := strings.ToLower(string(key))
		if name != "content-length" && name != "content-type" && name != "host" && name != "user-agent" {
			meta.Headers[name] = string(value)
		}
	})
	result, body, err := t.calls.call(meta, req.Body())
	if err != nil {
		return false, err
	}
	resp.Reset()
	if result.StatusCode == 0 {
		result.StatusCode = 200
	}
	resp.SetStatusCode(result.StatusCode)
	for name, value := range result.Headers {
		resp.Header.Set(name, headerString(value))
	}
	if result.ContentType != "" {
		resp.Header.SetContentType(result.ContentType)
	}
	resp.SetBody(body)
	return false, nil
}

func hostOnly(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[:i]
	}
	return addr
}
