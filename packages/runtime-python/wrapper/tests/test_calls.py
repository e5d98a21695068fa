"""context.platform.call_function: a CALL frame out, the processor's CALL_RESULT back as a
nuclio_sdk.Response (or an exception the handler can catch); and Nuclio's event fields."""

import json
import unittest

from tests.support import FakeProcessor
import nucleon_protocol as proto

CALLER = '''
import nuclio_sdk

def handler(context, event):
    try:
        response = context.platform.call_function('callee', nuclio_sdk.Event(
            body={'n': 1}, path='/sum', method='PUT', headers={'x-trace': 'abc'}), timeout=2.5)
    except Exception as err:
        return context.Response(status_code=502, body='{0}: {1}'.format(type(err).__name__, err))
    return context.Response(status_code=200, content_type='application/json', body={
        'status': response.status_code, 'headers': response.headers, 'body': response.body})
'''

ASYNC_CALLER = '''
import nuclio_sdk

async def handler(context, event):
    response = context.platform.call_function('callee', nuclio_sdk.Event(body=b'raw'))
    return context.Response(status_code=response.status_code, body=response.body, content_type=response.content_type)
'''

INIT_CALLER = '''
import nuclio_sdk

def init_context(context):
    context.user_data.config = context.platform.call_function('config', nuclio_sdk.Event(method='GET', path='/settings')).body

def handler(context, event):
    return context.user_data.config
'''

FIELDS = '''
def handler(context, event):
    return {'kind': event.trigger.kind, 'name': event.trigger.name, 'id': event.id, 'url': event.url,
            'timestamp': event.timestamp.isoformat(), 'type': event.type, 'type_version': event.type_version,
            'version': event.version}
'''


def answer(p, call, meta, body=b''):
    p.send(proto.CALL_RESULT, call.id, proto.encode_meta_body(meta, body))


class CallFunction(unittest.TestCase):
    def spawn(self, source, capabilities=('call',)):
        processor = FakeProcessor({'main.py': source})
        self.addCleanup(processor.close)
        processor.start(capabilities=list(capabilities) if capabilities is not None else None)
        return processor

    def test_a_sync_handler_sends_call_and_returns_the_callee_answer(self):
        p = self.spawn(CALLER)
        p.event(1)
        call = p.recv_until(proto.CALL)[-1]
        meta, body = call.meta_body()
        self.assertNotEqual(call.id, 0)
        self.assertEqual((meta['function'], meta['method'], meta['path'], meta['contentType'], meta['timeoutMs']),
                         ('callee', 'PUT', '/sum', 'application/json', 2500))
        self.assertEqual(meta['headers'], {'x-trace': 'abc'})
        self.assertEqual(json.loads(body), {'n': 1})
        answer(p, call, {'statusCode': 201, 'contentType': 'application/json', 'headers': {'X-Sum': '3'}}, b'{"sum": 3}')
        response = p.recv_until(proto.RESPONSE, 1)[-1]
        meta, body = response.meta_body()
        self.assertEqual(meta['statusCode'], 200)
        self.assertEqual(json.loads(body), {'status': 201, 'headers': {'x-sum': '3'}, 'body': {'sum': 3}})

    def test_a_missing_callee_raises_in_the_handler_with_the_processor_message(self):
        p = self.spawn(CALLER)
        p.event(2)
        call = p.recv_until(proto.CALL)[-1]
        answer(p, call, {'error': {'code': 'NUCLEON_ERR_CALLEE_NOT_FOUND', 'message': 'function "callee" not found on the local platform'}})
        meta, body = p.recv_until(proto.RESPONSE, 2)[-1].meta_body()
        self.assertEqual(meta['statusCode'], 502)
        self.assertEqual(body.decode(), 'CallFunctionError: function "callee" not found on the local platform')

    def test_frames_that_arrive_during_a_call_are_served_after_it(self):
        p = self.spawn(CALLER)
        p.event(3)
        call = p.recv_until(proto.CALL)[-1]
        p.send(proto.DRAIN)
        answer(p, call, {'statusCode': 200, 'contentType': 'text/plain'}, b'ok')
        frames = p.recv_until(proto.DRAINED)
        self.assertEqual([f.type for f in frames if f.type != proto.LOG], [proto.RESPONSE, proto.DRAINED])

    def test_without_the_call_capability_nothing_is_sent_and_the_handler_gets_an_error(self):
        p = self.spawn(CALLER, capabilities=None)
        p.event(4)
        frames = p.recv_until(proto.RESPONSE, 4)
        self.assertNotIn(proto.CALL, [f.type for f in frames])
        self.assertIn(b'does not offer function calls', frames[-1].meta_body()[1])

    def test_an_async_handler_waits_for_its_result_through_the_reader_thread(self):
        p = self.spawn(ASYNC_CALLER)
        p.event(5)
        call = p.recv_until(proto.CALL)[-1]
        meta, body = call.meta_body()
        self.assertEqual((meta['method'], meta['path'], body), ('POST', '/', b'raw'))
        answer(p, call, {'statusCode': 418, 'contentType': 'text/x-tea'}, b'teapot')
        meta, body = p.recv_until(proto.RESPONSE, 5)[-1].meta_body()
        self.assertEqual((meta['statusCode'], meta['contentType'], body), (418, 'text/x-tea', b'teapot'))


    def test_init_context_may_call_before_ready(self):
        p = FakeProcessor({'main.py': INIT_CALLER})
        self.addCleanup(p.close)
        p.accept()
        self.assertEqual(p.recv().type, proto.HELLO)
        p.send(proto.WELCOME, 0, proto.encode_json({'version': 1, 'functionName': 'fn', 'workerId': 0, 'capabilities': ['call']}))
        call = p.recv_until(proto.CALL)[-1]
        meta, _ = call.meta_body()
        self.assertEqual((meta['function'], meta['method'], meta['path'], meta['eventId']), ('config', 'GET', '/settings', 0))
        answer(p, call, {'statusCode': 200, 'contentType': 'application/json'}, b'{"mode": "fast"}')
        p.recv_until(proto.READY)
        p.event(1)
        self.assertEqual(json.loads(p.recv_until(proto.RESPONSE, 1)[-1].meta_body()[1]), {'mode': 'fast'})


class EventFields(unittest.TestCase):
    def test_nuclio_event_fields(self):
        p = FakeProcessor({'main.py': FIELDS})
        self.addCleanup(p.close)
        p.start()
        p.event(1, url='/x?y=1', type='com.example.order', typeVersion='2', version='1.0')
        fields = json.loads(p.recv_until(proto.RESPONSE, 1)[-1].meta_body()[1])
        self.assertEqual(fields, {'kind': 'http', 'name': 'web', 'id': 'ev-1', 'url': '/x?y=1', 'timestamp': '2026-11-28T01:40:00.250000',
                                  'type': 'com.example.order', 'type_version': '2', 'version': '1.0'})
        p.event(2)
        fields = json.loads(p.recv_until(proto.RESPONSE, 2)[-1].meta_body()[1])
        self.assertEqual((fields['type'], fields['type_version'], fields['version']), ('', '', ''))


if __name__ == '__main__':
    unittest.main()
