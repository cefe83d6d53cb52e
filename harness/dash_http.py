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
