"""Explicit ack (explicitAckMode enable / explicitOnly): context.platform.explicit_ack sends
an ACK frame for the handler's event, before its RESPONSE."""

import unittest

from tests.support import FakeProcessor
import nucleon_protocol as proto

SYNC = '''
import nuclio_sdk

def handler(context, event):
    body = event.body.decode() if isinstance(event.body, bytes) else event.body
    if body == 'ack':
        # Nuclio awaits this coroutine; under Nucleon a plain def handler may just call it.
        context.platform.explicit_ack(nuclio_sdk.QualifiedOffset.from_event(event))
    elif body == 'by-hand':
        # A QualifiedOffset built by hand carries no event: the running event is acked.
        context.platform.explicit_ack(nuclio_sdk.QualifiedOffset(event.topic, event.shard_id, event.offset))
    return body
'''

ASYNC = '''
import asyncio
import nuclio_sdk

async def handler(context, event):
    await asyncio.sleep(float(event.fields.get('delay', '0')))
    await context.platform.explicit_ack(nuclio_sdk.QualifiedOffset.from_event(event))
    return 'acked'
'''

STREAM = {'topic': 'orders', 'shardId': 0, 'offset': '7', 'explicitAck': True, 'trigger': {'kind': 'rabbit-mq', 'name': 'orders'}}


def acks_and_answer(frames):
    return [(f.type, f.id) for f in frames if f.type != proto.LOG]


class ExplicitAck(unittest.TestCase):
    def spawn(self, source):
        processor = FakeProcessor({'main.py': source})
        self.addCleanup(processor.close)
        processor.start()
        return processor

    def test_a_sync_handler_acks_only_the_events_it_chooses(self):
        p = self.spawn(SYNC)
        p.event(1, b'ack', **STREAM)
        self.assertEqual(acks_and_answer(p.recv_until(proto.RESPONSE, 1)), [(proto.ACK, 1), (proto.RESPONSE, 1)])
        p.event(2, b'skip', **STREAM)
        self.assertEqual(acks_and_answer(p.recv_until(proto.RESPONSE, 2)), [(proto.RESPONSE, 2)])

    def test_the_ack_payload_is_an_empty_object(self):
        p = self.spawn(SYNC)
        p.event(3, b'ack', **STREAM)
        ack = [f for f in p.recv_until(proto.RESPONSE, 3) if f.type == proto.ACK][0]
        self.assertEqual(ack.json(), {})

    def test_an_offset_built_by_hand_acks_the_running_event(self):
        p = self.spawn(SYNC)
        p.event(5, b'by-hand', **STREAM)
        self.assertEqual(acks_and_answer(p.recv_until(proto.RESPONSE, 5)), [(proto.ACK, 5), (proto.RESPONSE, 5)])

    def test_concurrent_async_handlers_each_ack_their_own_event(self):
        p = self.spawn(ASYNC)
        p.event(1, b'', fields={'delay': '0.3'}, **STREAM)
        p.event(2, b'', fields={'delay': '0'}, **STREAM)
        frames = p.recv_until(proto.RESPONSE, 1)
        self.assertEqual(acks_and_answer(frames), [(proto.ACK, 2), (proto.RESPONSE, 2), (proto.ACK, 1), (proto.RESPONSE, 1)])


if __name__ == '__main__':
    unittest.main()
