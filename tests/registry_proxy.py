#!/usr/bin/env python3
"""tests/registry_proxy.py - a fault-injecting proxy in front of a registry,
and a small Bearer token server, for tests/registry.sh.

usage: registry_proxy.py UPSTREAM_PORT PORTFILE LOGFILE

Listens on 127.0.0.1 (a free port, written to PORTFILE) and forwards
/v2/MODE/REPO/... to http://127.0.0.1:UPSTREAM_PORT/v2/REPO/..., doing
what MODE says (the first path component names it):

  pass       nothing
  flip       a blob's middle byte flipped (same length)
  truncate   a blob cut in half, the connection closed early
  short      a blob cut in half, with a Content-Length that says so
  long       a blob with 16 bytes more, and a Content-Length that says so
  r429       the first GET of each path: 429 with Retry-After: 1
  r503       every GET: 503 with Retry-After: 0
  redirect   a blob: 307 to http://localhost:PORT/raw/... on the same
             proxy (another host), which serves it; with Basic auth asked
             for under /v2/ (user alice, password secret)
  loop       a blob: 302 to itself
  big        a manifest: 5 MiB of JSON
  selfindex  every manifest: an index that lists the digest it was asked
             for (its own name, when fetched by digest)
  slow       a manifest: headers, then nothing for 60 s
  s401       401 without a challenge
  s403       403
  bearer     a token from /token (anonymous) is needed
  bearercred a token from /token with Basic alice:secret is needed
  flip-HEX   the blob whose digest starts with sha256:HEX: a byte flipped
  miss-HEX   the blob whose digest starts with sha256:HEX: 404
  gate       a blob: held until another blob is asked for (at most 1 s),
             and "INFLIGHT N" logged, N the blobs held or being fetched
             from the registry at once (each leaves before its answer goes)
  trickle    a blob: sent 64 KiB at a time, 20 ms apart

Every request is logged to LOGFILE as "METHOD PATH AUTH" (AUTH: the
Authorization scheme, or "-").
"""
import base64
import http.client
import http.server
import json
import sys
import threading
import time

UP = int(sys.argv[1])
LOG = open(sys.argv[3], "a", buffering=1)
SEEN = set()
LOCK = threading.Lock()
BASIC = "Basic " + base64.b64encode(b"alice:secret").decode()
PORT = 0
INFLIGHT = 0
GATE = threading.Condition()


def upstream(path):
    c = http.client.HTTPConnection("127.0.0.1", UP, timeout=30)
    c.request("GET", path, headers={"Accept": ", ".join([
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json"])})
    r = c.getresponse()
    body = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, body


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=None, length=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        auth = self.headers.get("Authorization")
        LOG.write("GET %s %s\n" % (self.path, auth.split()[0] if auth else "-"))
        if self.path.startswith("/token"):
            return self.token()
        if self.path.startswith("/raw/"):
            status, hdrs, body = upstream("/v2/" + self.path[5:])
            return self.send(status, body)
        if self.path == "/v2/" or self.path == "/v2":
            return self.send(200, b"{}")
        parts = self.path.split("/")
        if len(parts) < 5 or parts[1] != "v2":
            return self.send(404)
        mode = parts[2]
        rest = "/".join(parts[3:])
        up = "/v2/" + rest
        blob = "/blobs/" in up
        manifest = "/manifests/" in up
        if "-" in mode and blob:
            what, hexp = mode.split("-", 1)
            if rest.split("/blobs/")[1].startswith("sha256:" + hexp):
                mode = {"flip": "flip", "miss": "miss"}.get(what, mode)
        if mode == "miss":
            return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
        if mode == "gate" and blob:
            return self.gate(up)
        if mode == "s401":
            return self.send(401, b'{"errors":[]}')
        if mode == "s403":
            return self.send(403, b'{"errors":[]}')
        if mode == "redirect" and auth != BASIC:
            return self.send(401, b"", {"WWW-Authenticate": 'Basic realm="test"'})
        if mode in ("bearer", "bearercred") and auth != "Bearer good-token":
            repo = rest.split("/blobs/")[0].split("/manifests/")[0]
            return self.send(401, b"", {"WWW-Authenticate":
                'Bearer realm="http://127.0.0.1:%d/token?mode=%s",service="test-registry",'
                'scope="repository:%s/%s:pull"' % (PORT, mode, mode, repo)})
        if mode == "r429":
            with LOCK:
                first = self.path not in SEEN
                SEEN.add(self.path)
            if first:
                return self.send(429, b"", {"Retry-After": "1"})
        if mode == "r503":
            return self.send(503, b"", {"Retry-After": "0"})
        if mode == "loop" and blob:
            return self.send(302, b"", {"Location": self.path})
        if mode == "redirect" and blob:
            return self.send(307, b"", {"Location": "http://localhost:%d/raw/%s" % (PORT, rest)})
        if mode == "big" and manifest:
            return self.send(200, b'{"x":"' + b"a" * (5 << 20) + b'"}',
                             {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if mode == "selfindex" and manifest:
            ref = up.rsplit("/", 1)[1]
            dg = ref if ref.startswith("sha256:") else "sha256:" + "0" * 64
            body = json.dumps({"schemaVersion": 2,
                               "mediaType": "application/vnd.oci.image.index.v1+json",
                               "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                                              "digest": dg, "size": 200}]}).encode()
            return self.send(200, body, {"Content-Type": "application/vnd.oci.image.index.v1+json"})
        if mode == "slow" and manifest:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            return
        status, hdrs, body = upstream(up)
        out = {k: hdrs[k] for k in ("content-type", "docker-content-digest") if k in hdrs}
        if status == 200 and blob and mode == "trickle":
            self.send_response(200)
            for k, v in out.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(0, len(body), 65536):
                self.wfile.write(body[i:i + 65536])
                self.wfile.flush()
                time.sleep(0.02)
            return
        if status == 200 and blob and len(body) > 1:
            if mode == "flip":
                i = len(body) // 2
                body = body[:i] + bytes([body[i] ^ 0xff]) + body[i + 1:]
            elif mode == "short":
                body = body[:len(body) // 2]
            elif mode == "long":
                body = body + b"\0" * 16
            elif mode == "truncate":
                self.send(200, body[:len(body) // 2], out, length=len(body))
                self.wfile.flush()
                self.close_connection = True
                return
        self.send(status, body, out)

    def gate(self, up):
        global INFLIGHT
        with GATE:
            INFLIGHT += 1
            LOG.write("INFLIGHT %d\n" % INFLIGHT)
            GATE.notify_all()
            GATE.wait_for(lambda: INFLIGHT > 1, timeout=1)
        # Out of the gate before the answer goes: a client that waits for
        # the whole body before it asks for the next blob (-j 1) must never
        # find this one still counted.
        try:
            status, hdrs, body = upstream(up)
        finally:
            with GATE:
                INFLIGHT -= 1
        out = {k: hdrs[k] for k in ("content-type", "docker-content-digest") if k in hdrs}
        self.send(status, body, out)

    def token(self):
        mode = self.path.split("mode=")[1].split("&")[0] if "mode=" in self.path else ""
        auth = self.headers.get("Authorization")
        if "scope=repository%3A" not in self.path or "service=test-registry" not in self.path:
            return self.send(400, b'{"error":"no scope or service"}')
        if mode == "bearercred" and auth != BASIC:
            return self.send(401, b'{"error":"credentials needed"}')
        return self.send(200, json.dumps({"token": "good-token"}).encode(),
                         {"Content-Type": "application/json"})


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
PORT = srv.server_address[1]
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % PORT)
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
