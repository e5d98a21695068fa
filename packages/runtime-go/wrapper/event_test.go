package nucleonwrapper

import (
	"encoding/json"
	"testing"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

func decodeTestEvent(t *testing.T, metaJSON string, body string) nuclio.Event {
	t.Helper()
	var meta eventMeta
	if err := json.Unmarshal([]byte(metaJSON), &meta); err != nil {
		t.Fatal(err)
	}
	return newEvent(meta, []byte(body))
}

func TestEventFromHTTPMeta(t *testing.T) {
	ev := decodeTestEvent(t, `{
		"id": "3f9a1c-17", "method": "POST", "path": "/orders", "url": "/orders?x=1&x=2",
		"contentType": "application/json",
		"headers": {"content-type": "application/json", "x-request-id": "abc", "x-multi": ["a", "b"], "x-num": "42"},
		"fields": {"x": ["1", "2"], "y": "z"},
		"timestamp": 1795830000.5,
		"trigger": {"kind": "http", "name": "web"}
	}`, `{"a":1}`)

	if ev.GetID() != "3f9a1c-17" || ev.GetMethod() != "POST" || ev.GetPath() != "/orders" || ev.GetURL() != "/orders?x=1&x=2" {
		t.Fatalf("id/method/path/url: %v %v %v %v", ev.GetID(), ev.GetMethod(), ev.GetPath(), ev.GetURL())
	}
	if ev.GetContentType() != "application/json" || string(ev.GetBody()) != `{"a":1}` {
		t.Fatalf("content type %q body %q", ev.GetContentType(), ev.GetBody())
	}
	// Nuclio's HTTP event returns []byte from GetHeader and looks names up ignoring case.
	if h, ok := ev.GetHeader("X-Request-ID").([]byte); !ok || string(h) != "abc" {
		t.Fatalf("GetHeader: %#v", ev.GetHeader("X-Request-ID"))
	}
	if ev.GetHeaderString("x-multi") != "a" {
		t.Fatalf("repeated header: %q", ev.GetHeaderString("x-multi"))
	}
	if n, err := ev.GetHeaderInt("X-Num"); err != nil || n != 42 {
		t.Fatalf("GetHeaderInt: %v %v", n, err)
	}
	if ev.GetHeaderString("missing") != "" || ev.GetHeaderByteSlice("missing") != nil {
		t.Fatal("missing header is not empty")
	}
	headers := ev.GetHeaders()
	if headers["X-Request-Id"] != "abc" || headers["Content-Type"] != "application/json" {
		t.Fatalf("GetHeaders: %#v", headers)
	}
	if ev.GetFieldString("x") != "1" || ev.GetField("y") != "z" || ev.GetFields()["y"] != "z" {
		t.Fatalf("fields: %#v", ev.GetFields())
	}
	if _, err := ev.GetFieldInt("y"); err == nil {
		t.Fatal("GetFieldInt of a non-number succeeded")
	}
	if ts := ev.GetTimestamp(); ts.Unix() != 1795830000 || ts.Nanosecond() != 500000000 {
		t.Fatalf("timestamp %v", ts)
	}
	info := ev.GetTriggerInfo()
	if info.GetKind() != "http" || info.GetName() != "web" || info.GetClass() != "sync" {
		t.Fatalf("trigger info %v %v %v", info.GetKind(), info.GetName(), info.GetClass())
	}
	if ev.GetShardID() != -1 {
		t.Fatalf("shard of an HTTP event: %d", ev.GetShardID())
	}
	if b, ok := ev.GetBodyObject().([]byte); !ok || string(b) != `{"a":1}` {
		t.Fatalf("GetBodyObject: %#v", ev.GetBodyObject())
	}
}

func TestEventFromStreamMeta(t *testing.T) {
	ev := decodeTestEvent(t, `{"id": "k-1", "trigger": {"kind": "kafka-cluster", "name": "orders"},
		"topic": "orders", "shardId": 3, "offset": "1042", "key": "b3JkZXItMQ=="}`, "x")
	if ev.GetTopic() != "orders" || ev.GetShardID() != 3 || ev.GetOffset() != 1042 {
		t.Fatalf("topic %q shard %d offset %d", ev.GetTopic(), ev.GetShardID(), ev.GetOffset())
	}
	if ev.GetTriggerInfo().GetClass() != "async" {
		t.Fatalf("class %q", ev.GetTriggerInfo().GetClass())
	}
}
