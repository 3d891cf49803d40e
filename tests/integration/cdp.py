#!/usr/bin/env python3
# cdp.py: a minimal Chrome DevTools Protocol client (standard library only) for the live-page tests.
# Usage: cdp.py PORT eval EXPRESSION      prints the value (JSON) of EXPRESSION in the first page
#        cdp.py PORT shot FILE.png        saves a screenshot of the first page
# Speaks just enough WebSocket (RFC 6455: masked text frames out, unmasked frames in).
import base64, json, os, socket, struct, sys, urllib.request


def page_ws(port):
    with urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port, timeout=20) as r:
        targets = json.load(r)
    for t in targets:
        if t.get("type") == "page":
            return t["webSocketDebuggerUrl"]
    sys.exit("cdp.py: no page target")


def connect(url):
    hostport, path = url[len("ws://"):].split("/", 1)
    host, port = hostport.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key)).encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        got = s.recv(4096)
        if not got:
            sys.exit("cdp.py: handshake closed")
        buf += got
    head, rest = buf.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        sys.exit("cdp.py: handshake refused: %r" % head[:200])
    return s, rest


class Conn:
    def __init__(self, url):
        self.s, self.buf = connect(url)
        self.id = 0

    def exact(self, n):
        while len(self.buf) < n:
            got = self.s.recv(65536)
            if not got:
                sys.exit("cdp.py: connection closed")
            self.buf += got
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, obj):
        data = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack(">BB", 0x81, 0x80 | n)
        elif n < 65536:
            head = struct.pack(">BBH", 0x81, 0x80 | 126, n)
        else:
            head = struct.pack(">BBQ", 0x81, 0x80 | 127, n)
        self.s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self.exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self.exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self.exact(8))[0]
            payload = self.exact(n)
            msg += payload
            if b0 & 0x80:
                return json.loads(msg)

    def call(self, method, params):
        self.id += 1
        self.send({"id": self.id, "method": method, "params": params})
        while True:
            m = self.recv()
            if m.get("id") == self.id:
                if "error" in m:
                    sys.exit("cdp.py: %s: %s" % (method, m["error"]))
                return m["result"]


def main():
    port, verb, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    c = Conn(page_ws(port))
    if verb == "eval":
        r = c.call("Runtime.evaluate", {"expression": arg, "returnByValue": True})
        if "exceptionDetails" in r:
            sys.exit("cdp.py: %s" % r["exceptionDetails"].get("text"))
        print(json.dumps(r["result"].get("value")))
    elif verb == "shot":
        r = c.call("Page.captureScreenshot", {"format": "png"})
        with open(arg, "wb") as f:
            f.write(base64.b64decode(r["data"]))
    else:
        sys.exit("cdp.py: unknown verb %s" % verb)


main()
