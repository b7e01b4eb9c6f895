"""A scriptable Locust-master stand-in for bad-input tests: a pyzmq ROUTER (libzmq) that prints
every worker message as a JSON line and sends what the test writes on stdin.

stdin lines (JSON): {"msg": [type, data]}  -> a well-formed Locust message to the worker
                    {"raw": "<base64>"}     -> one frame of arbitrary bytes
                    {"frames": ["<b64>",..]} -> a multipart message
stdout lines:       {"port": n} first, then {"type", "data", "node_id", "identity", "frames", "int_keys"}
"""
import base64
import json
import os
import sys

import msgpack
import zmq


def int_keyed_maps(value, path="data"):
    """Paths of maps whose keys are all ints: what Locust's stats need on the wire."""
    found = []
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            found.append(path)
        for k, v in value.items():
            found += int_keyed_maps(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += int_keyed_maps(v, f"{path}[{i}]")
    return found


def main():
    ctx = zmq.Context()
    sock = ctx.socket(zmq.ROUTER)
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    print(json.dumps({"port": port}), flush=True)
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    poller.register(sys.stdin.fileno(), zmq.POLLIN)
    identity = None
    pending = b""

    def handle(cmd):
        nonlocal identity
        if identity is None:
            print(json.dumps({"type": "!error", "error": "no worker yet"}), flush=True)
        elif "msg" in cmd:
            type_, data = cmd["msg"]
            sock.send_multipart([identity, msgpack.packb([type_, data, identity.decode()], use_bin_type=True)])
        elif "raw" in cmd:
            sock.send_multipart([identity, base64.b64decode(cmd["raw"])])
        elif "frames" in cmd:
            sock.send_multipart([identity] + [base64.b64decode(f) for f in cmd["frames"]])

    while True:
        for item, _ in poller.poll():
            if item is sock:
                frames = sock.recv_multipart()
                identity = frames[0]
                try:
                    type_, data, node_id = msgpack.unpackb(frames[1], raw=False, strict_map_key=False)
                    out = {"type": type_, "data": data, "node_id": node_id, "int_keys": int_keyed_maps(data)}
                except Exception as e:  # report, never die: the test asserts on it
                    out = {"type": "!undecodable", "error": repr(e)}
                out.update(identity=identity.decode(), frames=len(frames))
                print(json.dumps(out, default=str), flush=True)
            else:
                # os.read, not readline: buffered lines would hide from poll() on the fd.
                chunk = os.read(sys.stdin.fileno(), 1 << 20)
                if not chunk:
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    handle(json.loads(line))


if __name__ == "__main__":
    main()
