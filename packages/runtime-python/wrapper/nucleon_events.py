"""EVENT meta -> nuclio_sdk.Event, and a handler's return value -> RESPONSE meta and body."""

import base64
import datetime

import nuclio_sdk
import nuclio_sdk.event
import nuclio_sdk.json_encoder

TEXT = 'text/plain; charset=utf-8'
BINARY = 'application/octet-stream'
JSON = 'application/json'


def build_event(meta, body, frame_id):
    """A Nuclio-shaped Event from an EVENT frame's meta and raw body."""
    content_type = meta.get('contentType') or ''
    trigger = meta.get('trigger') or {}
    key = meta.get('key')
    event = nuclio_sdk.Event(
        body=nuclio_sdk.event.decode_body(body, content_type),
        content_type=content_type,
        trigger=nuclio_sdk.TriggerInfo(trigger.get('kind', ''), trigger.get('name', '')),
        fields=meta.get('fields') or {},
        headers=meta.get('headers') or {},
        _id=meta.get('id'),
        method=meta.get('method'),
        path=meta.get('path'),
        size=len(body),
        timestamp=_timestamp(meta.get('timestamp')),
        url=meta.get('url'),
        shard_id=meta.get('shardId'),
        offset=_offset(meta.get('offset')),
        topic=meta.get('topic'),
        key=base64.b64decode(key) if isinstance(key, str) else None,
        # Nuclio's processor sends these as strings, empty when the source has none.
        _type=meta.get('type') or '',
        type_version=meta.get('typeVersion') or '',
        version=meta.get('version') or '',
    )
    event._nucleon_frame_id = frame_id
    return event


def encode_result(output):
    """(RESPONSE meta, body bytes) for what a handler returned, following Nuclio's rules:
    str is text, bytes are bytes, dict/list are JSON, (status, body) sets the status, a
    Response sets everything, None is an empty body, anything else is ``str(value)``."""
    if isinstance(output, nuclio_sdk.Response):
        given = output._content_type_given if hasattr(output, '_content_type_given') else True
        explicit = output.content_type if given or output.content_type != 'text/plain' else None
        return _with_body({'statusCode': _status(output.status_code), 'headers': _headers(output.headers)},
                          output.body, explicit)
    if isinstance(output, nuclio_sdk.ExceptionWithResponse):
        return _with_body({'statusCode': _status(output.status_code)}, output.body, output.content_type)
    if isinstance(output, tuple) and len(output) == 2:
        return _with_body({'statusCode': _status(output[0])}, output[1], None)
    return _with_body({}, output, None)


def _with_body(meta, body, content_type):
    if body is None:
        data, default = b'', None
    elif isinstance(body, str):
        data, default = body.encode('utf-8'), TEXT
    elif isinstance(body, (bytes, bytearray, memoryview)):
        data, default = bytes(body), BINARY
    elif isinstance(body, (dict, list)):
        data, default = nuclio_sdk.json_encoder.dumps(body).encode('utf-8'), JSON
    else:
        data, default = str(body).encode('utf-8'), TEXT
    chosen = content_type or default
    if chosen:
        meta['contentType'] = chosen
    if not meta.get('headers'):
        meta.pop('headers', None)
    return meta, data


def _status(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TypeError('status code {0!r} is not a number'.format(value))


def _headers(headers):
    if not headers:
        return {}
    if not isinstance(headers, dict):
        raise TypeError('response headers must be a dict, got {0}'.format(type(headers).__name__))
    out = {}
    for name, value in headers.items():
        if value is None:
            continue
        out[str(name)] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    return out


def _timestamp(seconds):
    if not isinstance(seconds, (int, float)):
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    # Nuclio hands handlers a naive UTC datetime (utcfromtimestamp).
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)


def _offset(value):
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value
