"""Text -> value and node table: the YAML event builder.

The loader drives libyaml's *event* stream (C speed, no recursion) and builds values itself, so that:
- scalars mean what an author means whatever YAML version a parser defaults to (YAML 1.2 core
  schema: `1.1e14` is a number, `yes` is text; ISO dates are kept as ISO strings);
- every node keeps its source position, and every scalar its raw source text (`.5`, `1.0`);
- duplicate keys, hostile nesting, alias bombs and unknown tags become problems, not exceptions.
"""
from __future__ import annotations

import functools
import math
import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

from .decode import Problem
from .excerpt import quote
from .model import Pointer, Position
from .record import NodeInfo, line_column, line_starts_of, span
from .scalars import NOT_TEXT_START, SPECIAL_FLOAT, resolve_plain

_CParser: Any  # libyaml's parser, whose events the loader reads
try:  # libyaml is in every PyYAML wheel; the pure-Python parser is a slow but correct fallback
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _CParser = None

MAX_DEPTH = 64  # a record nests 5 levels; libyaml itself crashes past ~50,000
MAX_NODES = 100_000  # caps alias expansion ("billion laughs") long before memory is at risk

_CORE = "tag:yaml.org,2002:"
_FLOAT_MAX = sys.float_info.max


# --- the builder ------------------------------------------------------------------------------

class _LoadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Frame:
    """A mapping or list being built."""

    __slots__ = ("key", "key_end", "key_start", "keys", "merged", "own_key_end", "own_key_start", "pointer", "start",
                 "style", "value")

    def __init__(self, value: Any, pointer: Pointer, start: int, style: str, key_start: int, key_end: int) -> None:
        self.value = value
        self.pointer = pointer
        self.key: str | None = None  # a mapping's pending key
        self.key_start = self.key_end = -1  # where that pending key is written
        self.keys: dict[str, int] = {}  # key -> its offset, to name the first of two duplicates
        self.merged: set[str] = set()  # keys that came from a `<<` merge and may be overridden
        self.start, self.style = start, style  # the collection's own node, completed when it ends
        self.own_key_start, self.own_key_end = key_start, key_end


class _Spans:
    """Positions for problems found while parsing, from offsets (see line_starts_of)."""

    def __init__(self, line_starts: tuple[int, ...]) -> None:
        self.line_starts = line_starts

    def of(self, event: Any) -> Position:
        return span(self.line_starts, event.start_mark.index, event.end_mark.index)

    def line(self, offset: int) -> int:
        return line_column(self.line_starts, offset)[0]


def _flow_depth_exceeded(text: str) -> int | None:
    """Offset of the bracket at which flow collections inside the top-level mapping pass MAX_DEPTH levels,
    if any (quotes aside: this only places the message about a document that is refused anyway)."""
    depth = 1  # the record's own mapping
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return match.start()
    return None


_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(position: Position) -> Problem:
    return Problem("unsafe", f"the document nests deeper than {MAX_DEPTH} levels; the file was not read", position,
                   "a record nests at most 5 levels: check the brackets")


def _tag_name(tag: str) -> str:
    return quote("!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag)


def _tagged_value(event: Any, problems: list[Problem], spans: _Spans) -> Any:
    """The value of a scalar with an explicit tag: the core schema's are honoured, any other is refused."""
    tag, text = event.tag, event.value
    if tag == _CORE + "str":
        return text
    if tag in (_CORE + "int", _CORE + "float", _CORE + "bool", _CORE + "null"):
        return resolve_plain(text)
    problems.append(Problem(
        "unsafe", f"the tag {_tag_name(tag)} is not allowed in a record; the value was read as plain text",
        spans.of(event), "remove the tag"))
    return text


def _check_number(value: int | float, event: Any, problems: list[Problem], pointer: Pointer, spans: _Spans) -> None:
    if -_FLOAT_MAX <= value <= _FLOAT_MAX:
        return
    if (isinstance(value, float) and math.isnan(value)) or SPECIAL_FLOAT.match(event.value):
        message = f"`{event.value}` is not a finite number"
    else:  # 1e400, or 400 digits: no program that reads records (JSON, JavaScript) holds such a number
        shown = quote(event.value, 30)
        message = f"`{shown}` is too large for a number (beyond ±1.8e308)"
    problems.append(Problem("unsafe", message, spans.of(event), "write the real number", pointer))


def _count_nodes(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _copy(value: Any) -> Any:
    """Deep copy of a built value without recursion (aliases may nest deeply)."""
    if not isinstance(value, (dict, list)):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        src, dst = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for key, item in items:
            new = _copy_shell(item)
            if isinstance(dst, dict):
                dst[key] = new
            else:
                dst.append(new)
            if new is not item:
                stack.append((item, new))
    return root


def _copy_shell(item: Any) -> Any:
    if isinstance(item, dict):
        return {}
    if isinstance(item, list):
        return []
    return item


class Parsed(NamedTuple):
    value: Any
    nodes: dict[Pointer, NodeInfo]
    problems: list[Problem]
    readable: bool  # False when the document could not be read at all


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAP_START, _SEQ_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent
_new_tuple = tuple.__new__  # NodeInfo without the Python-level __new__ of a NamedTuple: one per node


def _events(text: str) -> Callable[[], Any]:
    """The next event of `text` at each call, None after the last: libyaml's parser called directly (no
    generator, no loader around it), else the pure-Python one."""
    if _CParser is not None:
        get: Callable[[], Any] = _CParser(text).get_event
        return get
    return functools.partial(next, iter(yaml.parse(text, Loader=_Loader)), None)


def parse(text: str, line_starts: tuple[int, ...] | None = None) -> Parsed:
    """Build the document's value and its node table from libyaml's events, in one pass with no
    recursion. The hot loop of every run: kept flat on purpose, with the common events (a key, a plain or
    quoted scalar, the end of a collection) handled inline and everything rare in helpers."""
    spans = _Spans(line_starts if line_starts is not None else line_starts_of(text))
    problems: list[Problem] = []
    nodes: dict[Pointer, NodeInfo] = {}
    anchors: dict[str, Any] = {}
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    budget = MAX_NODES
    try:
        get = _events(text)
        while (event := get()) is not None:
            cls = type(event)
            if cls is _MAP_END or cls is _SEQ_END:
                frame = stack.pop()
                nodes[frame.pointer] = _new_tuple(NodeInfo, (frame.start, event.end_mark.index, frame.style,
                                                             frame.own_key_start, frame.own_key_end))
                if not stack:
                    root = frame.value
                elif (frame.pointer[-1] == "<<" and frame.pointer == (*stack[-1].pointer, "<<")
                      and isinstance(stack[-1].value, dict)):
                    _merge(stack[-1], frame.value, frame.pointer, event, nodes, problems, spans)
                    for written in [p for p in nodes if p[: len(frame.pointer)] == frame.pointer]:
                        del nodes[written]  # located at their merged places now
                continue
            if cls is _DOCUMENT_START:
                documents += 1
                if documents == 2:
                    problems.append(Problem(
                        "syntax", "a record file holds one YAML document; everything after the second `---` is ignored",
                        spans.of(event), "split the documents into separate files"))
                    while get() is not None:
                        pass  # read to the end all the same: a syntax error there makes the file unreadable
                    break
                continue
            if not (cls is _SCALAR or cls is _ALIAS or cls is _MAP_START or cls is _SEQ_START):
                continue  # the stream's start and end, a document's end
            # a node: a key, a scalar, an alias or the start of a collection
            key_start = key_end = -1
            if not stack:
                parent = None
                pointer: Pointer = ()
            else:
                parent = stack[-1]
                if type(parent.value) is dict:
                    key = parent.key
                    if key is None:  # the event is the key of the mapping's next entry
                        if cls is not _SCALAR:
                            raise _LoadError(Problem(
                                "syntax", "a mapping key must be plain text, not a list, mapping or alias",
                                spans.of(event), "write the key as plain text"))
                        key = event.value
                        start = event.start_mark.index
                        keys = parent.keys
                        if key in keys and key not in parent.merged:
                            _duplicate(parent, key, event, problems, spans)
                        if parent.merged:
                            parent.merged.discard(key)
                        keys[key] = start
                        parent.key, parent.key_start, parent.key_end = key, start, event.end_mark.index
                        continue
                    pointer = (*parent.pointer, key)
                    key_start, key_end = parent.key_start, parent.key_end
                else:
                    pointer = (*parent.pointer, len(parent.value))
            if cls is _SCALAR:
                budget -= 1
                text_value = event.value
                tag, style = event.tag, event.style
                if tag is not None and tag != "!":
                    value = _tagged_value(event, problems, spans)
                elif style or not event.implicit[0] or (text_value and text_value[0] not in NOT_TEXT_START):
                    value = text_value  # quoted, or a word: most scalars are
                else:
                    value = resolve_plain(text_value)
                kind = type(value)
                if (kind is float or kind is int) and not -_FLOAT_MAX <= value <= _FLOAT_MAX:
                    _check_number(value, event, problems, pointer, spans)
                nodes[pointer] = _new_tuple(NodeInfo, (event.start_mark.index, event.end_mark.index, style or None,
                                                       key_start, key_end))
                if event.anchor:
                    anchors[event.anchor] = value
                if parent is None:
                    root = value
                elif type(parent.value) is list:
                    parent.value.append(value)
                else:  # a scalar merges nothing: `<<: text` is an ordinary key
                    parent.value[parent.key] = value
                    parent.key = None
                continue
            if cls is _ALIAS:
                if event.anchor not in anchors:
                    raise _LoadError(Problem("syntax", f"the alias *{quote(event.anchor)} names no anchor",
                                             spans.of(event)))
                value = _copy(anchors[event.anchor])
                budget -= _count_nodes(value)
                if budget < 0:
                    raise _LoadError(Problem(
                        "unsafe", "aliases expand to more than 100,000 values (an alias bomb); the file was not read",
                        spans.of(event), "write the values out instead of nesting aliases"))
                nodes[pointer] = NodeInfo(event.start_mark.index, event.end_mark.index, "alias", key_start, key_end)
                if parent is not None:
                    _attach(parent, pointer, value, event, nodes, problems, spans)
                continue
            budget -= 1
            is_map = cls is _MAP_START
            if event.tag not in (None, "!", _CORE + ("map" if is_map else "seq")):
                problems.append(Problem("unsafe", f"the tag {_tag_name(event.tag)} is not allowed in a record; "
                                                 "it was ignored", spans.of(event), "remove the tag"))
            if len(stack) >= MAX_DEPTH:
                raise _LoadError(_too_deep(spans.of(event)))
            container: Any = {} if is_map else []
            if event.anchor:
                anchors[event.anchor] = container
            if parent is not None and not (type(parent.value) is dict and parent.key == "<<"):
                _attach(parent, pointer, container, event, nodes, problems, spans)
            elif parent is not None:
                parent.key = None  # `<<: {...}` is merged when it ends
            stack.append(_Frame(container, pointer, event.start_mark.index, "map" if is_map else "seq",
                                key_start, key_end))
    except _LoadError as exc:
        problems.append(exc.problem)
        return Parsed(None, nodes, problems, False)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # from the character offset, not libyaml's line count, which runs past the end of a file that lacks
        # its final line break and counts NEL and U+2028 as line breaks (YAML 1.1) where editors do not
        index = min(mark.index, len(text)) if mark is not None else 0
        position = span(spans.line_starts, index, index + 1)
        if "maximum nesting depth" in str(exc.problem):  # libyaml 0.2.6+ has a nesting limit of its own
            deep = _flow_depth_exceeded(text)  # where medlint's own limit is crossed, as with libyaml 0.2.5
            problems.append(_too_deep(position if deep is None else span(spans.line_starts, deep, deep + 1)))
            return Parsed(None, nodes, problems, False)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem("syntax", f"invalid YAML: {message}", position,
                                "check the indentation, and quote text that contains ': ' or starts with a symbol"))
        return Parsed(None, nodes, problems, False)
    except yaml.YAMLError as exc:
        problems.append(Problem("syntax", f"invalid YAML: {exc}", Position(1, 1, 1, 1)))
        return Parsed(None, nodes, problems, False)
    return Parsed(root, nodes, problems, True)


def _duplicate(frame: _Frame, key: str, event: Any, problems: list[Problem], spans: _Spans) -> None:
    problems.append(Problem(
        "duplicate-key", f"the key `{quote(key)}` appears twice in this mapping (first on line "
                 f"{spans.line(frame.keys[key])}); YAML keeps only the last one, so the first value is "
                 "silently lost",
        spans.of(event), "merge the two entries into one", (*frame.pointer, key)))


def _is(event: object, cls: type) -> bool:
    return type(event) is cls  # a function, so that mypy does not narrow `event` to libyaml's stub types


def _attach(parent: _Frame, pointer: Pointer, value: Any, event: Any, nodes: dict[Pointer, NodeInfo],
            problems: list[Problem], spans: _Spans) -> None:
    if type(parent.value) is list:
        parent.value.append(value)
        return
    key = parent.key or ""
    parent.key = None
    if key == "<<" and _is(event, _ALIAS) and isinstance(value, (dict, list)):
        # YAML merge key: explicit keys win over merged ones, whichever comes first (written in place,
        # `<<: {...}` is merged by `parse` when it ends)
        del nodes[pointer]
        _merge(parent, value, pointer, event, nodes, problems, spans)
        return
    parent.value[key] = value


def _merge(parent: _Frame, value: Any, pointer: Pointer, event: Any, nodes: dict[Pointer, NodeInfo],
           problems: list[Problem], spans: _Spans) -> None:
    """Merge `value` (`<<: ` a mapping or a list of them, at `pointer`) into `parent`: explicit keys win over
    merged ones, whichever comes first; a merged value is located where it is written, else at `parent`."""
    sources = value if isinstance(value, list) else [value]
    for index, source in enumerate(sources):
        if not isinstance(source, dict):
            problems.append(Problem("syntax", "`<<` merges mappings only", spans.of(event)))
            continue
        written = (*pointer, index) if isinstance(value, list) else pointer
        for merged_key, merged_value in source.items():
            if merged_key not in parent.value:
                parent.value[merged_key] = merged_value
                parent.merged.add(merged_key)
                parent.keys.setdefault(merged_key, event.start_mark.index)
                nodes.setdefault((*parent.pointer, merged_key), nodes.get((*written, merged_key))
                                 or NodeInfo(event.start_mark.index, event.end_mark.index, "alias"))

