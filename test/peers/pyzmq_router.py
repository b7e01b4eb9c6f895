"""A pyzmq ROUTER (Locust's own stack) for the DEALER conformance tests.

Same line protocol as libzmq-router.mjs: JSON events on stdout, JSON commands on stdin,
and every received message is echoed back to its sender unchanged.
"""
import hashlib
import json
import os
import sys

import zmq


def out(event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def pattern(size, seed):
    return bytes(((i * 31 + seed) & 0xFF) for i in range(size))


def send(router, frames):
    # The DEALER may be gone already (closed, reconnecting): report it, keep serving.
    try:
        router.send_multipart(frames)
    except zmq.ZMQError as e:
        out({"event": "error", "message": str(e)})


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # unknown identity -> error, not silence
    router.setsockopt(zmq.LINGER, 0)
    router.setsockopt(zmq.TCP_KEEPALIVE, 1)  # as Locust's master does
    router.setsockopt(zmq.TCP_KEEPALIVE_IDLE, 30)
    if port == 0:
        port = router.bind_to_random_port("tcp://127.0.0.1")
    else:
        router.bind("tcp://127.0.0.1:%d" % port)
    out({"event": "listening", "port": port})

    poller = zmq.Poller()
    poller.register(router, zmq.POLLIN)
    poller.register(sys.stdin.fileno(), zmq.POLLIN)
    pending = b""
    while True:
        for item, _ in poller.poll():
            if item is router:
                identity, *parts = router.recv_multipart()
                digests = [{"size": len(p), "sha256": hashlib.sha256(p).hexdigest()} for p in parts]
                out({"event": "message", "identity": identity.decode(), "parts": digests})
                send(router, [identity, *parts])
                continue
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                return  # the test closed our stdin: exit
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                cmd = json.loads(line)
                if cmd["cmd"] == "send":
                    frames = [cmd["identity"].encode()] + [pattern(p["size"], p["seed"]) for p in cmd["parts"]]
                    send(router, frames)


if __name__ == "__main__":
    main()
