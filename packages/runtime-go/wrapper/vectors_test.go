package nucleonwrapper

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The processor side's frames, shared by every wrapper implementation
// (packages/runtime-wrapper/test-vectors, described in its README).
var vectorsDir = filepath.Join("..", "..", "runtime-wrapper", "test-vectors")

type vector struct {
	File    string                 `json:"file"`
	Type    byte                   `json:"type"`
	ID      uint32                 `json:"id"`
	JSON    map[string]interface{} `json:"json"`
	Meta    map[string]interface{} `json:"meta"`
	BodyHex *string                `json:"bodyHex"`
	Empty   bool                   `json:"empty"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir, "index.json"))
	if os.IsNotExist(err) {
		t.Skip("no test vectors beside this package (packages/runtime-wrapper/test-vectors)")
	}
	if err != nil {
		t.Fatal(err)
	}
	var vectors []vector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors) == 0 {
		t.Fatal("index.json lists no vectors")
	}
	return vectors
}

func readHex(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir, file))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := hex.DecodeString(strings.Join(strings.Fields(string(data)), ""))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return raw
}

// sameJSON compares JSON values after a round trip, so key order and number types do not matter.
func sameJSON(t *testing.T, got interface{}, want interface{}) bool {
	t.Helper()
	normalize := func(v interface{}) interface{} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out interface{}
		_ = json.Unmarshal(data, &out)
		return out
	}
	return reflect.DeepEqual(normalize(got), normalize(want))
}

func TestVectorsDecode(t *testing.T) {
	for _, v := range loadVectors(t) {
		raw := readHex(t, v.File)
		f, err := readFrame(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", v.File, err)
		}
		if f.typ != v.Type || f.id != v.ID {
			t.Errorf("%s: type %d id %d, want %d %d", v.File, f.typ, f.id, v.Type, v.ID)
		}
		switch {
		case v.Empty:
			if len(f.payload) != 0 {
				t.Errorf("%s: payload of %d bytes, want none", v.File, len(f.payload))
			}
		case v.Meta != nil:
			var meta map[string]interface{}
			body, err := decodeMetaBody(f.payload, &meta)
			if err != nil {
				t.Fatalf("%s: %v", v.File, err)
			}
			if !sameJSON(t, meta, v.Meta) {
				t.Errorf("%s: meta %v, want %v", v.File, meta, v.Meta)
			}
			if hex.EncodeToString(body) != *v.BodyHex {
				t.Errorf("%s: body %x, want %s", v.File, body, *v.BodyHex)
			}
		default:
			var payload map[string]interface{}
			if err := json.Unmarshal(f.payload, &payload); err != nil {
				t.Fatalf("%s: %v", v.File, err)
			}
			if !sameJSON(t, payload, v.JSON) {
				t.Errorf("%s: payload %v, want %v", v.File, payload, v.JSON)
			}
		}
		// Re-encoding the decoded frame gives the same bytes.
		again, _ := encodeFrame(f.typ, f.id, f.payload)
		if !bytes.Equal(again, raw) {
			t.Errorf("%s: re-encoded frame differs", v.File)
		}
	}
}

func TestVectorsAllInOrder(t *testing.T) {
	vectors := loadVectors(t)
	r := bytes.NewReader(readHex(t, "all-in-order.hex"))
	for _, v := range vectors {
		f, err := readFrame(r)
		if err != nil {
			t.Fatalf("before %s: %v", v.File, err)
		}
		if f.typ != v.Type || f.id != v.ID {
			t.Fatalf("%s: type %d id %d out of order", v.File, f.typ, f.id)
		}
	}
	if _, err := readFrame(r); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}
}

// The frames this wrapper writes, built by its own encoders, match the vectors' payloads.
func TestVectorsEncode(t *testing.T) {
	for _, v := range loadVectors(t) {
		var buf []byte
		var err error
		switch v.File {
		case "hello.hex", "ready.hex", "fatal.hex", "error.hex", "log.hex":
			buf, err = encodeJSONFrame(v.Type, v.ID, v.JSON)
		case "response.hex", "response-binary.hex":
			body, _ := hex.DecodeString(*v.BodyHex)
			var meta responseMeta
			data, _ := json.Marshal(v.Meta)
			_ = json.Unmarshal(data, &meta)
			buf, err = responseFrame(v.ID, meta, body)
		case "drained.hex":
			buf, err = encodeFrame(v.Type, v.ID, nil)
		default:
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", v.File, err)
		}
		want, _ := readFrame(bytes.NewReader(readHex(t, v.File)))
		got, err := readFrame(bytes.NewReader(buf))
		if err != nil || got.typ != want.typ || got.id != want.id {
			t.Fatalf("%s: %+v %v", v.File, got, err)
		}
		if v.Meta != nil {
			var gotMeta, wantMeta map[string]interface{}
			gotBody, _ := decodeMetaBody(got.payload, &gotMeta)
			wantBody, _ := decodeMetaBody(want.payload, &wantMeta)
			// The wrapper leaves out empty headers; the processor defaults them to none.
			if h, ok := wantMeta["headers"].(map[string]interface{}); ok && len(h) == 0 {
				delete(wantMeta, "headers")
			}
			if !sameJSON(t, gotMeta, wantMeta) || !bytes.Equal(gotBody, wantBody) {
				t.Errorf("%s: meta %v body %x, want %v %x", v.File, gotMeta, gotBody, wantMeta, wantBody)
			}
		} else if !bytes.Equal(got.payload, want.payload) && !sameJSONBytes(got.payload, want.payload) {
			t.Errorf("%s: payload %s, want %s", v.File, got.payload, want.payload)
		}
	}
}

func sameJSONBytes(a, b []byte) bool {
	var x, y interface{}
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// The EVENT vectors decode into nuclio.Events that answer as Nuclio's do.
func TestVectorsEvents(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.Type != frameEvent {
			continue
		}
		f, _ := readFrame(bytes.NewReader(readHex(t, v.File)))
		var meta eventMeta
		body, err := decodeMetaBody(f.payload, &meta)
		if err != nil {
			t.Fatalf("%s: %v", v.File, err)
		}
		ev := newEvent(meta, body)
		if hex.EncodeToString(ev.GetBody()) != *v.BodyHex || string(ev.GetID()) != v.Meta["id"] {
			t.Errorf("%s: body %x id %s", v.File, ev.GetBody(), ev.GetID())
		}
		if ev.GetContentType() != v.Meta["contentType"] || ev.GetTriggerInfo().GetKind() != v.Meta["trigger"].(map[string]interface{})["kind"] {
			t.Errorf("%s: content type %q trigger %q", v.File, ev.GetContentType(), ev.GetTriggerInfo().GetKind())
		}
		if topic, ok := v.Meta["topic"].(string); ok && (ev.GetTopic() != topic || ev.GetShardID() != 3 || ev.GetOffset() != 1042) {
			t.Errorf("%s: topic %q shard %d offset %d", v.File, ev.GetTopic(), ev.GetShardID(), ev.GetOffset())
		}
		if v.File == "event-binary-body.hex" && (ev.GetHeaderString("X-Multi") != "1" || ev.GetFieldString("tag") != "a" || ev.GetTimestamp().UnixMilli() != 1795830000123) {
			t.Errorf("%s: x-multi %q tag %q timestamp %v", v.File, ev.GetHeaderString("X-Multi"), ev.GetFieldString("tag"), ev.GetTimestamp())
		}
	}
}
