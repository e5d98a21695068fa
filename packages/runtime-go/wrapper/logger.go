package nucleonwrapper

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nuclio/logger"
)

// logRecord is the JSON payload of a LOG frame.
type logRecord struct {
	Level   string                 `json:"level"`
	Message string                 `json:"message"`
	With    map[string]interface{} `json:"with,omitempty"`
}

// logSink sends one record; eventID says which event it belongs to (0: none).
type logSink func(eventID uint32, record logRecord)

// frameLogger satisfies logger.Logger by sending LOG frames to the processor, which writes
// them into its own JSON log with the function, worker and event id.
type frameLogger struct {
	sink logSink
	// currentEvent returns the id of the event being handled, or 0 when that is ambiguous
	// (several events in flight) or there is none (InitContext).
	currentEvent func() uint32
	// name is set on child loggers and sent as the `logger` field.
	name string
}

var _ logger.Logger = (*frameLogger)(nil)

func (l *frameLogger) emit(level string, format interface{}, vars []interface{}, structured bool) {
	record := logRecord{Level: level}
	if structured {
		record.Message = formatMessage(format, nil)
		record.With = pairsToFields(vars)
	} else {
		record.Message = formatMessage(format, vars)
	}
	if l.name != "" {
		if record.With == nil {
			record.With = map[string]interface{}{}
		}
		record.With["logger"] = l.name
	}
	var id uint32
	if l.currentEvent != nil {
		id = l.currentEvent()
	}
	l.sink(id, record)
}

// formatMessage renders Nuclio's `format interface{}, vars ...interface{}`: a format string
// with arguments, a plain string, or any value.
func formatMessage(format interface{}, vars []interface{}) string {
	s, ok := format.(string)
	if !ok {
		return fmt.Sprint(format)
	}
	if len(vars) == 0 {
		return s
	}
	return fmt.Sprintf(s, vars...)
}

// pairsToFields turns `"key", value, "key2", value2` into a JSON-safe map. A value that JSON
// cannot encode is sent as its %+v rendering; an error as its message.
func pairsToFields(vars []interface{}) map[string]interface{} {
	if len(vars) == 0 {
		return nil
	}
	fields := make(map[string]interface{}, (len(vars)+1)/2)
	for i := 0; i < len(vars); i += 2 {
		key := fmt.Sprint(vars[i])
		if i+1 >= len(vars) {
			fields[key] = nil
			break
		}
		fields[key] = jsonSafe(vars[i+1])
	}
	return fields
}

func jsonSafe(value interface{}) interface{} {
	switch v := value.(type) {
	case error:
		return v.Error()
	case []byte:
		return string(v)
	case fmt.Stringer:
		return v.String()
	}
	if _, err := json.Marshal(value); err != nil {
		return fmt.Sprintf("%+v", value)
	}
	return value
}

func (l *frameLogger) Error(format interface{}, vars ...interface{}) {
	l.emit("error", format, vars, false)
}
func (l *frameLogger) Warn(format interface{}, vars ...interface{}) {
	l.emit("warn", format, vars, false)
}
func (l *frameLogger) Info(format interface{}, vars ...interface{}) {
	l.emit("info", format, vars, false)
}
func (l *frameLogger) Debug(format interface{}, vars ...interface{}) {
	l.emit("debug", format, vars, false)
}

func (l *frameLogger) ErrorWith(format interface{}, vars ...interface{}) {
	l.emit("error", format, vars, true)
}
func (l *frameLogger) WarnWith(format interface{}, vars ...interface{}) {
	l.emit("warn", format, vars, true)
}
func (l *frameLogger) InfoWith(format interface{}, vars ...interface{}) {
	l.emit("info", format, vars, true)
}
func (l *frameLogger) DebugWith(format interface{}, vars ...interface{}) {
	l.emit("debug", format, vars, true)
}

func (l *frameLogger) ErrorCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("error", format, vars, false)
}
func (l *frameLogger) WarnCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("warn", format, vars, false)
}
func (l *frameLogger) InfoCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("info", format, vars, false)
}
func (l *frameLogger) DebugCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("debug", format, vars, false)
}
func (l *frameLogger) ErrorWithCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("error", format, vars, true)
}
func (l *frameLogger) WarnWithCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("warn", format, vars, true)
}
func (l *frameLogger) InfoWithCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("info", format, vars, true)
}
func (l *frameLogger) DebugWithCtx(_ context.Context, format interface{}, vars ...interface{}) {
	l.emit("debug", format, vars, true)
}

// Flush does nothing: every record is sent when it is logged.
func (l *frameLogger) Flush() {}

// GetChild returns a logger whose records carry `logger: <parent>.<name>`.
func (l *frameLogger) GetChild(name string) logger.Logger {
	child := *l
	if l.name != "" {
		child.name = l.name + "." + name
	} else {
		child.name = name
	}
	return &child
}
