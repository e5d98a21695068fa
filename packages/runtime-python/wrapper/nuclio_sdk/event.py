import base64
import datetime
import json


class TriggerInfo(object):
    """The trigger an event came from (``event.trigger.kind``, ``event.trigger.name``)."""

    def __init__(self, kind='', name=''):
        self.kind = kind
        self.name = name

    def __repr__(self):
        return 'TriggerInfo(kind={0!r}, name={1!r})'.format(self.kind, self.name)


class Headers(dict):
    """Event headers: a plain dict of lower-case names whose lookups ignore case, so both
    ``event.headers['x-id']`` and Nuclio-style ``event.headers['X-Id']`` work."""

    def __getitem__(self, key):
        if isinstance(key, str) and not dict.__contains__(self, key):
            key = key.lower()
        return dict.__getitem__(self, key)

    def __contains__(self, key):
        return dict.__contains__(self, key) or (isinstance(key, str) and dict.__contains__(self, key.lower()))

    def get(self, key, default=None):
        return self[key] if key in self else default


class Event(object):
    """One event, as Nuclio's Python SDK shapes it. ``body`` is bytes, or the decoded value
    when ``content_type`` is exactly ``application/json`` (as Nuclio does)."""

    def __init__(self, body=None, content_type=None, trigger=None, fields=None, headers=None, _id=None, method=None,
                 path=None, size=None, timestamp=None, url=None, shard_id=None, num_shards=None, _type=None,
                 type_version=None, version=None, last_in_batch=None, offset=None, topic=None, key=None):
        self.body = body
        self.content_type = content_type
        self.trigger = trigger or TriggerInfo()
        self.fields = fields or {}
        self.headers = headers if isinstance(headers, Headers) else Headers(headers or {})
        self.id = _id
        self.method = method
        self.path = path or '/'
        self.size = size
        self.timestamp = timestamp or 0
        self.url = url
        self.shard_id = shard_id
        self.num_shards = num_shards
        self.type = _type
        self.type_version = type_version
        self.version = version
        self.last_in_batch = last_in_batch or False
        self.offset = offset or 0
        self.topic = topic
        self.key = key

    def get_header(self, header_key):
        for key, value in self.headers.items():
            if key.lower() == header_key.lower():
                return value
        return None

    def to_json(self):
        obj = {name: value for name, value in vars(self).items() if not name.startswith('_')}
        obj['trigger'] = {'kind': self.trigger.kind, 'name': self.trigger.name}
        if isinstance(self.timestamp, datetime.datetime):
            obj['timestamp'] = str(self.timestamp)
        for name in ('body', 'key'):
            if isinstance(obj.get(name), (bytes, bytearray)):
                obj[name] = base64.b64encode(obj[name]).decode('ascii')
        return json.dumps(obj, default=str)

    def __repr__(self):
        return self.to_json()


def decode_body(body, content_type):
    """Nuclio's rule: a body whose content type is exactly ``application/json`` is parsed;
    one that does not parse stays bytes."""
    if content_type == 'application/json':
        try:
            return json.loads(body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            return body
    return body
