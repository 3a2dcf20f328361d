#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the recorded cassettes (fixtures/) and the
API examples (shared/api/examples/ or crates/clevertim-core/tests/examples/).

    python3 fuzz/scripts/make_seeds.py [EXAMPLES_DIR]

Output: fuzz/seeds/decode_response/ and fuzz/seeds/sandbox_request/ (replaced). The input
layouts are described in fuzz/README.md and at the top of each target.
"""
import json
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
EXAMPLES = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "crates/clevertim-core/tests/examples"
OUT = ROOT / "fuzz/seeds"

# Must match decode_response.rs.
RESOURCES = ["contact", "company", "case", "opportunity", "task", "note", "comment",
             "customfield", "user", "group", "folder", "file", "linkedfile"]
OPS = {"load": 0, "all": 1, "save_new": 2, "save_existing": 3, "delete_key": 4, "load_many": 5,
       "reload": 6, "customer": 7, "load_then_save": 8, "save_then_load": 9, "delete": 10}
STATUSES = [200, 201, 204, 299, 400, 401, 403, 404, 409, 413, 429, 500, 501, 502, 503, 504, 301,
            304, 100, 999, 202, 206, 422, 418]
SEPARATOR = b"\n~~~\n"
# The decode target's API key, to seed the scrubbing of error texts.
FUZZ_KEY = "FzK3yq8Zr2mWx8LpV4nYc6HdJ1aGe5Bu0sT9vQpL"


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def decode_seed(resource, op, status, key, body, flags=0):
    key = str(key).encode()[:31]
    return bytes([RESOURCES.index(resource), OPS[op], STATUSES.index(status), flags,
                  len(key) | 0x80]) + key + body


def body_of(side):
    body = side.get("body")
    if not body:
        return b""
    if "json" in body:
        return compact(body["json"])
    return body["text"].encode()


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    decode = OUT / "decode_response"
    sandbox = OUT / "sandbox_request"
    decode.mkdir(parents=True)
    sandbox.mkdir(parents=True)
    seeds_d, seeds_s = {}, {}

    for path in sorted(FIXTURES.rglob("*.json")):
        doc = json.loads(path.read_text())
        name = f"{path.parent.name}-{path.stem}"
        steps = []
        for i, it in enumerate(doc.get("interactions", [])):
            req, resp = it["request"], it["response"]
            segments = [s for s in req["path"].split("/") if s][1:]
            resource = segments[0] if segments and segments[0] in RESOURCES else "contact"
            key = segments[1] if len(segments) > 1 else "1"
            method = req["method"]
            op = {"GET": "load" if len(segments) > 1 else "all", "POST": "save_new",
                  "PUT": "save_existing", "DELETE": "delete_key"}.get(method, "load")
            status = resp["status"] if resp["status"] in STATUSES else 200
            seeds_d[f"{name}-{i}"] = decode_seed(resource, op, status, key, body_of(resp))
            # The same answer through the other operations that read one object.
            if op == "load":
                for other in ("load_then_save", "reload", "load_many"):
                    seeds_d[f"{name}-{i}-{other}"] = decode_seed(resource, other, status, key, body_of(resp))
            auth = ""
            if "401" in path.stem:
                auth = "Authorization: Basic Zm9vOlg=\n"
            elif "403" in path.stem:
                auth = "Authorization: @reader\n"
            head = f"{method} {req['path']}\ncontent-type: application/json\n{auth}".encode()
            steps.append(head + b"\n" + body_of(req))
        if steps:
            seeds_s[name] = SEPARATOR.join(steps[:8])
            for i, step in enumerate(steps[:8]):
                seeds_s[f"{name}-{i}"] = step

    for path in sorted(EXAMPLES.glob("*.json")):
        value = json.loads(path.read_text())
        stem = path.stem
        if stem.startswith("envelope"):
            status = 200 if value.get("status") == "OK" else 400
            seeds_d[f"example-{stem}"] = decode_seed("case", "load", status, "1", compact(value))
            continue
        resource = stem.split("-")[0]
        key = value.get("id", 1)
        envelope = compact({"status": "OK", "content": [value]})
        for op in ("load", "all", "save_then_load", "customer"):
            seeds_d[f"example-{stem}-{op}"] = decode_seed(resource, op, 200, key, envelope)
        sent = {k: v for k, v in value.items() if k != "id"}
        seeds_s[f"example-{stem}"] = b"POST /api/" + resource.encode() + b"\n\n" + compact(sent)

    # Error texts that quote the API key (plain and as its Basic credential): scrubbed.
    import base64
    token = base64.b64encode(f"{FUZZ_KEY}:X".encode()).decode()
    for i, text in enumerate([f"Unknown API key {FUZZ_KEY}", f"bad header Basic {token}"]):
        body = compact({"status": "ERROR", "error": text})
        seeds_d[f"error-quotes-key-{i}"] = decode_seed("contact", "load", 401, "1", body)
        seeds_d[f"html-quotes-key-{i}"] = decode_seed("contact", "all", 502, "", b"<html>" + text.encode())
    seeds_d["empty-delete"] = decode_seed("note", "delete_key", 200, "7", b"")

    for name, data in seeds_d.items():
        (decode / name).write_bytes(data)
    for name, data in seeds_s.items():
        (sandbox / name).write_bytes(data)
    print(f"{len(seeds_d)} decode_response seeds, {len(seeds_s)} sandbox_request seeds")


if __name__ == "__main__":
    main()
