// Package nucleonwrapper runs a Nuclio Go handler behind Nucleon's wrapper protocol
// (docs/protocol.md). @nucleon/runtime-go copies it into the function's build directory and
// generates a main package that calls Run with the user's Handler and InitContext.
//
// The code avoids language features newer than Go 1.13 (generics, `any`, range over ints)
// because it compiles under the go directive of the user's own go.mod.
package nucleonwrapper

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Frame types of protocol version 1.
const (
	frameHello     byte = 1
	frameWelcome   byte = 2
	frameReady     byte = 3
	frameFatal     byte = 4
	frameEvent     byte = 16
	frameResponse  byte = 17
	frameError     byte = 18
	frameLog       byte = 32
	frameMetric    byte = 33
	frameAck       byte = 34
	frameDrain     byte = 48
	frameDrained   byte = 49
	frameTerminate byte = 50
)

const (
	protocolVersion = 1
	// frameHeaderSize is the length prefix plus type plus id.
	frameHeaderSize = 9
	// minFrameLength and maxFrameLength bound the length field: type + id, plus at most 64 MiB.
	minFrameLength = 5
	maxFrameLength = 64<<20 + 5
	// maxPayload is the most payload bytes one frame may carry.
	maxPayload = maxFrameLength - 5
)

var knownTypes = map[byte]bool{
	frameHello: true, frameWelcome: true, frameReady: true, frameFatal: true,
	frameEvent: true, frameResponse: true, frameError: true,
	frameLog: true, frameMetric: true, frameAck: true,
	frameDrain: true, frameDrained: true, frameTerminate: true,
	frameCall: true, frameCallResult: true,
}

// frame is one decoded protocol message.
type frame struct {
	typ     byte
	id      uint32
	payload []byte
}

// errBrokenConnection marks input that breaks the protocol; the connection must be dropped.
var errBrokenConnection = errors.New("broken connection")

func brokenf(format string, args ...interface{}) error {
	return fmt.Errorf("%w: "+format, append([]interface{}{errBrokenConnection}, args...)...)
}

// encodeFrame lays out a whole frame in one buffer so it can be written with one call.
func encodeFrame(typ byte, id uint32, payload []byte) ([]byte, error) {
	if len(payload) > maxPayload {
		return nil, fmt.Errorf("frame payload of %d bytes exceeds the 64 MiB limit", len(payload))
	}
	buf := make([]byte, frameHeaderSize+len(payload))
	binary.BigEndian.PutUint32(buf[0:4], uint32(5+len(payload)))
	buf[4] = typ
	binary.BigEndian.PutUint32(buf[5:9], id)
	copy(buf[frameHeaderSize:], payload)
	return buf, nil
}

// readFrame reads one frame; a length out of range or an unknown type is a broken connection.
// io.EOF is returned as is when the stream ends cleanly between frames.
func readFrame(r io.Reader) (frame, error) {
	var header [frameHeaderSize]byte
	if _, err := io.ReadFull(r, header[:4]); err != nil {
		return frame{}, err
	}
	length := binary.BigEndian.Uint32(header[0:4])
	if length < minFrameLength || length > maxFrameLength {
		return frame{}, brokenf("frame length %d outside [%d, %d]", length, minFrameLength, maxFrameLength)
	}
	if _, err := io.ReadFull(r, header[4:]); err != nil {
		return frame{}, unexpectedEOF(err)
	}
	f := frame{typ: header[4], id: binary.BigEndian.Uint32(header[5:9])}
	if !knownTypes[f.typ] {
		return frame{}, brokenf("unknown frame type %d", f.typ)
	}
	f.payload = make([]byte, length-5)
	if _, err := io.ReadFull(r, f.payload); err != nil {
		return frame{}, unexpectedEOF(err)
	}
	return f, nil
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// encodeMetaBody builds a meta+body payload: uint32 meta length, JSON meta, raw body.
func encodeMetaBody(meta interface{}, body []byte) ([]byte, error) {
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 4+len(metaJSON)+len(body))
	binary.BigEndian.PutUint32(buf[0:4], uint32(len(metaJSON)))
	copy(buf[4:], metaJSON)
	copy(buf[4+len(metaJSON):], body)
	return buf, nil
}

// decodeMetaBody splits a meta+body payload and decodes the meta into `meta`. The body
// aliases the payload; no copy is made.
func decodeMetaBody(payload []byte, meta interface{}) ([]byte, error) {
	if len(payload) < 4 {
		return nil, brokenf("meta+body payload of %d bytes has no meta length", len(payload))
	}
	metaLength := binary.BigEndian.Uint32(payload[0:4])
	if uint64(metaLength) > uint64(len(payload)-4) {
		return nil, brokenf("meta length %d exceeds the %d bytes that follow it", metaLength, len(payload)-4)
	}
	end := 4 + int(metaLength)
	if err := json.Unmarshal(payload[4:end], meta); err != nil {
		return nil, brokenf("meta is not a JSON object: %v", err)
	}
	return payload[end:], nil
}

// encodeJSONFrame builds a frame whose payload is one JSON object.
func encodeJSONFrame(typ byte, id uint32, value interface{}) ([]byte, error) {
	payload, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	return encodeFrame(typ, id, payload)
}
