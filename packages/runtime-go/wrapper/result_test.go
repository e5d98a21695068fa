package nucleonwrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

// decodeOutcome reads back the frame encodeOutcome built.
func decodeOutcome(t *testing.T, buf []byte) (byte, responseMeta, []byte, errorRecord) {
	t.Helper()
	f, err := readFrame(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	var meta responseMeta
	var record errorRecord
	var body []byte
	switch f.typ {
	case frameResponse:
		if body, err = decodeMetaBody(f.payload, &meta); err != nil {
			t.Fatal(err)
		}
	case frameError:
		if err := json.Unmarshal(f.payload, &record); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("frame type %d", f.typ)
	}
	if f.id != 9 {
		t.Fatalf("frame id %d", f.id)
	}
	return f.typ, meta, body, record
}

func TestResultEncoding(t *testing.T) {
	cases := []struct {
		name        string
		result      interface{}
		status      int
		contentType string
		body        string
		headers     map[string]interface{}
	}{
		{"string", "héllo ✓", 200, textContentType, "héllo ✓", nil},
		{"bytes", []byte{0, 1, 0xff}, 200, binaryContentType, "\x00\x01\xff", nil},
		{"nil", nil, 200, "", "", nil},
		{"map as JSON", map[string]interface{}{"a": 1}, 200, jsonContentType, `{"a":1}`, nil},
		{"struct as JSON", struct {
			Name string `json:"name"`
		}{"x"}, 200, jsonContentType, `{"name":"x"}`, nil},
		{"nuclio.Response", nuclio.Response{StatusCode: 201, ContentType: "application/text", Body: []byte("made"),
			Headers: map[string]interface{}{"x-a": "1", "x-n": 3, "x-b": []byte("b"), "x-list": []string{"p", "q"}}},
			201, "application/text", "made",
			map[string]interface{}{"x-a": "1", "x-n": "3", "x-b": "b", "x-list": []interface{}{"p", "q"}}},
		{"*nuclio.Response with defaults", &nuclio.Response{Body: []byte("ok")}, 200, textContentType, "ok", nil},
	}
	for _, c := range cases {
		typ, meta, body, _ := decodeOutcome(t, encodeOutcome(9, c.result, nil))
		if typ != frameResponse || meta.StatusCode != c.status || meta.ContentType != c.contentType || string(body) != c.body {
			t.Errorf("%s: type %d status %d content type %q body %q", c.name, typ, meta.StatusCode, meta.ContentType, body)
		}
		if fmt.Sprint(meta.Headers) != fmt.Sprint(c.headers) && !(len(meta.Headers) == 0 && len(c.headers) == 0) {
			t.Errorf("%s: headers %#v", c.name, meta.Headers)
		}
	}
}

func TestStreamedResponseIsBuffered(t *testing.T) {
	stream := nuclio.NewResponseStream("text/event-stream", map[string]interface{}{"x-s": "1"}, 202)
	go func() {
		defer stream.StopStreaming()
		stream.SendChunk([]byte("one,"))
		stream.SendChunk([]byte("two"))
	}()
	_, meta, body, _ := decodeOutcome(t, encodeOutcome(9, stream, nil))
	if meta.StatusCode != 202 || meta.ContentType != "text/event-stream" || string(body) != "one,two" {
		t.Fatalf("%+v %q", meta, body)
	}
}

func TestUnencodableResultIsAnError(t *testing.T) {
	typ, _, _, record := decodeOutcome(t, encodeOutcome(9, make(chan int), nil))
	if typ != frameError || record.Type != "ResultEncodingError" {
		t.Fatalf("type %d record %+v", typ, record)
	}
}

func TestHandlerErrors(t *testing.T) {
	typ, _, _, record := decodeOutcome(t, encodeOutcome(9, "ignored", errors.New("boom")))
	if typ != frameError || record.Message != "boom" || record.Type != "*errors.errorString" {
		t.Fatalf("plain error: type %d record %+v", typ, record)
	}

	// Nuclio answers errors that carry a status with that status and the message.
	typ, meta, body, _ := decodeOutcome(t, encodeOutcome(9, nil, nuclio.NewErrBadRequest("no name given")))
	if typ != frameResponse || meta.StatusCode != 400 || string(body) != "no name given" {
		t.Fatalf("status error: type %d meta %+v body %q", typ, meta, body)
	}
	typ, meta, _, _ = decodeOutcome(t, encodeOutcome(9, nil, nuclio.ErrNotFound))
	if typ != frameResponse || meta.StatusCode != 404 {
		t.Fatalf("status error value: type %d meta %+v", typ, meta)
	}
	wrapped := fmt.Errorf("lookup: %w", nuclio.NewErrConflict("taken"))
	typ, meta, _, _ = decodeOutcome(t, encodeOutcome(9, nil, wrapped))
	if typ != frameResponse || meta.StatusCode != 409 {
		t.Fatalf("wrapped status error: type %d meta %+v", typ, meta)
	}
}
