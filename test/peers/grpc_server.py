"""The gRPC client's test peer: grpcio serving helloworld.Greeter and routeguide.RouteGuide from
the .proto files in a folder (grpc.protos_and_services loads them with grpcio-tools at start).

usage: grpc_server.py PROTO_DIR [CERT KEY]   serves TLS with CERT and KEY (PEM) when given; prints "listening PORT", then one line per call it finished:
"call METHOD CODE BYTES" (BYTES: the serialized size of the messages it sent).

SayHello: "fail:CODE:message" answers with that status; "sleep:MS" replies after MS ms; else "Hello, NAME".
ListFeatures: one feature per integer point in the rectangle (lo..hi inclusive); a rectangle whose
lo.latitude is negative sends two features, then OUT_OF_RANGE.
"""
import sys
import threading
import time
from concurrent import futures

import grpc

sys.path.insert(0, sys.argv[1])  # protos_and_services finds the .proto files on sys.path
hello, hello_services = grpc.protos_and_services("helloworld.proto")
route, route_services = grpc.protos_and_services("route_guide.proto")
lock = threading.Lock()


def log(method, code, size):
    with lock:
        print(f"call {method} {code} {size}", flush=True)


class Greeter(hello_services.GreeterServicer):
    def SayHello(self, request, context):
        name = request.name
        if name.startswith("fail:"):
            _, code, message = name.split(":", 2)
            log("/helloworld.Greeter/SayHello", code, 0)
            context.abort(grpc.StatusCode[code], message)
        if name.startswith("sleep:"):
            time.sleep(int(name.split(":")[1]) / 1000)
        reply = hello.HelloReply(message=f"Hello, {name}")
        log("/helloworld.Greeter/SayHello", "OK", reply.ByteSize())
        return reply


class RouteGuide(route_services.RouteGuideServicer):
    def GetFeature(self, request, context):
        feature = route.Feature(name=f"{request.latitude},{request.longitude}", location=request)
        log("/routeguide.RouteGuide/GetFeature", "OK", feature.ByteSize())
        return feature

    def ListFeatures(self, request, context):
        lo, hi = request.lo, request.hi
        sent = 0
        count = 0
        for lat in range(lo.latitude, hi.latitude + 1):
            for lon in range(lo.longitude, hi.longitude + 1):
                if lo.latitude < 0 and count == 2:
                    log("/routeguide.RouteGuide/ListFeatures", "OUT_OF_RANGE", sent)
                    context.abort(grpc.StatusCode.OUT_OF_RANGE, "latitude below 0")
                feature = route.Feature(name=f"{lat},{lon}", location=route.Point(latitude=lat, longitude=lon))
                sent += feature.ByteSize()
                count += 1
                yield feature
        log("/routeguide.RouteGuide/ListFeatures", "OK", sent)


server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
hello_services.add_GreeterServicer_to_server(Greeter(), server)
route_services.add_RouteGuideServicer_to_server(RouteGuide(), server)
if len(sys.argv) > 3:
    with open(sys.argv[2], "rb") as cert, open(sys.argv[3], "rb") as key:
        port = server.add_secure_port("127.0.0.1:0", grpc.ssl_server_credentials([(key.read(), cert.read())]))
else:
    port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(f"listening {port}", flush=True)
server.wait_for_termination()
