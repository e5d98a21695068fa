"""Nuclio's event batching in the wrapper: an EVENT_BATCH frame becomes a list of
nuclio_sdk.Event for the handler, and the list of nuclio_sdk.Response it returns (each with
``event_id``) becomes one RESPONSE_BATCH frame (docs/protocol.md, "Batches")."""

import nucleon_events
import nucleon_protocol as proto
import nuclio_sdk


def decode_batch(frame):
    """The (meta, body) of each event of an EVENT_BATCH frame, in order; ProtocolError for a malformed one."""
    meta, body = frame.meta_body()
    entries = meta.get('events')
    if not isinstance(entries, list) or not entries:
        raise proto.ProtocolError('EVENT_BATCH meta has no non-empty "events" list')
    events = []
    offset = 0
    for entry in entries:
        length = entry.get('bodyLength') if isinstance(entry, dict) else None
        if not isinstance(length, int) or length < 0 or offset + length > len(body):
            raise proto.ProtocolError('EVENT_BATCH entry with bodyLength {0!r} does not fit the {1} body bytes left'.format(
                length, len(body) - offset))
        events.append((entry, body[offset:offset + length]))
        offset += length
    return events


def build_events(decoded, frame_id):
    """The list of nuclio_sdk.Event a batch handler receives."""
    return [nucleon_events.build_event(meta, body, frame_id) for meta, body in decoded]


def encode_batch_result(output):
    """(RESPONSE_BATCH meta, body) for what a batch handler returned: a list of Response, each
    naming its event with ``event_id``. A response without one answers nothing (as in Nuclio),
    so its request gets the processor's "no response" error; a result that is not a list is
    the handler's error (TypeError), which fails the whole batch."""
    if isinstance(output, nuclio_sdk.Response):
        output = [output]
    if not isinstance(output, (list, tuple)):
        raise TypeError('a batch handler must return a list of nuclio_sdk.Response with event_id set, got {0}'.format(
            type(output).__name__))
    responses = []
    bodies = []
    for item in output:
        event_id = getattr(item, 'event_id', None)
        if not isinstance(item, nuclio_sdk.Response) or event_id is None:
            continue
        meta, data = nucleon_events.encode_result(item)
        meta['eventId'] = str(event_id)
        meta['bodyLength'] = len(data)
        responses.append(meta)
        bodies.append(data)
    return {'responses': responses}, b''.join(bodies)


def encode_batch_frame(frame_id, output):
    return proto.encode_frame(proto.RESPONSE_BATCH, frame_id, proto.encode_meta_body(*encode_batch_result(output)))
