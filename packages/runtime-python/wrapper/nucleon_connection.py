"""The wrapper's one connection to the processor: framed writes under a lock, reads that
refuse what a processor may not send, and the sinks behind context.logger and explicit acks."""

import collections
import contextvars
import sys
import threading

import nucleon_protocol as proto
import nuclio_sdk.json_encoder

# The frame id of the event the running code is handling (0 outside events); one per task.
current_event = contextvars.ContextVar('nucleon_current_event', default=0)


class Connection(object):
    """The socket to the processor. Every frame goes out in one sendall under one lock, so
    frames from concurrent events (and from threads a handler starts) never interleave."""

    def __init__(self, sock):
        self.sock = sock
        self._lock = threading.Lock()
        self.in_flight = set()
        # Frames read while a handler waited for a CALL_RESULT (nucleon_calls), served next.
        self.deferred = collections.deque()

    def send(self, data):
        with self._lock:
            self.sock.sendall(data)

    def send_json(self, frame_type, frame_id, obj):
        self.send(proto.encode_json_frame(frame_type, frame_id, obj))

    def read(self):
        if self.deferred:
            return self.deferred.popleft()
        return self.read_socket()

    def read_socket(self):
        frame = proto.read_frame(self.sock)
        if frame is not None and frame.type not in proto.FROM_PROCESSOR:
            raise proto.ProtocolError('unexpected {0} frame (type {1}) from the processor'.format(
                proto.TYPE_NAMES.get(frame.type, 'unknown'), frame.type))
        return frame

    def log_sink(self, level, message, fields):
        event_id = current_event.get()
        if event_id and event_id not in self.in_flight:
            event_id = 0  # the event already has its answer: log it as a connection-level line
        payload = {'level': level, 'message': message}
        if fields:
            payload['with'] = nuclio_sdk.json_encoder.to_jsonable(fields)
        try:
            self.send_json(proto.LOG, event_id, payload)
        except (OSError, ValueError) as err:
            sys.stderr.write('[{0}] {1} (log frame not sent: {2})\n'.format(level, message, err))

    def ack(self, event_id):
        event_id = event_id or current_event.get()
        if not event_id or event_id not in self.in_flight:
            raise RuntimeError('explicit_ack: event {0} is not in flight any more'.format(event_id))
        self.send_json(proto.ACK, event_id, {})
