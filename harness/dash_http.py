"""Call a Dash app's callbacks over its HTTP API, as the browser does (no browser needed).

Used by the callback tests (through Flask's test client) and the benchmarks (over loopback).
"""
from __future__ import annotations

import json


def _parse_id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


class DashCallbacks:
    """`post(path, payload) -> (status, body_bytes)`; `get(path) -> body_bytes`."""

    def __init__(self, post, get):
        self.post, self.get = post, get
        self.deps = json.loads(get("/_dash-dependencies"))

    def find(self, output: str) -> dict:
        """The callback whose output spec contains `output` (e.g. 'filters.data')."""
        for dep in self.deps:
            if output in dep["output"].strip(".").split("..."):
                return dep
        raise KeyError(output)

    def payload(self, output: str, values: dict, changed: list[str]) -> dict:
        dep = self.find(output)
        spec = dep["output"].strip(".").split("...") if dep["output"].startswith("..") \
            else [dep["output"]]
        outputs = []
        for item in spec:
            cid, prop = item.rsplit(".", 1)
            outputs.append({"id": _parse_id(cid), "property": prop})

        def entries(kind):
            out = []
            for item in dep[kind]:
                cid = _parse_id(item["id"])
                key = f"{item['id']}.{item['property']}"
                if isinstance(cid, dict):  # pattern-matching ALL: no such components
                    out.append(values.get(key, []))
                else:
                    out.append({"id": cid, "property": item["property"],
                                "value": values.get(key)})
            return out

        return {"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": entries("inputs"), "state": entries("state"),
                "changedPropIds": changed}

    def call(self, output: str, values: dict, changed: list[str]) -> tuple[dict, int]:
        """Run one callback; return ({component id: {prop: value}}, response bytes)."""
        status, body = self.post("/_dash-update-component",
                                 self.payload(output, values, changed))
        if status == 204:
            return {}, 0
        if status != 200:
            raise RuntimeError(f"callback {output} answered {status}: {body[:300]!r}")
        return json.loads(body)["response"], len(body)


def flask_callbacks(app) -> DashCallbacks:
    client = app.server.test_client()

    def post(path, payload):
        r = client.post(path, json=payload)
        return r.status_code, r.data

    return DashCallbacks(post, lambda path: client.get(path).data)


def page_end_id(html: str) -> str:
    """The signed page-load token (Dash's config `end_id`) that background callbacks need."""
    import re
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1)).get("end_id", "") if found else ""


def run_background(post, payload: dict, end_id: str, *, timeout: float = 180,
                   interval: float = 0.5, sleep=None, clock=None) -> tuple[dict, list]:
    """Run a background callback as the browser does: start it, then poll with its signed
    cacheKey and job until it answers. `post(path, payload) -> (status, body)`.
    Returns (response, [each progress value seen]); raises on an error or the timeout."""
    import time
    from urllib.parse import quote
    sleep, clock = sleep or time.sleep, clock or time.monotonic
    base = "/_dash-update-component?endId=" + quote(end_id, safe="~")
    status, body = post(base, payload)
    if status != 200:
        raise RuntimeError(f"background callback answered {status}: {body[:300]!r}")
    started = json.loads(body)
    if "response" in started:
        return started["response"], []
    handles = f"{base}&cacheKey={quote(started['cacheKey'], safe='~')}" \
              f"&job={quote(started['job'], safe='~')}"
    polled = json.loads(json.dumps(payload))
    for kind in ("inputs", "state"):
        for item in polled.get(kind, []):
            if isinstance(item, dict):
                item["value"] = None
    seen, deadline = [], clock() + timeout
    while clock() < deadline:
        sleep(interval)
        status, body = post(handles, polled)
        if status == 204:
            raise RuntimeError("background job ended without an answer (cancelled or died)")
        if status != 200:
            raise RuntimeError(f"poll answered {status}: {body[:300]!r}")
        answer = json.loads(body)
        if "progress" in answer:
            seen.extend(answer["progress"].values())
        if "response" in answer:
            return answer["response"], seen
    raise RuntimeError(f"background callback did not answer within {timeout:.0f} s")


def applied(page: dict, answer: dict) -> dict:
    """The page's values ({"id.prop": value}) after the browser applies a callback's answer
    ({id: {prop: value}}): an output the answer leaves out keeps the page's value."""
    return page | {f"{cid}.{prop}": value for cid, props in answer.items()
                   for prop, value in props.items()}
