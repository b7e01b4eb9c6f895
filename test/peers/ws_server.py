"""A WebSocket test peer on Python's `websockets` (PyPI, pinned in scripts/lib/venv-websockets.sh).

usage: ws_server.py PORT [--no-compression] [--tls CERT KEY]; prints "LISTENING <port>" when it accepts.
Paths (query strings are read where noted):
  /echo              echoes every message as it came (text as text, binary as binary);
                     the text "close:CODE:REASON" makes the server close with that code and reason
  /big?bytes=N       answers any message with one binary message of N bytes
  /push?n=N          sends N text messages "push 0".."push N-1" at once, then echoes
  /ping              answers the text "ping" by pinging the client and, once its pong came back, "pong received"
  /headers           answers any message with JSON of the upgrade request's headers and subprotocol
  /refuse            refuses the upgrade with HTTP 403
  GET /stats         (plain HTTP) the connections, messages, open and most open at once so far, and
                     how the TCP connections of the ended ones ended: "resets" (the client reset it,
                     ConnectionResetError) or "clean_ends" (a FIN)
"""
import asyncio
import json
import ssl
import sys
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import serve

seen = {"connections": 0, "messages": 0, "open": 0, "max_open": 0, "resets": 0, "clean_ends": 0}
watching = set()  # the tasks of note_end (asyncio keeps only weak references to tasks)


def note_end(ws):
    """Counts how the connection's TCP ended once it has, without holding up the handler's return."""

    async def wait():
        await ws.wait_closed()
        seen["resets" if isinstance(ws.connection_exc, ConnectionResetError) else "clean_ends"] += 1

    task = asyncio.get_running_loop().create_task(wait())
    watching.add(task)
    task.add_done_callback(watching.discard)


async def handler(ws):
    url = urlsplit(ws.request.path)
    query = parse_qs(url.query)
    seen["connections"] += 1
    seen["open"] += 1
    seen["max_open"] = max(seen["max_open"], seen["open"])
    try:
        if url.path == "/push":
            for i in range(int(query.get("n", ["1"])[0])):
                await ws.send(f"push {i}")
        async for message in ws:
            seen["messages"] += 1
            if url.path == "/big":
                await ws.send(b"x" * int(query.get("bytes", ["1"])[0]))
            elif url.path == "/ping" and message == "ping":
                pong = await ws.ping()
                await pong
                await ws.send("pong received")
            elif url.path == "/headers":
                await ws.send(json.dumps({"headers": dict(ws.request.headers.raw_items()), "subprotocol": ws.subprotocol}))
            elif isinstance(message, str) and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await ws.close(int(code), reason)
            else:
                await ws.send(message)
    finally:
        seen["open"] -= 1
        note_end(ws)


def select_subprotocol(connection, offered):
    # "chat" when offered, else none (the library's default would refuse a client that offers none).
    return "chat" if "chat" in offered else None


def process_request(connection, request):
    if request.path == "/refuse":
        return connection.respond(HTTPStatus.FORBIDDEN, "no WebSocket here\n")
    if request.path == "/stats":
        return connection.respond(HTTPStatus.OK, json.dumps(seen) + "\n")
    return None


async def main():
    port = int(sys.argv[1])
    compression = None if "--no-compression" in sys.argv else "deflate"
    tls = None
    if "--tls" in sys.argv:
        at = sys.argv.index("--tls")
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[at + 1], sys.argv[at + 2])
    async with serve(
        handler,
        "127.0.0.1",
        port,
        process_request=process_request,
        compression=compression,
        select_subprotocol=select_subprotocol,
        max_size=64 * 1024 * 1024,
        ping_interval=None,
        ssl=tls,
    ) as server:
        print(f"LISTENING {port}", flush=True)
        await server.serve_forever()


asyncio.run(main())
