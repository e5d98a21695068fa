package nucleonwrapper

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	payload := []byte{0, 1, 2, 0xff}
	buf, err := encodeFrame(frameEvent, 7, payload)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 0, 0, 9, 16, 0, 0, 0, 7, 0, 1, 2, 0xff}
	if !bytes.Equal(buf, want) {
		t.Fatalf("encoded % x, want % x", buf, want)
	}
	f, err := readFrame(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	if f.typ != frameEvent || f.id != 7 || !bytes.Equal(f.payload, payload) {
		t.Fatalf("decoded %+v", f)
	}
}

func TestEmptyPayloadFrame(t *testing.T) {
	buf, _ := encodeFrame(frameDrained, 0, nil)
	if !bytes.Equal(buf, []byte{0, 0, 0, 5, 49, 0, 0, 0, 0}) {
		t.Fatalf("encoded % x", buf)
	}
}

func TestReadFrameRejectsBadLengthsAndTypes(t *testing.T) {
	cases := map[string][]byte{
		"length below 5":   {0, 0, 0, 4, 16, 0, 0, 0, 1},
		"length over 64Mi": be32(maxFrameLength + 1),
		"unknown type":     {0, 0, 0, 5, 99, 0, 0, 0, 1},
		"reserved type":    {0, 0, 0, 5, 100, 0, 0, 0, 1},
	}
	for name, input := range cases {
		_, err := readFrame(bytes.NewReader(input))
		if !errors.Is(err, errBrokenConnection) {
			t.Errorf("%s: got %v, want a broken connection", name, err)
		}
	}
}

func TestReadFrameEOF(t *testing.T) {
	if _, err := readFrame(bytes.NewReader(nil)); err != io.EOF {
		t.Fatalf("clean end: got %v, want io.EOF", err)
	}
	if _, err := readFrame(bytes.NewReader([]byte{0, 0, 0, 9, 16, 0, 0})); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated header: got %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := readFrame(bytes.NewReader([]byte{0, 0, 0, 9, 16, 0, 0, 0, 1, 0xaa})); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated payload: got %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestEncodeFrameRefusesOversizedPayload(t *testing.T) {
	if _, err := encodeFrame(frameResponse, 1, make([]byte, maxPayload+1)); err == nil {
		t.Fatal("a payload over 64 MiB was encoded")
	}
}

func TestMetaBodyRoundTrip(t *testing.T) {
	body := []byte{0, 0xfe, 'x', 0}
	payload, err := encodeMetaBody(map[string]int{"statusCode": 201}, body)
	if err != nil {
		t.Fatal(err)
	}
	metaLength := binary.BigEndian.Uint32(payload[:4])
	if string(payload[4:4+metaLength]) != `{"statusCode":201}` {
		t.Fatalf("meta %q", payload[4:4+metaLength])
	}
	var meta struct{ StatusCode int }
	gotBody, err := decodeMetaBody(payload, &meta)
	if err != nil {
		t.Fatal(err)
	}
	if meta.StatusCode != 201 || !bytes.Equal(gotBody, body) {
		t.Fatalf("decoded %+v % x", meta, gotBody)
	}
}

func TestDecodeMetaBodyRejectsGarbage(t *testing.T) {
	var meta eventMeta
	for name, payload := range map[string][]byte{
		"too short":         {0, 0},
		"meta past the end": {0, 0, 0, 10, '{', '}'},
		"meta not JSON":     {0, 0, 0, 2, 'n', 'o'},
	} {
		if _, err := decodeMetaBody(payload, &meta); !errors.Is(err, errBrokenConnection) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func be32(n uint32) []byte {
	b := make([]byte, 9)
	binary.BigEndian.PutUint32(b, n)
	b[4] = frameEvent
	return b
}
