"""JSON the way Nuclio's SDK writes it: unknown objects become their repr, NaN and the
infinities become strings, and the text is otherwise Python's default ``json.dumps``."""

import json
import math


class Encoder(json.JSONEncoder):
    def default(self, obj):
        for attempt in (lambda: obj.__log__(), lambda: repr(obj), lambda: str(obj)):
            try:
                return attempt()
            except Exception:  # noqa: BLE001 - any failure falls through to the next form
                continue
        return 'Unable to serialize object'


def dumps(obj):
    """JSON text for ``obj``; never raises for odd values, only for circular references."""
    try:
        return json.dumps(obj, cls=Encoder, allow_nan=False)
    except ValueError as err:
        if 'Out of range float' not in str(err):
            raise
        return json.dumps(_finite(obj, set()), cls=Encoder, allow_nan=False)


def _finite(obj, seen):
    if isinstance(obj, float) and not math.isfinite(obj):
        return 'NaN' if obj != obj else ('Infinity' if obj > 0 else '-Infinity')
    if isinstance(obj, (dict, list, tuple)):
        if id(obj) in seen:
            raise ValueError('Circular reference detected')
        seen = seen | {id(obj)}
        if isinstance(obj, dict):
            return {key: _finite(value, seen) for key, value in obj.items()}
        return [_finite(value, seen) for value in obj]
    return obj


def to_jsonable(obj):
    """A copy of ``obj`` that the strict protocol encoder accepts (for LOG ``with`` fields)."""
    try:
        return json.loads(dumps(obj))
    except ValueError:
        return repr(obj)
