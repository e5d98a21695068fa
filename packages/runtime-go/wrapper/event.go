package nucleonwrapper

import (
	"math"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	nuclio "github.com/nuclio/nuclio-sdk-go"
)

// eventMeta is the JSON meta of an EVENT frame.
type eventMeta struct {
	ID          string                 `json:"id"`
	Method      string                 `json:"method"`
	Path        string                 `json:"path"`
	URL         string                 `json:"url"`
	ContentType string                 `json:"contentType"`
	Headers     map[string]interface{} `json:"headers"`
	Fields      map[string]interface{} `json:"fields"`
	Timestamp   float64                `json:"timestamp"`
	Trigger     struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"trigger"`
	Type        string      `json:"type"`
	TypeVersion string      `json:"typeVersion"`
	Version     string      `json:"version"`
	Topic       string      `json:"topic"`
	ShardID     *int        `json:"shardId"`
	Offset      interface{} `json:"offset"`
}

// triggerInfo satisfies nuclio.TriggerInfoProvider.
type triggerInfo struct{ kind, name string }

func (t triggerInfo) GetClass() string {
	if t.kind == "http" {
		return "sync"
	}
	return "async"
}
func (t triggerInfo) GetKind() string { return t.kind }
func (t triggerInfo) GetName() string { return t.name }

// event is what the handler receives: a nuclio.Event read from an EVENT frame. It behaves
// like Nuclio's HTTP event: GetHeader returns []byte, GetHeaders has canonical header names
// (`Content-Type`) with string values, header lookups ignore case.
type event struct {
	nuclio.AbstractEvent
	meta    eventMeta
	body    []byte
	headers map[string]string // lower-case name -> first value
	fields  map[string]string // name -> first value
}

func newEvent(meta eventMeta, body []byte) *event {
	e := &event{meta: meta, body: body, headers: map[string]string{}, fields: map[string]string{}}
	for name, value := range meta.Headers {
		e.headers[strings.ToLower(name)] = firstString(value)
	}
	for name, value := range meta.Fields {
		e.fields[name] = firstString(value)
	}
	e.SetID(nuclio.ID(meta.ID))
	e.SetTriggerInfoProvider(triggerInfo{kind: meta.Trigger.Kind, name: meta.Trigger.Name})
	return e
}

// firstString reads a header or field value: a string, or the first of a list of strings.
func firstString(value interface{}) string {
	switch v := value.(type) {
	case string:
		return v
	case []interface{}:
		if len(v) > 0 {
			if s, ok := v[0].(string); ok {
				return s
			}
		}
	}
	return ""
}

func (e *event) GetContentType() string {
	if e.meta.ContentType != "" {
		return e.meta.ContentType
	}
	return e.headers["content-type"]
}
func (e *event) GetBody() []byte                  { return e.body }
func (e *event) GetBodyObject() interface{}       { return e.body }
func (e *event) GetMethod() string                { return e.meta.Method }
func (e *event) GetPath() string                  { return e.meta.Path }
func (e *event) GetURL() string                   { return e.meta.URL }
func (e *event) GetTopic() string                 { return e.meta.Topic }
func (e *event) GetType() string                  { return e.meta.Type }
func (e *event) GetTypeVersion() string           { return e.meta.TypeVersion }
func (e *event) GetVersion() string               { return e.meta.Version }
func (e *event) GetTimestamp() time.Time          { return timeFromSeconds(e.meta.Timestamp) }
func (e *event) GetHeader(key string) interface{} { return e.GetHeaderByteSlice(key) }

func (e *event) GetHeaderByteSlice(key string) []byte {
	if value, ok := e.headers[strings.ToLower(key)]; ok {
		return []byte(value)
	}
	return nil
}

func (e *event) GetHeaderString(key string) string { return e.headers[strings.ToLower(key)] }

func (e *event) GetHeaderInt(key string) (int, error) {
	value, ok := e.headers[strings.ToLower(key)]
	if !ok {
		return 0, nuclio.ErrTypeConversion
	}
	return strconv.Atoi(value)
}

func (e *event) GetHeaders() map[string]interface{} {
	headers := make(map[string]interface{}, len(e.headers))
	for name, value := range e.headers {
		headers[textproto.CanonicalMIMEHeaderKey(name)] = value
	}
	return headers
}

func (e *event) GetField(key string) interface{} {
	if value, ok := e.fields[key]; ok {
		return value
	}
	return nil
}

func (e *event) GetFieldByteSlice(key string) []byte {
	if value, ok := e.fields[key]; ok {
		return []byte(value)
	}
	return nil
}

func (e *event) GetFieldString(key string) string { return e.fields[key] }

func (e *event) GetFieldInt(key string) (int, error) {
	value, ok := e.fields[key]
	if !ok {
		return 0, nuclio.ErrTypeConversion
	}
	return strconv.Atoi(value)
}

func (e *event) GetFields() map[string]interface{} {
	fields := make(map[string]interface{}, len(e.fields))
	for name, value := range e.fields {
		fields[name] = value
	}
	return fields
}

func (e *event) GetShardID() int {
	if e.meta.ShardID == nil {
		return -1
	}
	return *e.meta.ShardID
}

func (e *event) GetOffset() int {
	switch v := e.meta.Offset.(type) {
	case string:
		n, _ := strconv.Atoi(v)
		return n
	case float64:
		return int(v)
	}
	return 0
}

func timeFromSeconds(seconds float64) time.Time {
	if seconds <= 0 {
		return time.Now()
	}
	// Rounded to the microsecond: a float64 of today's epoch seconds holds no finer digits,
	// and truncating would turn .123 into .122999906.
	whole, fraction := math.Modf(seconds)
	return time.Unix(int64(whole), int64(math.Round(fraction*1e6))*1000)
}
