"""``context.platform.call_function``: a CALL frame to the processor, which makes the HTTP
request to the callee, and the CALL_RESULT frame back (docs/protocol.md, "Function calls").

The processor's answer arrives on the one socket the wrapper reads. While a reader thread
runs (async handlers) it hands CALL_RESULT frames to :meth:`Calls.deliver`; otherwise (plain
handlers, init_context) the waiting handler reads the socket itself and keeps any other frame
for the serving loop, so a blocking call never deadlocks the wrapper.
"""

import itertools
import json
import threading

import nucleon_protocol as proto
import nuclio_sdk
from nucleon_connection import current_event

CAPABILITY = 'call'


class CallFunctionError(Exception):
    """``call_function`` got no answer from the callee; ``code`` is the processor's error code
    (``NUCLEON_ERR_CALLEE_NOT_FOUND`` when no function of that name is deployed)."""

    def __init__(self, message, code='NUCLEON_ERR_CALL_FAILED'):
        Exception.__init__(self, message)
        self.code = code


class _Slot(object):
    __slots__ = ('done', 'frame')

    def __init__(self):
        self.done = threading.Event()
        self.frame = None


class Calls(object):
    def __init__(self, conn, offered):
        self.conn = conn
        self.offered = offered
        # Set once a reader thread owns the socket; until then waiting handlers read it themselves.
        self.reader_running = False
        self._ids = itertools.count(1)
        self._slots = {}
        self._read_lock = threading.Lock()

    def call_function(self, function_name, event, timeout=None):
        """Nuclio's ``call_function``: returns the callee's nuclio_sdk.Response whatever its
        status; raises CallFunctionError when it cannot be reached."""
        if not self.offered:
            raise CallFunctionError('call_function: this processor does not offer function calls (no "call" capability)')
        meta, body = _request(function_name, event, timeout)
        call_id = next(self._ids) & 0xFFFFFFFF or next(self._ids)
        slot = self._slots[call_id] = _Slot()
        try:
            self.conn.send(proto.encode_frame(proto.CALL, call_id, proto.encode_meta_body(meta, body)))
            self._wait(slot)
        finally:
            self._slots.pop(call_id, None)
        return _response(function_name, slot.frame)

    def deliver(self, frame):
        """A CALL_RESULT read by the reader thread; one for a call no longer waiting is dropped."""
        slot = self._slots.get(frame.id)
        if slot is not None:
            slot.frame = frame
            slot.done.set()

    def _wait(self, slot):
        while not slot.done.is_set():
            if self.reader_running:
                slot.done.wait()
                return
            with self._read_lock:
                if slot.done.is_set():
                    return
                frame = self.conn.read_socket()
                if frame is None:
                    raise CallFunctionError('call_function: the processor closed the connection')
                if frame.type == proto.CALL_RESULT:
                    self.deliver(frame)
                else:
                    self.conn.deferred.append(frame)


def _request(function_name, event, timeout):
    """CALL meta and body for a nuclio_sdk.Event, encoded as Nuclio's SDK does: a dict (or list)
    body is JSON, text is UTF-8, bytes stay bytes; content type from the event, else text/plain."""
    event = event if event is not None else nuclio_sdk.Event()
    body = event.body
    content_type = event.content_type
    if isinstance(body, (dict, list)):
        body, content_type = json.dumps(body).encode('utf-8'), 'application/json'
    elif isinstance(body, str):
        body = body.encode('utf-8')
    elif body is None:
        body = b''
    elif not isinstance(body, (bytes, bytearray, memoryview)):
        body = str(body).encode('utf-8')
    headers = {}
    for name, value in (event.headers or {}).items():
        headers[str(name)] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    meta = {
        'function': function_name,
        'method': event.method or 'POST',
        'path': event.path or '/',
        'headers': headers,
        'contentType': content_type or 'text/plain',
        'eventId': current_event.get(),
    }
    if timeout is not None:
        meta['timeoutMs'] = int(float(timeout) * 1000)
    return meta, bytes(body)


def _response(function_name, frame):
    meta, body = frame.meta_body()
    error = meta.get('error')
    if isinstance(error, dict):
        raise CallFunctionError(error.get('message') or 'calling function "{0}" failed'.format(function_name),
                                error.get('code') or 'NUCLEON_ERR_CALL_FAILED')
    headers = {str(k).lower(): v for k, v in (meta.get('headers') or {}).items()}
    content_type = meta.get('contentType') or headers.get('content-type') or 'text/plain'
    # As Nuclio's SDK: a JSON answer is parsed (and left as bytes when it does not parse).
    if content_type.split(';')[0].strip() == 'application/json':
        try:
            body = json.loads(body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            pass
    return nuclio_sdk.Response(headers=headers, body=body, content_type=content_type, status_code=meta.get('statusCode', 200))
