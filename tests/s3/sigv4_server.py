#!/usr/bin/python3
"""An S3 server for stillwater's tests that checks every request's AWS Signature Version 4.

Python standard library only. Path-style addressing, objects kept in memory. It answers what
stillwater's S3 client sends: create bucket, PUT/GET/HEAD/DELETE object, ranged GET,
ListObjectsV2 (prefix, max-keys, continuation tokens), multipart upload (initiate, part,
complete, abort), and S3's error XML.

Every request must carry a header-signed SigV4 Authorization (AWS4-HMAC-SHA256) whose signature
this server recomputes from the request it received; x-amz-content-sha256 must be the SHA-256 of
the body (or UNSIGNED-PAYLOAD); host, x-amz-date and every x-amz-* header sent must be signed.
A wrong signature is 403 SignatureDoesNotMatch. Presigned (query-string) requests are refused:
stillwater never sends them.

Usage: sigv4_server.py PORT ACCESS_KEY SECRET_KEY [--fault NAME]...
PORT 0 picks a free port; the first line printed is "listening on 127.0.0.1:PORT".

--fault makes the server misbehave the way a broken or hostile S3 service might, for the
client's robustness tests:
  list-token-loop    listings never end: truncated pages with two alternating tokens
  list-endless       listings never end: truncated empty pages, a new token each time
  ignore-range       a ranged GET is answered 200 with the whole object
  range-shifted      a ranged GET returns the range one byte later than asked (honest header)
  range-short        a ranged GET returns one byte less than its Content-Range claims
  range-long         a ranged GET returns (and claims) a few bytes more than asked
  hostile-error      every object request fails with a Code/Message full of terminal escapes
  redirect-loop      every object request is redirected (307) to itself
  always-503         every object request is 503 SlowDown
GET /_stats (unsigned) answers "requests=N body_bytes=M": signed requests served so far and the
object bytes sent in GET replies, so a test can count what the client asked for.
"""
import argparse
import datetime
import hashlib
import hmac
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

FAULTS = ("list-token-loop", "list-endless", "ignore-range", "range-shifted", "range-short",
          "range-long", "hostile-error", "redirect-loop", "always-503")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/,]+)/(?P<date>\d{8})/(?P<region>[^/,]+)/"
    r"(?P<service>[^/,]+)/aws4_request,\s*SignedHeaders=(?P<signed>[a-z0-9;_.-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})")
MAX_SKEW = datetime.timedelta(minutes=15)


class Rejected(Exception):
    """A request this server refuses: HTTP status, S3 error code, message."""

    def __init__(self, status, code, message=""):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def rfc3986(text, keep_slash):
    return quote(text, safe="-_.~/" if keep_slash else "-_.~")


def canonical_query(raw_query):
    """SigV4's canonical query string: every name and value decoded, then re-encoded the RFC 3986
    way, sorted by name then value, "=" always present."""
    pairs = []
    for item in raw_query.split("&") if raw_query else []:
        name, _, value = item.partition("=")
        pairs.append((rfc3986(unquote(name), False), rfc3986(unquote(value), False)))
    return "&".join(f"{n}={v}" for n, v in sorted(pairs))


def hmac_sha256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    key = hmac_sha256(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = hmac_sha256(key, part)
    return key


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.buckets = {}  # name -> {key: bytes}
        self.uploads = {}  # upload id -> (bucket, key, {part number: bytes})
        self.next_upload = 0
        self.requests = 0
        self.body_bytes = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and 100-continue handled by http.server
    server_version = "stillwater-sigv4-test"

    def log_message(self, *args):
        pass

    # --- replies -------------------------------------------------------------------------
    def send(self, status, body=b"", content_type="application/xml", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error_xml(self, status, code, message="", headers=()):
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' + escape(code) +
               "</Code><Message>" + escape(message) + "</Message></Error>")
        self.send(status, xml.encode(), headers=headers)

    def send_xml(self, root, inner):
        self.send(200, f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{inner}</{root}>'.encode())

    # --- authentication --------------------------------------------------------------------
    def verify_signature(self, body):
        cfg = self.server.cfg
        raw_path, _, raw_query = self.path.partition("?")
        if "X-Amz-Signature" in raw_query or "X-Amz-Credential" in raw_query:
            raise Rejected(403, "AccessDenied", "presigned requests are not supported here")
        match = AUTHORIZATION.fullmatch(self.headers.get("Authorization", ""))
        if not match:
            raise Rejected(403, "AccessDenied", "no AWS4-HMAC-SHA256 Authorization header")
        if match["key"] != cfg.access_key:
            raise Rejected(403, "InvalidAccessKeyId", "unknown access key")
        if match["service"] != "s3":
            raise Rejected(403, "SignatureDoesNotMatch", "credential scope is not for s3")

        amz_date = self.headers.get("x-amz-date", "")
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            raise Rejected(403, "AccessDenied", "x-amz-date missing or not YYYYMMDDTHHMMSSZ")
        if amz_date[:8] != match["date"]:
            raise Rejected(403, "SignatureDoesNotMatch", "credential date is not x-amz-date's")
        if abs(datetime.datetime.now(datetime.timezone.utc) - when) > MAX_SKEW:
            raise Rejected(403, "RequestTimeTooSkewed", "x-amz-date is too far from now")

        payload = self.headers.get("x-amz-content-sha256")
        if payload is None:
            raise Rejected(400, "InvalidRequest", "x-amz-content-sha256 is required")
        if payload != "UNSIGNED-PAYLOAD" and payload != hashlib.sha256(body).hexdigest():
            raise Rejected(400, "XAmzContentSHA256Mismatch", "body does not hash to it")

        signed = match["signed"].split(";")
        if signed != sorted(set(signed)):
            raise Rejected(403, "SignatureDoesNotMatch", "SignedHeaders not sorted and unique")
        sent = {name.lower() for name in self.headers.keys()}
        required = {"host", "x-amz-date", "x-amz-content-sha256"}
        required |= {name for name in sent if name.startswith("x-amz-")}
        if not required <= set(signed):
            raise Rejected(403, "AccessDenied", "unsigned: " + ",".join(sorted(required - set(signed))))
        canonical_headers = ""
        for name in signed:
            values = self.headers.get_all(name)
            if values is None:
                raise Rejected(403, "SignatureDoesNotMatch", f"signed header {name} not sent")
            canonical_headers += name + ":" + ",".join(" ".join(v.split()) for v in values) + "\n"

        canonical_request = "\n".join([
            self.command,
            rfc3986(unquote(raw_path), True),
            canonical_query(raw_query),
            canonical_headers,
            match["signed"],
            payload,
        ])
        scope = f"{match['date']}/{match['region']}/s3/aws4_request"
        string_to_sign = "\n".join([
            "AWS4-HMAC-SHA256", amz_date, scope,
            hashlib.sha256(canonical_request.encode()).hexdigest()
        ])
        key = signing_key(cfg.secret_key, match["date"], match["region"], "s3")
        want = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, match["signature"]):
            sys.stderr.write("signature mismatch; canonical request:\n" + canonical_request + "\n")
            raise Rejected(403, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided.")

    # --- dispatch --------------------------------------------------------------------------
    def handle_request(self):
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return self.send_error_xml(501, "NotImplemented", "chunked bodies are not supported")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command == "GET" and self.path == "/_stats":
            store = self.server.store
            with store.lock:
                text = f"requests={store.requests} body_bytes={store.body_bytes}"
            return self.send(200, text.encode(), "text/plain")
        try:
            self.verify_signature(body)
            with self.server.store.lock:
                self.server.store.requests += 1
            self.route(body)
        except Rejected as r:
            self.send_error_xml(r.status, r.code, r.message)

    do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = handle_request

    def route(self, body):
        raw_path, _, raw_query = self.path.partition("?")
        query = {}
        for item in raw_query.split("&") if raw_query else []:
            name, _, value = item.partition("=")
            query[unquote(name)] = unquote(value)
        bucket, _, key = unquote(raw_path).lstrip("/").partition("/")
        if not bucket:
            raise Rejected(400, "InvalidBucketName", "no bucket")
        if not key:
            return self.bucket_request(bucket, query)
        faults = self.server.cfg.fault
        if "hostile-error" in faults:
            raise Rejected(403, "Access\x1b[31mDenied\x1b]0;owned\x07" + "X" * 5000,
                           "\x1b[2J\x1b[Hcleared your screen\r\n" * 100)
        if "always-503" in faults:
            raise Rejected(503, "SlowDown", "please reduce your request rate")
        if "redirect-loop" in faults:
            location = f"http://{self.headers['Host']}{self.path}"
            return self.send_error_xml(307, "TemporaryRedirect", "try again there",
                                       headers=[("Location", location)])
        store = self.server.store
        with store.lock:
            objects = store.buckets.get(bucket)
            if objects is None:
                raise Rejected(404, "NoSuchBucket", bucket)
            if "uploads" in query or "uploadId" in query:
                return self.multipart(bucket, key, query, body, objects)
            if self.command == "PUT":
                objects[key] = body
                return self.send(200, headers=[("ETag", etag(body))])
            if self.command == "DELETE":
                objects.pop(key, None)
                return self.send(204)
            if self.command in ("GET", "HEAD"):
                if key not in objects:
                    raise Rejected(404, "NoSuchKey", key)
                return self.object_reply(objects[key])
        raise Rejected(405, "MethodNotAllowed", self.command)

    def bucket_request(self, bucket, query):
        store = self.server.store
        with store.lock:
            if self.command == "PUT":
                store.buckets.setdefault(bucket, {})
                return self.send(200)
            if bucket not in store.buckets:
                raise Rejected(404, "NoSuchBucket", bucket)
            if self.command == "GET" and query.get("list-type") == "2":
                return self.list_objects(sorted(store.buckets[bucket]), query)
        raise Rejected(405, "MethodNotAllowed", self.command + " on a bucket")

    # --- ListObjectsV2 ---------------------------------------------------------------------
    def list_objects(self, all_keys, query):
        faults = self.server.cfg.fault
        try:
            max_keys = int(query.get("max-keys", "1000"))
        except ValueError:
            raise Rejected(400, "InvalidArgument", "max-keys")
        max_keys = max(1, min(max_keys, 1000))
        prefix = query.get("prefix", "")
        token = query.get("continuation-token")
        keys = [k for k in all_keys if k.startswith(prefix)]
        if "list-token-loop" in faults:
            next_token = "tokenB" if token == "tokenA" else "tokenA"
            return self.send_list(prefix, keys[:max_keys], next_token)
        if "list-endless" in faults:
            number = int(token[5:]) + 1 if token and token.startswith("page-") else 1
            return self.send_list(prefix, [], f"page-{number}")
        # The token is the last key already returned (hex, so it survives any encoding).
        if token is not None:
            try:
                after = bytes.fromhex(token).decode()
            except ValueError:
                raise Rejected(400, "InvalidArgument", "The continuation token provided is incorrect")
            keys = [k for k in keys if k > after]
        page = keys[:max_keys]
        truncated = len(keys) > max_keys
        self.send_list(prefix, page, page[-1].encode().hex() if truncated else None)

    def send_list(self, prefix, keys, next_token):
        contents = "".join(f"<Contents><Key>{escape(k)}</Key><Size>0</Size></Contents>" for k in keys)
        inner = (f"<Prefix>{escape(prefix)}</Prefix><KeyCount>{len(keys)}</KeyCount>"
                 f"<IsTruncated>{'true' if next_token else 'false'}</IsTruncated>{contents}")
        if next_token:
            inner += f"<NextContinuationToken>{escape(next_token)}</NextContinuationToken>"
        self.send_xml("ListBucketResult", inner)

    # --- GET / HEAD ------------------------------------------------------------------------
    def object_reply(self, data):
        faults = self.server.cfg.fault
        wanted = self.headers.get("Range")
        if wanted is None or "ignore-range" in faults:
            return self.send_object(200, data)
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", wanted)
        if not match:
            raise Rejected(400, "InvalidArgument", "only Range: bytes=FIRST-[LAST] is served")
        first = int(match[1])
        last = min(int(match[2]) if match[2] else len(data) - 1, len(data) - 1)
        if first >= len(data) or first > last:
            raise Rejected(416, "InvalidRange", "The requested range is not satisfiable")
        sent_first, sent_last = first, last
        if "range-shifted" in faults:
            sent_first, sent_last = first + 1, min(last + 1, len(data) - 1)
        if "range-long" in faults:
            sent_last = min(last + 5, len(data) - 1)
        claimed = f"bytes {sent_first}-{sent_last}/{len(data)}"
        if "range-short" in faults:
            sent_last -= 1
        self.send_object(206, data[sent_first:sent_last + 1], [("Content-Range", claimed)])

    def send_object(self, status, data, headers=()):
        store = self.server.store
        if self.command == "GET":
            store.body_bytes += len(data)
        self.send(status, data, "application/octet-stream",
                  [("ETag", etag(data)), ("Accept-Ranges", "bytes"), *headers])

    # --- multipart upload ------------------------------------------------------------------
    def multipart(self, bucket, key, query, body, objects):
        store = self.server.store
        if self.command == "POST" and "uploads" in query:
            store.next_upload += 1
            upload_id = f"upload-{store.next_upload}"
            store.uploads[upload_id] = (bucket, key, {})
            return self.send_xml(
                "InitiateMultipartUploadResult",
                f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(key)}</Key>"
                f"<UploadId>{upload_id}</UploadId>")
        upload_id = query.get("uploadId", "")
        upload = store.uploads.get(upload_id)
        if upload is None or upload[:2] != (bucket, key):
            raise Rejected(404, "NoSuchUpload", upload_id)
        parts = upload[2]
        if self.command == "PUT":
            try:
                number = int(query.get("partNumber", ""))
            except ValueError:
                raise Rejected(400, "InvalidArgument", "partNumber")
            if not 1 <= number <= 10000:
                raise Rejected(400, "InvalidArgument", "partNumber")
            parts[number] = body
            return self.send(200, headers=[("ETag", etag(body))])
        if self.command == "DELETE":
            del store.uploads[upload_id]
            return self.send(204)
        if self.command == "POST":
            listed = re.findall(r"<Part><PartNumber>(\d+)</PartNumber><ETag>([^<]*)</ETag></Part>",
                                body.decode(errors="replace"))
            numbers = [int(n) for n, _ in listed]
            if not numbers or numbers != sorted(set(numbers)):
                raise Rejected(400, "InvalidPartOrder", "parts must be listed in ascending order")
            for number, tag in listed:
                part = parts.get(int(number))
                if part is None or tag.replace("&quot;", '"') != etag(part):
                    raise Rejected(400, "InvalidPart", f"part {number} unknown or ETag differs")
            objects[key] = b"".join(parts[n] for n in numbers)
            del store.uploads[upload_id]
            return self.send_xml(
                "CompleteMultipartUploadResult",
                f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(key)}</Key>"
                f"<ETag>{escape(etag(objects[key]))}</ETag>")
        raise Rejected(405, "MethodNotAllowed", self.command + " on an upload")


def etag(data):
    return '"' + hashlib.md5(data).hexdigest() + '"'


def main():
    parser = argparse.ArgumentParser(description="SigV4-verifying S3 test server")
    parser.add_argument("port", type=int)
    parser.add_argument("access_key")
    parser.add_argument("secret_key")
    parser.add_argument("--fault", action="append", default=[], choices=FAULTS)
    cfg = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", cfg.port), Handler)
    server.daemon_threads = True
    server.cfg = cfg
    server.store = Store()
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
