"""Frames of the Nucleon wrapper protocol, version 1 (docs/protocol.md).

Every frame is ``length:uint32 | type:uint8 | id:uint32 | payload``, big-endian, where
``length`` counts type + id + payload. Payloads are JSON, meta+body
(``metaLength:uint32 | meta JSON | raw body``) or empty. Stdlib only, Python >= 3.9.
"""

import json
import struct

PROTOCOL_VERSIONS = (1,)

HELLO = 1
WELCOME = 2
READY = 3
FATAL = 4
EVENT = 16
RESPONSE = 17
ERROR = 18
EVENT_BATCH = 24
RESPONSE_BATCH = 25
LOG = 32
METRIC = 33
ACK = 34
DRAIN = 48
DRAINED = 49
TERMINATE = 50
CALL = 64
CALL_RESULT = 65

TYPE_NAMES = {
    HELLO: 'HELLO', WELCOME: 'WELCOME', READY: 'READY', FATAL: 'FATAL', EVENT: 'EVENT',
    RESPONSE: 'RESPONSE', ERROR: 'ERROR', LOG: 'LOG', METRIC: 'METRIC', ACK: 'ACK',
    DRAIN: 'DRAIN', DRAINED: 'DRAINED', TERMINATE: 'TERMINATE', CALL: 'CALL', CALL_RESULT: 'CALL_RESULT',
    EVENT_BATCH: 'EVENT_BATCH', RESPONSE_BATCH: 'RESPONSE_BATCH',
}

# What the processor may send a wrapper; anything else on the socket means it is broken.
FROM_PROCESSOR = frozenset((WELCOME, EVENT, EVENT_BATCH, DRAIN, TERMINATE, CALL_RESULT))

HEADER_SIZE = 9  # length + type + id
MIN_LENGTH = 5
MAX_PAYLOAD = 64 * 1024 * 1024
MAX_LENGTH = MAX_PAYLOAD + 5  # 67,108,869

_HEADER = struct.Struct('>IBI')
_UINT32 = struct.Struct('>I')


class ProtocolError(Exception):
    """The peer sent something the protocol does not allow: the connection is broken."""


class FrameTooLarge(ValueError):
    """A frame we were asked to send would exceed the protocol's 64 MiB payload limit."""


class Frame(object):
    __slots__ = ('type', 'id', 'payload')

    def __init__(self, frame_type, frame_id, payload=b''):
        self.type = frame_type
        self.id = frame_id
        self.payload = payload

    def json(self):
        return decode_json(self.payload, self.type)

    def meta_body(self):
        return decode_meta_body(self.payload, self.type)

    def __eq__(self, other):
        return isinstance(other, Frame) and (self.type, self.id, bytes(self.payload)) == (other.type, other.id, bytes(other.payload))

    def __repr__(self):
        return 'Frame({0}, id={1}, {2} bytes)'.format(TYPE_NAMES.get(self.type, self.type), self.id, len(self.payload))


def encode_frame(frame_type, frame_id, payload=b''):
    """One frame as a single bytes object, so it can go out in one sendall."""
    if not 0 <= frame_type <= 255:
        raise ValueError('frame type {0} is not a uint8'.format(frame_type))
    if not 0 <= frame_id <= 0xFFFFFFFF:
        raise ValueError('frame id {0} is not a uint32'.format(frame_id))
    if len(payload) > MAX_PAYLOAD:
        raise FrameTooLarge('a {0} payload of {1} bytes exceeds the protocol limit of {2} bytes'.format(
            TYPE_NAMES.get(frame_type, frame_type), len(payload), MAX_PAYLOAD))
    return b''.join((_HEADER.pack(len(payload) + 5, frame_type, frame_id), payload))


def encode_json(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(',', ':'), allow_nan=False).encode('utf-8')


def encode_json_frame(frame_type, frame_id, obj):
    return encode_frame(frame_type, frame_id, encode_json(obj))


def encode_meta_body(meta, body=b''):
    meta_bytes = encode_json(meta)
    return b''.join((_UINT32.pack(len(meta_bytes)), meta_bytes, body))


def encode_meta_body_frame(frame_type, frame_id, meta, body=b''):
    return encode_frame(frame_type, frame_id, encode_meta_body(meta, body))


def decode_json(payload, frame_type=None):
    try:
        value = json.loads(bytes(payload).decode('utf-8')) if len(payload) else {}
    except (UnicodeDecodeError, ValueError) as err:
        raise ProtocolError('{0} payload is not UTF-8 JSON: {1}'.format(_name(frame_type), err))
    if not isinstance(value, dict):
        raise ProtocolError('{0} payload is JSON but not an object'.format(_name(frame_type)))
    return value


def decode_meta_body(payload, frame_type=None):
    """Splits a meta+body payload into (meta dict, body bytes)."""
    if len(payload) < 4:
        raise ProtocolError('{0} payload of {1} bytes is too short for meta+body'.format(_name(frame_type), len(payload)))
    (meta_length,) = _UINT32.unpack_from(payload, 0)
    if meta_length > len(payload) - 4:
        raise ProtocolError('{0} metaLength {1} runs past the payload ({2} bytes)'.format(
            _name(frame_type), meta_length, len(payload) - 4))
    view = memoryview(payload)
    meta = decode_json(view[4:4 + meta_length], frame_type)
    return meta, bytes(view[4 + meta_length:])


def parse_header(header):
    """(length, type, id) from 9 header bytes, refusing a length outside the protocol's range."""
    length, frame_type, frame_id = _HEADER.unpack(bytes(header))
    if length < MIN_LENGTH or length > MAX_LENGTH:
        raise ProtocolError('frame length {0} is outside {1}..{2}'.format(length, MIN_LENGTH, MAX_LENGTH))
    return length, frame_type, frame_id


class FrameDecoder(object):
    """Incremental decoder: feed bytes as they arrive, take whole frames out."""

    def __init__(self):
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        frames = []
        while len(self._buffer) >= HEADER_SIZE:
            length, frame_type, frame_id = parse_header(self._buffer[:HEADER_SIZE])
            if len(self._buffer) < 4 + length:
                break
            frames.append(Frame(frame_type, frame_id, bytes(self._buffer[HEADER_SIZE:4 + length])))
            del self._buffer[:4 + length]
        return frames

    @property
    def pending(self):
        """Bytes of an incomplete frame still buffered."""
        return len(self._buffer)


def _recv_exactly(sock, size):
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        count = sock.recv_into(view[received:], size - received)
        if count == 0:
            return bytes(buffer[:received])
        received += count
    return buffer


def read_frame(sock):
    """Reads one frame from a blocking socket. None at a clean end of stream between frames;
    ProtocolError for a truncated frame or a length out of range."""
    header = _recv_exactly(sock, HEADER_SIZE)
    if len(header) == 0:
        return None
    if len(header) < HEADER_SIZE:
        raise ProtocolError('connection closed inside a frame header ({0} of {1} bytes)'.format(len(header), HEADER_SIZE))
    length, frame_type, frame_id = parse_header(header)
    payload = _recv_exactly(sock, length - 5) if length > 5 else b''
    if len(payload) < length - 5:
        raise ProtocolError('connection closed inside a {0} frame ({1} of {2} payload bytes)'.format(
            _name(frame_type), len(payload), length - 5))
    return Frame(frame_type, frame_id, payload)


def _name(frame_type):
    return TYPE_NAMES.get(frame_type, 'frame' if frame_type is None else 'type {0}'.format(frame_type))
