"""Python ceiling for bench/runtimes: the least a Python wrapper can do per event.

Speaks docs/protocol.md v1 (HELLO, WELCOME, READY; EVENT -> a fixed RESPONSE "hello";
DRAIN -> DRAINED; TERMINATE or EOF -> exit), stdlib only. It decodes nothing but frame
headers and answers every EVENT in a batch with one sendall: the protocol's own cost in Python.
"""
import json
import os
import socket
import struct
import sys

HEADER = struct.Struct('>IBI')


def frame(ftype, fid, payload=b''):
    return HEADER.pack(len(payload) + 5, ftype, fid) + payload


def main():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(os.environ['NUCLEON_WRAPPER_SOCKET'])
    hello = {'versions': [1], 'runtime': 'python-ceiling', 'runtimeVersion': sys.version.split()[0],
             'pid': os.getpid(), 'maxInFlight': 1}
    sock.sendall(frame(1, 0, json.dumps(hello).encode()))
    meta = b'{"statusCode":200,"contentType":"text/plain; charset=utf-8"}'
    payload = struct.pack('>I', len(meta)) + meta + b'hello'
    head = struct.pack('>IB', len(payload) + 5, 17)  # RESPONSE; the id follows
    buf = b''
    ready = False
    while True:
        data = sock.recv(262144)
        if not data:
            return
        buf += data
        out = []
        pos = 0
        while len(buf) - pos >= 9:
            length, ftype, fid = HEADER.unpack_from(buf, pos)
            if len(buf) - pos < 4 + length:
                break
            pos += 4 + length
            if ftype == 16:
                out.append(head + fid.to_bytes(4, 'big') + payload)
            elif ftype == 2 and not ready:
                ready = True
                out.append(frame(3, 0, b'{}'))
            elif ftype == 48:
                out.append(frame(49, 0))
            elif ftype == 50:
                if out:
                    sock.sendall(b''.join(out))
                return
        buf = buf[pos:]
        if out:
            sock.sendall(b''.join(out))


if __name__ == '__main__':
    main()
