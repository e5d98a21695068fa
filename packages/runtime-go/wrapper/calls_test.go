package nucleonwrapper

import (
	"encoding/json"
	"errors"
	"testing"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

// callingHandler calls "callee" through the SDK's Platform and reports what came back.
func callingHandler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	response, err := context.Platform.CallFunction(string(event.GetBody()), &nuclio.MemoryEvent{
		Method: "PUT", Path: "/sum", Body: []byte(`{"n":1}`), ContentType: "application/json",
		Headers: map[string]interface{}{"X-Trace": "abc"},
	})
	if err != nil {
		var callErr *CallError
		if errors.As(err, &callErr) {
			return nuclio.Response{StatusCode: 502, Body: []byte(callErr.Code + ": " + callErr.Message)}, nil
		}
		return nuclio.Response{StatusCode: 500, Body: []byte("not a CallError: " + err.Error())}, nil
	}
	return map[string]interface{}{"status": response.StatusCode, "contentType": response.ContentType,
		"sum": response.Headers["X-Sum"], "body": string(response.Body)}, nil
}

func startCalling(t *testing.T, maxInFlight int, capabilities []string) *fakeProcessor {
	p := startSession(t, config{maxInFlight: maxInFlight}, callingHandler, nil)
	p.next() // HELLO
	p.writeJSON(frameWelcome, map[string]interface{}{"version": 1, "functionName": "fn", "workerId": 0, "eventTimeoutMs": 1000,
		"capabilities": capabilities})
	if f := p.next(); f.typ != frameReady {
		t.Fatalf("want READY, got type %d", f.typ)
	}
	return p
}

func (p *fakeProcessor) nextOf(typ byte) frame {
	p.t.Helper()
	for {
		if f := p.next(); f.typ == typ {
			return f
		}
	}
}

func TestCallFunctionGoesThroughTheProcessor(t *testing.T) {
	for _, maxInFlight := range []int{1, 4} {
		p := startCalling(t, maxInFlight, []string{"call"})
		p.sendEvent(7, "/", "callee")
		call := p.nextOf(frameCall)
		var meta callMeta
		body, err := decodeMetaBody(call.payload, &meta)
		if err != nil {
			t.Fatal(err)
		}
		if meta.Function != "callee" || meta.Method != "PUT" || meta.Path != "/sum" || meta.ContentType != "application/json" ||
			meta.Headers["x-trace"] != "abc" || string(body) != `{"n":1}` || call.id == 0 {
			t.Fatalf("maxInFlight %d: CALL %d meta %+v body %q", maxInFlight, call.id, meta, body)
		}
		answer, _ := encodeMetaBody(map[string]interface{}{"statusCode": 201, "contentType": "text/x-sum",
			"headers": map[string]string{"x-sum": "3"}}, []byte("three"))
		p.write(frameCallResult, call.id, answer)
		response := p.nextOf(frameResponse)
		var got map[string]interface{}
		raw, err := decodeMetaBody(response.payload, &map[string]interface{}{})
		if err != nil || json.Unmarshal(raw, &got) != nil {
			t.Fatalf("RESPONSE %q: %v", raw, err)
		}
		want := map[string]interface{}{"status": 201.0, "contentType": "text/x-sum", "sum": "3", "body": "three"}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("maxInFlight %d: handler saw %v, want %v", maxInFlight, got, want)
			}
		}
	}
}

func TestCallFunctionToAMissingFunctionReturnsTheProcessorError(t *testing.T) {
	p := startCalling(t, 1, []string{"call"})
	p.sendEvent(8, "/", "ghost")
	call := p.nextOf(frameCall)
	answer, _ := encodeMetaBody(map[string]interface{}{"error": map[string]string{
		"code": "NUCLEON_ERR_CALLEE_NOT_FOUND", "message": `function "ghost" not found on the local platform`}}, nil)
	p.write(frameCallResult, call.id, answer)
	response := p.nextOf(frameResponse)
	var meta responseMeta
	body, _ := decodeMetaBody(response.payload, &meta)
	if meta.StatusCode != 502 || string(body) != `NUCLEON_ERR_CALLEE_NOT_FOUND: function "ghost" not found on the local platform` {
		t.Fatalf("got %d %q", meta.StatusCode, body)
	}
}

func TestCallFunctionWithoutTheCapabilitySendsNothing(t *testing.T) {
	p := startCalling(t, 1, nil)
	p.sendEvent(9, "/", "callee")
	f := p.next()
	for f.typ == frameLog {
		f = p.next()
	}
	if f.typ != frameResponse {
		t.Fatalf("want RESPONSE without a CALL, got type %d", f.typ)
	}
}

func TestEventCarriesNuclioTypeFields(t *testing.T) {
	meta := eventMeta{ID: "e-1", URL: "/a?b=1", Timestamp: 1795830000.25, Type: "com.example.order", TypeVersion: "2", Version: "1.0"}
	meta.Trigger.Kind, meta.Trigger.Name = "http", "web"
	e := newEvent(meta, nil)
	if e.GetID() != "e-1" || e.GetURL() != "/a?b=1" || e.GetType() != "com.example.order" || e.GetTypeVersion() != "2" ||
		e.GetVersion() != "1.0" || e.GetTriggerInfo().GetKind() != "http" || e.GetTriggerInfo().GetName() != "web" ||
		e.GetTimestamp().UnixNano() != 1795830000250000000 {
		t.Fatalf("event fields: %+v", meta)
	}
}

func TestInitContextMayCallBeforeReady(t *testing.T) {
	initContext := func(context *nuclio.Context) error {
		response, err := context.Platform.CallFunction("config", &nuclio.MemoryEvent{Path: "/settings"})
		if err != nil {
			return err
		}
		context.UserData = string(response.Body)
		return nil
	}
	handler := func(context *nuclio.Context, event nuclio.Event) (interface{}, error) { return context.UserData, nil }
	p := startSession(t, config{maxInFlight: 1}, handler, initContext)
	p.next() // HELLO
	p.writeJSON(frameWelcome, map[string]interface{}{"version": 1, "functionName": "fn", "workerId": 0, "capabilities": []string{"call"}})
	call := p.nextOf(frameCall)
	var meta callMeta
	if _, err := decodeMetaBody(call.payload, &meta); err != nil || meta.Function != "config" || meta.Method != "GET" || meta.Path != "/settings" {
		t.Fatalf("CALL %+v: %v", meta, err)
	}
	answer, _ := encodeMetaBody(map[string]interface{}{"statusCode": 200, "contentType": "text/plain"}, []byte("fast"))
	p.write(frameCallResult, call.id, answer)
	p.nextOf(frameReady)
	p.sendEvent(1, "/", "")
	var rmeta responseMeta
	body, _ := decodeMetaBody(p.nextOf(frameResponse).payload, &rmeta)
	if string(body) != "fast" {
		t.Fatalf("handler answered %q", body)
	}
}
