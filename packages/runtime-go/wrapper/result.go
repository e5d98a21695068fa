package nucleonwrapper

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

const (
	textContentType   = "text/plain; charset=utf-8"
	binaryContentType = "application/octet-stream"
	jsonContentType   = "application/json"
)

// responseMeta is the JSON meta of a RESPONSE frame.
type responseMeta struct {
	StatusCode  int                    `json:"statusCode"`
	ContentType string                 `json:"contentType,omitempty"`
	Headers     map[string]interface{} `json:"headers,omitempty"`
}

// errorRecord is the JSON payload of an ERROR frame (and, with Kind, of FATAL).
type errorRecord struct {
	Message string `json:"message"`
	Type    string `json:"type,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Stack   string `json:"stack,omitempty"`
}

// encodeOutcome turns what the handler returned into the RESPONSE or ERROR frame to send.
//
// An error that carries a status code (nuclio.NewErrBadRequest and friends) is answered as
// Nuclio does: that status with the error message as a text body. Any other error is an ERROR
// frame, which the processor answers with a 500 that does not expose the message.
func encodeOutcome(id uint32, result interface{}, handlerErr error) []byte {
	if handlerErr != nil {
		if status := errorStatusCode(handlerErr); status != 0 {
			return mustFrame(responseFrame(id, responseMeta{StatusCode: status, ContentType: textContentType},
				[]byte(handlerErr.Error())))
		}
		return errorFrame(id, errorRecord{Message: handlerErr.Error(), Type: fmt.Sprintf("%T", handlerErr)})
	}
	meta, body, err := encodeResult(result)
	if err != nil {
		return errorFrame(id, errorRecord{Message: err.Error(), Type: "ResultEncodingError"})
	}
	buf, err := responseFrame(id, meta, body)
	if err != nil {
		return errorFrame(id, errorRecord{Message: err.Error(), Type: "ResultEncodingError"})
	}
	return buf
}

// errorStatusCode finds the status code of a nuclio.ErrorWithStatusCode (pointer, as the
// NewErr... constructors return, or value, as the Err... variables are) anywhere in the chain.
func errorStatusCode(err error) int {
	var withStatus nuclio.WithStatusCode
	if errors.As(err, &withStatus) {
		return withStatus.StatusCode()
	}
	var value nuclio.ErrorWithStatusCode
	if errors.As(err, &value) {
		return value.StatusCode()
	}
	return 0
}

// encodeResult maps a handler result onto RESPONSE meta and body: string as text, []byte as
// bytes, nuclio.Response (value or pointer) with its status, headers and content type, a
// streamed nuclio.ProcessingResult read to its end, nil as an empty 200, anything else as JSON.
func encodeResult(result interface{}) (responseMeta, []byte, error) {
	switch r := result.(type) {
	case nil:
		return responseMeta{StatusCode: 200}, nil, nil
	case string:
		return responseMeta{StatusCode: 200, ContentType: textContentType}, []byte(r), nil
	case []byte:
		return responseMeta{StatusCode: 200, ContentType: binaryContentType}, r, nil
	case nuclio.Response:
		return fromNuclioResponse(r.StatusCode, r.ContentType, r.Headers), r.Body, nil
	case *nuclio.Response:
		if r == nil {
			return responseMeta{StatusCode: 200}, nil, nil
		}
		return fromNuclioResponse(r.StatusCode, r.ContentType, r.Headers), r.Body, nil
	case nuclio.ProcessingResult:
		return fromProcessingResult(r)
	}
	body, err := json.Marshal(result)
	if err != nil {
		return responseMeta{}, nil, fmt.Errorf("cannot encode the handler's %T result as JSON: %v", result, err)
	}
	return responseMeta{StatusCode: 200, ContentType: jsonContentType}, body, nil
}

func fromNuclioResponse(statusCode int, contentType string, headers map[string]interface{}) responseMeta {
	if statusCode == 0 {
		statusCode = 200
	}
	if contentType == "" {
		contentType = textContentType
	}
	return responseMeta{StatusCode: statusCode, ContentType: contentType, Headers: encodeHeaders(headers)}
}

// fromProcessingResult buffers a streamed response: the wrapper protocol has no streaming, so
// the stream is read to its end (at most 64 MiB) and sent as one body.
func fromProcessingResult(r nuclio.ProcessingResult) (responseMeta, []byte, error) {
	meta := fromNuclioResponse(r.GetStatusCode(), r.GetContentType(), r.GetHeaders())
	switch body := r.GetBody().(type) {
	case nil:
		return meta, nil, nil
	case []byte:
		return meta, body, nil
	case string:
		return meta, []byte(body), nil
	case io.Reader:
		if closer, ok := body.(io.Closer); ok {
			defer closer.Close()
		}
		data, err := io.ReadAll(io.LimitReader(body, maxPayload+1))
		if err != nil {
			return responseMeta{}, nil, fmt.Errorf("reading the streamed response failed: %v", err)
		}
		return meta, data, nil
	default:
		return responseMeta{}, nil, fmt.Errorf("unsupported response body type %T", body)
	}
}

// encodeHeaders converts Nuclio's map[string]interface{} headers to strings or lists of
// strings, the only values the protocol carries.
func encodeHeaders(headers map[string]interface{}) map[string]interface{} {
	if len(headers) == 0 {
		return nil
	}
	out := make(map[string]interface{}, len(headers))
	for name, value := range headers {
		switch v := value.(type) {
		case nil:
			continue
		case []string:
			out[name] = v
		case []interface{}:
			list := make([]string, len(v))
			for i, item := range v {
				list[i] = headerString(item)
			}
			out[name] = list
		default:
			out[name] = headerString(v)
		}
	}
	return out
}

func headerString(value interface{}) string {
	switch v := value.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(value)
}

func responseFrame(id uint32, meta responseMeta, body []byte) ([]byte, error) {
	payload, err := encodeMetaBody(meta, body)
	if err != nil {
		return nil, err
	}
	if len(payload) > maxPayload {
		return nil, fmt.Errorf("response body of %d bytes exceeds the 64 MiB frame limit", len(body))
	}
	return encodeFrame(frameResponse, id, payload)
}

func errorFrame(id uint32, record errorRecord) []byte {
	return mustFrame(encodeJSONFrame(frameError, id, record))
}

// mustFrame is for frames whose payload is known to encode and fit.
func mustFrame(buf []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return buf
}
