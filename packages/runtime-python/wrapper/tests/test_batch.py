"""Batches (EVENT_BATCH / RESPONSE_BATCH) and SIGTERM, against a fake processor."""

import os
import signal
import time
import unittest

from tests.support import FakeProcessor
import nucleon_protocol as proto

BATCH = '''
import nuclio_sdk

{kind} handler(context, batch):
    if batch[0].path == '/raise':
        raise ValueError('batch failed')
    if batch[0].path == '/not-a-list':
        return 'hello'
    if batch[0].path == '/conflict':
        raise nuclio_sdk.ExceptionWithResponse(409, body='taken')
    context.logger.info_with('batch', size=len(batch))
    return [nuclio_sdk.Response(body={{'got': e.body.decode('utf-8'), 'size': len(batch)}}, headers={{'x-id': e.id}},
                                content_type='application/json', status_code=200, event_id=e.id)
            for e in batch if e.path != '/skip']
'''


def batch_payload(events):
    metas, bodies = [], []
    for event_id, path, body in events:
        metas.append({'id': event_id, 'method': 'POST', 'path': path, 'url': path, 'contentType': 'text/plain',
                      'headers': {}, 'fields': {}, 'timestamp': 1795830000.25, 'trigger': {'kind': 'http', 'name': 'web'},
                      'bodyLength': len(body)})
        bodies.append(body)
    return proto.encode_meta_body({'events': metas}, b''.join(bodies))


class Batches(unittest.TestCase):
    def spawn(self, kind='def'):
        p = FakeProcessor({'main.py': BATCH.format(kind=kind)})
        self.addCleanup(p.close)
        hello, _ = p.start()
        self.assertTrue(hello['batching'])
        return p

    def answer(self, p, frame_id, events):
        p.send(proto.EVENT_BATCH, frame_id, batch_payload(events))
        return p.recv_until(proto.RESPONSE_BATCH if events[0][1] not in ('/raise', '/not-a-list', '/conflict') else proto.ERROR, frame_id)

    def check_list(self, kind):
        p = self.spawn(kind)
        frames = self.answer(p, 7, [('a', '/', b'one'), ('b', '/skip', b''), ('c', '/', b'\x00three')])
        self.assertEqual(frames[0].type, proto.LOG)
        self.assertEqual(frames[0].id, 7)
        self.assertEqual(frames[0].json()['with'], {'size': 3})
        meta, body = frames[-1].meta_body()
        self.assertEqual([r['eventId'] for r in meta['responses']], ['a', 'c'])
        self.assertEqual(meta['responses'][0]['headers'], {'x-id': 'a'})
        first = meta['responses'][0]['bodyLength']
        self.assertEqual(first + meta['responses'][1]['bodyLength'], len(body))
        self.assertIn(b'"got": "one"', body[:first])
        self.assertIn(b'"size": 3', body[first:])

    def test_a_sync_handler_gets_a_list_and_answers_by_event_id(self):
        self.check_list('def')

    def test_an_async_handler_gets_a_list_and_answers_by_event_id(self):
        self.check_list('async def')

    def test_a_raising_batch_handler_answers_error_for_the_batch(self):
        p = self.spawn()
        error = self.answer(p, 3, [('a', '/raise', b''), ('b', '/', b'')])[-1]
        self.assertEqual(error.json()['type'], 'ValueError')

    def test_exception_with_response_fails_the_whole_batch(self):
        p = self.spawn()
        error = self.answer(p, 6, [('a', '/conflict', b''), ('b', '/', b'')])[-1]
        self.assertEqual(error.json()['type'], 'ExceptionWithResponse')

    def test_a_result_that_is_not_a_list_is_the_handlers_error(self):
        p = self.spawn()
        error = self.answer(p, 4, [('a', '/not-a-list', b'')])[-1]
        self.assertEqual(error.json()['type'], 'TypeError')
        self.assertIn('list of nuclio_sdk.Response', error.json()['message'])

    def test_a_batch_whose_bodies_do_not_fit_breaks_the_connection(self):
        p = self.spawn()
        payload = proto.encode_meta_body({'events': [{'id': 'a', 'bodyLength': 10}]}, b'short')
        p.send(proto.EVENT_BATCH, 5, payload)
        self.assertIsNone(p.recv())
        self.assertEqual(p.wait(), 3)


TERMINATION = '''
def init_context(context):
    context.platform.set_termination_callback(lambda: open('terminated.txt', 'w').write('sigterm'))

{kind} handler(context, event):
    return 'ok'
'''


class Sigterm(unittest.TestCase):
    def check(self, kind):
        p = FakeProcessor({'main.py': TERMINATION.format(kind=kind)})
        self.addCleanup(p.close)
        p.start()
        time.sleep(0.1)  # past READY, into serving (where the handler is installed)
        os.kill(p.process.pid, signal.SIGTERM)
        self.assertEqual(p.wait(), 0)
        with open(os.path.join(p.function_dir, 'terminated.txt')) as f:
            self.assertEqual(f.read(), 'sigterm')

    def test_sigterm_runs_the_termination_callback_then_exits_0_for_a_sync_handler(self):
        self.check('def')

    def test_sigterm_runs_the_termination_callback_then_exits_0_for_an_async_handler(self):
        self.check('async def')


if __name__ == '__main__':
    unittest.main()
