package nucleonwrapper

import (
	"errors"
	"reflect"
	"testing"
)

func TestLoggerRecords(t *testing.T) {
	var got []logRecord
	var ids []uint32
	current := uint32(5)
	l := &frameLogger{
		sink:         func(id uint32, r logRecord) { ids = append(ids, id); got = append(got, r) },
		currentEvent: func() uint32 { return current },
	}
	l.Info("unstructured %s %d", "log", 2)
	l.Warn("100% literal")
	l.DebugWith("structured", "key", "v", "n", 3, "err", errors.New("bad"), "odd")
	l.GetChild("db").Error(42)

	want := []logRecord{
		{Level: "info", Message: "unstructured log 2"},
		{Level: "warn", Message: "100% literal"},
		{Level: "debug", Message: "structured", With: map[string]interface{}{"key": "v", "n": 3, "err": "bad", "odd": nil}},
		{Level: "error", Message: "42", With: map[string]interface{}{"logger": "db"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records\n got %#v\nwant %#v", got, want)
	}
	if !reflect.DeepEqual(ids, []uint32{5, 5, 5, 5}) {
		t.Fatalf("event ids %v", ids)
	}
}

func TestLoggerSkipsUnencodableValues(t *testing.T) {
	var got logRecord
	l := &frameLogger{sink: func(_ uint32, r logRecord) { got = r }}
	l.InfoWith("m", "ch", make(chan int))
	if _, ok := got.With["ch"].(string); !ok {
		t.Fatalf("a channel was not rendered as text: %#v", got.With)
	}
}
