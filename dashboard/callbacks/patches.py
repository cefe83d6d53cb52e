"""Only what changed: a figure as the digests of its parts, and the ``dash.Patch`` that turns
the figure a page holds (known by those digests, which the page keeps in ``ids.DRAWN``) into
the new one.

A part whose JSON is over SPLIT bytes is split into its members (a dict's keys, the items
of a list of dicts or lists), so a click that changes one trace's values or one label sends those, not the whole
figure; a smaller part is one digest. Paths join keys and indices with '/'; a split dict is
marked ``path{}``, a split list ``path[]`` (its length)."""
from __future__ import annotations

import hashlib
import re

import orjson
from _plotly_utils.utils import is_homogeneous_array, is_skipped_key, to_typed_array_spec
from dash import Patch, no_update
from plotly.io.json import to_json_plotly
from plotly.utils import PlotlyJSONEncoder

SPLIT = 2048  # bytes of JSON above which a part is diffed member by member
_ENCODER = PlotlyJSONEncoder()  # what orjson cannot encode itself: Dash components, dates


def _text(value) -> bytes:
    return orjson.dumps(value)


def _hash(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=8).hexdigest()


def digest(value) -> str:
    """One digest of plain JSON data."""
    return _hash(_text(value))


def digests(value, path: str = "") -> dict[str, str]:
    """{path: digest} of `value`'s parts (plain JSON data), split as the module says."""
    text = _text(value)
    if len(text) <= SPLIT or not _container(value):
        return {path: _hash(text)}
    if isinstance(value, dict):
        out = {path + "{}": ""}
        for key, member in value.items():
            out.update(digests(member, f"{path}/{key}"))
        return out
    out = {path + "[]": str(len(value))}
    for i, member in enumerate(value):
        out.update(digests(member, f"{path}/{i}"))
    return out


def _container(value) -> bool:
    """A dict, or a list of dicts or lists (a trace's array of numbers or texts is one
    part: split item by item its digests would outweigh it)."""
    if isinstance(value, dict):
        return bool(value)
    return isinstance(value, list) and bool(value) and \
        all(isinstance(v, (dict, list)) for v in value)


def plain_json(fig) -> dict:
    """The figure as plain JSON data (numbers, strings, lists, dicts), as
    ``json.loads(fig.to_json())`` gives it: numpy arrays as plotly.js's typed-array specs,
    no trace uids. Read from the figure's own dicts, without the deep copies of its
    ``to_dict`` (a third of the time of the app's figures' JSON), with plotly's own helpers
    for the typed arrays and the encoding (private ones: a test holds this to ``to_json``)."""
    whole = {"data": [{k: v for k, v in t.items() if k != "uid"} for t in fig._data],
             "layout": fig._layout}
    frames = [f._props for f in fig._frame_objs]
    if frames:
        whole["frames"] = frames
    return orjson.loads(to_json_plotly(_typed(whole)))


def _typed(value):
    """A copy of `value` with each homogeneous array as a typed-array spec (where plotly's
    ``convert_to_base64`` would put one; it changes its argument in place)."""
    if isinstance(value, dict):
        return {k: v if is_skipped_key(k) else
                to_typed_array_spec(v) if is_homogeneous_array(v) else _typed(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typed(v) for v in value]
    return value


def figure_update(fig, drawn: dict | None):
    """(what to send, the digests of the new figure): the whole figure when the page holds
    none (or `drawn` is not a split figure's digests), no_update when nothing changed, else
    a Patch of the parts that changed."""
    plain = plain_json(fig)
    now = digests(plain)
    if not isinstance(drawn, dict) or "{}" not in drawn or "{}" not in now:
        return plain, now
    if drawn == now:
        return no_update, now
    patch = Patch()
    _changes(patch, plain, "", drawn)
    return patch, now


def _changes(node, value: dict | list, path: str, drawn: dict) -> None:
    """Into `node` (the Patch at `path`, which the page holds split): each member of `value`
    that differs from the page's, and a dict's members the page has that `value` lacks."""
    members = value.items() if isinstance(value, dict) else enumerate(value)
    for key, member in members:
        at = f"{path}/{key}"
        if isinstance(member, dict) and member and at + "{}" in drawn:
            _changes(node[key], member, at, drawn)
        elif isinstance(member, list) and drawn.get(at + "[]") == str(len(member)):
            _changes(node[key], member, at, drawn)
        elif drawn.get(at) != digest(member):
            node[key] = member
    if isinstance(value, dict):
        for gone in _members(drawn, path) - set(value):
            del node[gone]


def _members(drawn: dict, path: str) -> set[str]:
    """The keys the page's split dict at `path` has."""
    prefix = path + "/"
    return {re.split(r"/|\{\}|\[\]", p[len(prefix):], maxsplit=1)[0]
            for p in drawn if isinstance(p, str) and p.startswith(prefix)}


def sent_if_changed(values: dict, outputs: dict, before: dict | None, after: dict,
                    prefix: str) -> dict:
    """`values` (keyed as `outputs`: output key -> value, or, where `outputs` groups several
    outputs under a key, -> a dict of them) with each value whose digest is the one the page
    holds (`before`, the store of digests) as no_update; the new digests go into `after`
    under `prefix`. Only for outputs no other callback writes."""
    before = before if isinstance(before, dict) else {}
    out = {}
    for key, value in values.items():
        if isinstance(outputs[key], dict):
            out[key] = sent_if_changed(value, outputs[key], before, after, f"{prefix}{key}/")
            continue
        now = _hash(orjson.dumps(value, default=_ENCODER.default,
                                 option=orjson.OPT_SERIALIZE_NUMPY))
        after[prefix + key] = now
        out[key] = no_update if before.get(prefix + key) == now else value
    return out
