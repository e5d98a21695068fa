"""A fake processor for the wrapper's tests: listens on a Unix socket, starts
nucleon_wrapper.py as the real processor would, and speaks the protocol frame by frame."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
WRAPPER_DIR = os.path.dirname(HERE)
sys.path.insert(0, WRAPPER_DIR)

import nucleon_protocol as proto  # noqa: E402

WRAPPER = os.path.join(WRAPPER_DIR, 'nucleon_wrapper.py')
TIMEOUT_S = 10


class FakeProcessor(object):
    def __init__(self, files, handler='main:handler', worker_id=0, env=None):
        self.dir = tempfile.mkdtemp(prefix='nucleon-py-')
        self.function_dir = os.path.join(self.dir, 'fn')
        os.mkdir(self.function_dir)
        for name, content in files.items():
            path = os.path.join(self.function_dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(textwrap.dedent(content))
        self.socket_path = os.path.join(self.dir, 'w.sock')
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.socket_path)
        self.server.listen(1)
        self.server.settimeout(TIMEOUT_S)
        child_env = dict(os.environ)
        child_env.update({
            'NUCLEON_WRAPPER_SOCKET': self.socket_path, 'NUCLEON_HANDLER': handler, 'NUCLEON_FUNCTION_DIR': self.function_dir,
            'NUCLEON_FUNCTION_NAME': 'fn', 'NUCLEON_WORKER_ID': str(worker_id), 'NUCLEON_TRIGGER_NAME': 'web',
            'NUCLEON_TRIGGER_KIND': 'http',
        })
        child_env.update(env or {})
        self.process = subprocess.Popen([sys.executable, '-u', WRAPPER], env=child_env, cwd=self.dir,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.sock = None
        self.decoder = proto.FrameDecoder()
        self.frames = []
        self.worker_id = worker_id

    def accept(self):
        self.sock, _ = self.server.accept()
        self.sock.settimeout(TIMEOUT_S)

    def recv(self):
        while not self.frames:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.frames.extend(self.decoder.feed(data))
        return self.frames.pop(0)

    def recv_until(self, frame_type, frame_id=None):
        """Frames up to and including the first of this type (and id); fails at end of stream."""
        seen = []
        while True:
            frame = self.recv()
            if frame is None:
                raise AssertionError('stream ended before {0}; got {1}; stderr: {2}'.format(
                    proto.TYPE_NAMES[frame_type], seen, self.stderr()))
            seen.append(frame)
            if frame.type == frame_type and (frame_id is None or frame.id == frame_id):
                return seen

    def send(self, frame_type, frame_id=0, payload=b''):
        self.sock.sendall(proto.encode_frame(frame_type, frame_id, payload))

    def start(self, version=1, capabilities=None):
        """Accept, read HELLO, send WELCOME; returns (HELLO json, frames up to READY or FATAL)."""
        self.accept()
        hello = self.recv()
        assert hello.type == proto.HELLO, hello
        welcome = {
            'version': version, 'functionName': 'fn', 'handler': 'main:handler', 'workerId': self.worker_id,
            'eventTimeoutMs': 60000,
        }
        if capabilities is not None:
            welcome['capabilities'] = capabilities
        self.send(proto.WELCOME, 0, proto.encode_json(welcome))
        frames = []
        while True:
            frame = self.recv()
            if frame is None:
                raise AssertionError('wrapper closed before READY; stderr: {0}'.format(self.stderr()))
            frames.append(frame)
            if frame.type in (proto.READY, proto.FATAL):
                return hello.json(), frames

    def event(self, frame_id, body=b'', **meta):
        full = {
            'id': 'ev-{0}'.format(frame_id), 'method': 'POST', 'path': '/', 'url': '/', 'contentType': '',
            'headers': {}, 'fields': {}, 'timestamp': 1795830000.25, 'trigger': {'kind': 'http', 'name': 'web'},
        }
        full.update(meta)
        self.send(proto.EVENT, frame_id, proto.encode_meta_body(full, body))

    def call(self, frame_id, body=b'', **meta):
        """Sends an EVENT and returns (answer frame, LOG frames before it)."""
        self.event(frame_id, body, **meta)
        frames = []
        while True:
            frame = self.recv()
            if frame is None:
                raise AssertionError('wrapper closed; stderr: {0}'.format(self.stderr()))
            if frame.type in (proto.RESPONSE, proto.ERROR) and frame.id == frame_id:
                return frame, frames
            frames.append(frame)

    def wait(self):
        return self.process.wait(TIMEOUT_S)

    def stderr(self):
        if self.process.poll() is None:
            return '(still running)'
        return self.process.stderr.read().decode('utf-8', 'replace')

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT_S)
        self.process.stdout.close()
        self.process.stderr.close()
        for s in (self.sock, self.server):
            if s is not None:
                s.close()
        shutil.rmtree(self.dir, ignore_errors=True)
