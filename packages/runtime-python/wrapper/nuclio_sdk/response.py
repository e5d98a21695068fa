class Response(object):
    """A handler's explicit response; ``context.Response`` is this class.

    Same signature and defaults as Nuclio's (``content_type`` reads ``text/plain`` when not
    given). When the content type was left out, Nucleon picks it from the body instead:
    text is ``text/plain; charset=utf-8``, bytes ``application/octet-stream``, a dict or list
    ``application/json``.
    """

    def __init__(self, headers=None, body=None, content_type=None, status_code=200, event_id=None):
        self.headers = headers or {}
        self.body = body
        self.status_code = status_code
        self.content_type = content_type or 'text/plain'
        self.event_id = event_id
        self._content_type_given = content_type is not None

    def __repr__(self):
        fields = ', '.join('{0}={1!r}'.format(k, v) for k, v in self.__dict__.items() if not k.startswith('_'))
        return '{0}({1})'.format(self.__class__.__name__, fields)

    def ensure_no_ack(self):
        """Stream triggers: do not mark this event's offset as handled."""
        self.headers['x-nuclio-stream-no-ack'] = True
