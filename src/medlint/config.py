"""Find and validate `[tool.medlint]` (pyproject.toml) or `medlint.toml`; the result is a frozen Config."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .errors import UserError
from .model import Severity
from .rules import BUILTIN
from .rules.base import Option, Rule
from .rules.loading import FILE_TOO_LARGE
from .rules.registry import Registry
from .ruleset import DEFAULT as DEFAULT_RULES, INTERNAL_ERROR, RuleSet
from .suggest import did_you_mean


class ConfigError(UserError):
    """A configuration the user must correct: reported as one clear message, exit code 2."""


DEFAULT_MAX_FINDINGS = 100


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)
    source: str = "defaults"
    rules: RuleSet = DEFAULT_RULES  # the rules of the run: compile_rules
    schema: str = ""  # "" means the packaged schema
    cache_dir: str = ""  # absolute, in `root` or user_cache_home(); "" means the user's cache folder (cache.py)
    docs_url: str = ""  # where medlint's docs/ folder is published; "" means nowhere, so reports link to no docs
    limits_dir: str = "limits"  # the dose-limit tables, relative to `root` (docs/limits.md)
    require_limits: bool = False  # a record with no dose-limit table entry is an error (ML806)
    max_findings_per_rule: int = DEFAULT_MAX_FINDINGS  # per file; the rest become one summary finding (0: all)
    exclude: tuple[str, ...] = ()  # globs of files and folders never checked (`exclude`), as ruff's
    baseline: str = ""  # the baseline file `check` and `report` apply without --baseline; "" means none
    styles_digest: str = ""  # of the editors' own rules' files and plugins (medlint.styles); "" none

    @property
    def max_file_bytes(self) -> int:
        """The largest file read as a record (option `max-bytes` of ML007 file-too-large)."""
        return int(self.rules.options_of(FILE_TOO_LARGE.code).max_bytes)

    def key(self) -> str:
        """Everything that changes findings, for cache keys."""
        return repr((self.rules.key(), self.schema, self.limits_dir, self.require_limits, self.max_findings_per_rule)
                    + ((self.styles_digest,) if self.styles_digest else ()))

    @property
    def limits_folder(self) -> Path:
        return self.root / self.limits_dir


STYLE_SETTINGS = (("styles", "styles"), ("vale-styles", ""))  # the rule folders' settings, and their defaults
_KEYS = {"select", "ignore", "extend-select", "severity", "per-path-ignores", "rules", "schema", "cache-dir",
         "docs-url", "limits-dir", "require-limits", "max-findings-per-rule", "exclude", "baseline", "styles",
         "vale-styles", "plugins"}


def find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for name in ("medlint.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name == "medlint.toml" or "[tool.medlint" in _read(candidate)):
                return candidate
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load(path: Path | None = None, *, start: Path | None = None, select: list[str] | None = None,
         ignore: list[str] | None = None, extra_rules: Sequence[Rule] = ()) -> Config:
    """Read the config (explicit path, else discovered from `start`) and apply CLI selections on top."""
    if path is None:
        path = find((start or Path.cwd()).resolve())
    table: dict[str, Any] = {}
    root = (start or Path.cwd()).resolve()
    source, text = "defaults", ""
    if path is not None:
        table, text = _read_table(path)
        root, source = path.parent.resolve(), str(path)
    return build(table, root=root, source=source, select=select, ignore=ignore, text=text, extra_rules=extra_rules)


def _read_table(path: Path) -> tuple[dict[str, Any], str]:
    """medlint's settings in the config file at `path`, and the file's text."""
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return (document.get("tool", {}).get("medlint", {}) if path.name == "pyproject.toml" else document), text


def style_folders(path: Path | None, start: Path) -> tuple[Path, ...]:
    """The folders of rule files that the config at `path` (None: none, from `start`) reads, as `load`
    resolves them, for the language server to watch; none where the config cannot be read (`load` says why)."""
    try:
        table, _ = _read_table(path) if path is not None else ({}, "")
    except ConfigError:
        return ()
    root = path.parent.resolve() if path is not None else start.resolve()
    return tuple(Path(os.path.realpath(root / value)) for setting, default in STYLE_SETTINGS
                 if isinstance(value := table.get(setting, default), str) and value)


class _Where(NamedTuple):
    """Where settings come from, to say so in an error: the config file (and the line, found in its text)."""

    name: str
    text: str = ""

    def at(self, *needles: str) -> str:
        """The file, and the line of the first of `needles` quoted as a TOML string or key (if found), from
        medlint's table on (a pyproject.toml has other tools' tables, with keys of the same names)."""
        lines = self.text.splitlines()
        first = next((i for i, line in enumerate(lines) if line.startswith("[tool.medlint")), 0)
        for number, line in enumerate(lines[first:], start=first + 1):
            stripped = line.strip()
            if any(f'"{needle}"' in line or f"'{needle}'" in line or stripped.startswith((f"{needle} ", f"{needle}="))
                   or (stripped.startswith("[") and stripped.endswith(f".{needle}]")) for needle in needles):
                return f"{self.name}, line {number}"
        return self.name


def build(table: Mapping[str, Any], *, root: Path, source: str = "defaults", select: list[str] | None = None,
          ignore: list[str] | None = None, text: str = "", extra_rules: Sequence[Rule] = ()) -> Config:
    """`select`/`ignore` come from the command line (--select, --ignore) and replace or extend the file's;
    `extra_rules` join the built-in ones for this run (house rules, plugins)."""
    where = _Where(f"{source} [tool.medlint]" if source.endswith("pyproject.toml") else source, text)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        hint = did_you_mean(unknown[0], _KEYS)
        raise ConfigError(f"{where.at(*unknown)}: unknown setting(s) {', '.join(unknown)}; "
                          + (hint or f"known: {', '.join(sorted(_KEYS))}"))
    styles = _styles(where, table, root)
    try:
        registry = BUILTIN.extended((*extra_rules, *styles.rules))
    except ValueError as exc:
        raise ConfigError(f"{where.name}: {exc}") from None
    rule_set = compile_rules(registry, table, where, select, ignore)
    schema = table.get("schema", "")
    cache_dir = table.get("cache-dir", "")
    accepted = table.get("baseline", "")
    for name, value in (("schema", schema), ("cache-dir", cache_dir), ("baseline", accepted)):
        if not isinstance(value, str):
            raise ConfigError(f"{where.at(name)}: `{name}` must be a string path")
    limits_dir = table.get("limits-dir", "limits")
    if not isinstance(limits_dir, str) or not limits_dir.strip():
        raise ConfigError(f"{where.at('limits-dir')}: `limits-dir` must be a folder path (a string)")
    require_limits = table.get("require-limits", False)
    if not isinstance(require_limits, bool):
        raise ConfigError(f"{where.at('require-limits')}: `require-limits` must be true or false, "
                          f"not {require_limits!r}")
    if schema:
        schema = str((root / schema).resolve())
    most = table.get("max-findings-per-rule", DEFAULT_MAX_FINDINGS)
    if type(most) is not int or most < 0:
        raise ConfigError(f"{where.at('max-findings-per-rule')}: `max-findings-per-rule` must be a whole number, "
                          f"0 for no limit, not {most!r}")
    if cache_dir:
        cache_dir = _confined(where, "cache-dir", cache_dir, root / Path(cache_dir).expanduser(), root,
                              "a config may keep medlint's cache only there (to use another folder, pass --cache-dir)",
                              user_cache=True)
    # tables are read, and quoted in findings: a config may not publish files from elsewhere
    _confined(where, "limits-dir", limits_dir, root / limits_dir, root,
              "medlint reads dose-limit tables only from the project")
    if accepted:  # `medlint baseline` writes it: a config may not point that write at another's file
        _confined(where, "baseline", accepted, root / accepted, root, "a config may keep its baseline only there "
                  "(to use another file, pass --baseline or --output)")
    return Config(root=root, source=source, rules=rule_set, schema=schema, cache_dir=cache_dir,
                  docs_url=_docs_url(where, table.get("docs-url", "")), limits_dir=limits_dir,
                  require_limits=require_limits, max_findings_per_rule=most,
                  exclude=tuple(_strings(where, table, "exclude")), baseline=str(root / accepted) if accepted else "",
                  styles_digest=styles.digest)


def _styles(where: _Where, table: Mapping[str, Any], root: Path) -> Any:
    """The editors' own rules (`styles`, `vale-styles`, installed plugins), compiled once for the run, and
    the digest of what they were compiled from, for cache keys (medlint.styles.Styles)."""
    from . import styles  # rule files, jsonschema and entry points cost nothing to a project without them

    folders: dict[str, Path | None] = {}
    for setting, default in STYLE_SETTINGS:
        value = table.get(setting, default)
        if not isinstance(value, str):
            raise ConfigError(f"{where.at(setting)}: `{setting}` must be a folder path (a string)")
        folders[setting] = Path(_confined(where, setting, value, root / value, root, "medlint reads rule files "
                                          "only from the project")) if value else None
    use_plugins = table.get("plugins", True)
    if not isinstance(use_plugins, bool):
        raise ConfigError(f"{where.at('plugins')}: `plugins` must be true or false, not {use_plugins!r}")
    return styles.compile_styles(folders["styles"], folders["vale-styles"], BUILTIN.rules, use_plugins)


def compile_rules(registry: Registry, table: Mapping[str, Any], where: _Where, select: list[str] | None = None,
                  ignore: list[str] | None = None) -> RuleSet:
    """The run's rule set from the configuration's rule settings (`select`, `ignore`, `extend-select`,
    `severity`, `per-path-ignores`, `[rules.*]` options) and the command line's --select and --ignore:
    every selector must name a rule of `registry`, and every option have its declared type."""
    command_line = _Where("the command line")
    enabled = (_codes(registry, command_line, "--select", select, True) if select else
               _codes(registry, where, "select", _strings(where, table, "select") or ["ALL"], True))
    enabled |= _codes(registry, where, "extend-select", _strings(where, table, "extend-select"), True)
    ignored = _strings(where, table, "ignore")
    _always_on(registry, where, "ignore", ignored)
    _always_on(registry, command_line, "--ignore", ignore or [])
    enabled -= _codes(registry, where, "ignore", ignored)
    enabled -= _codes(registry, command_line, "--ignore", ignore or [])
    severity: dict[str, Severity] = {}
    for key, value in _table(where, table, "severity").items():
        if value not in ("error", "warning"):
            raise ConfigError(f"{where.at(key)}: severity of `{key}` must be \"error\" or \"warning\", "
                              f"not {value!r}")
        if value == "warning":
            _always_on(registry, where, "severity", [key])
        for code in _codes(registry, where, "severity", [key]):
            severity[code] = Severity(value)
    per_path = tuple((pattern, frozenset(_codes(registry, where, "per-path-ignores", _list(where, pattern, codes))))
                     for pattern, codes in _table(where, table, "per-path-ignores").items())
    for pattern, codes in _table(where, table, "per-path-ignores").items():
        _always_on(registry, where, f"per-path-ignores \"{pattern}\"", codes)
    options: dict[str, Any] = {}
    for key, values in _table(where, table, "rules").items():
        rule = registry.lookup(key)
        if rule is None:
            hint = registry.suggestion(key)
            raise ConfigError(f"{where.at(key)}: [rules.{key}] names no rule; "
                              + (hint or "see `medlint rules`"))
        if not isinstance(values, dict):
            raise ConfigError(f"{where.at(key)}: [rules.{key}] must be a table of options")
        known = {option.name: option for option in rule.option_list()}
        given: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                hint = did_you_mean(name, known) or f"options: {', '.join(known) or 'none'}"
                raise ConfigError(f"{where.at(name)}: rule {rule.code} ({rule.name}) has no option `{name}`; "
                                  f"{hint}")
            given[known[name].attribute] = _option_value(where, rule, known[name], value)
        options[rule.code] = rule.options(**given)
    return RuleSet(registry, frozenset(enabled), severity, options, per_path)


def _option_value(where: _Where, rule: Rule, option: Option, value: Any) -> Any:
    """`value` as the option's type, or a ConfigError: a list becomes a tuple, a whole number a float."""
    kind = option.kind
    if kind is float and type(value) in (int, float):
        return float(value)
    if type(value) is kind:
        return value
    if kind == tuple[str, ...] and type(value) is list:
        if all(type(item) is str for item in value):
            return tuple(value)
        raise ConfigError(f"{where.at(option.name)}: option `{option.name}` of {rule.name} must be a list of strings, "
                          f"not {value!r}")
    raise ConfigError(f"{where.at(option.name)}: option `{option.name}` of {rule.name} must be "
                      f"{type(option.default).__name__}, not {type(value).__name__} ({value!r})")


def _docs_url(where: _Where, value: Any) -> str:
    """The published docs/ folder, without a trailing slash: an absolute http(s) address, or nothing."""
    if value == "":
        return ""
    try:  # no spaces or control characters: the address goes verbatim into reports
        parts = urlsplit(value) if isinstance(value, str) and value.isprintable() and " " not in value else None
    except ValueError:  # such as an unclosed IPv6 bracket
        parts = None
    if parts and parts.scheme in ("http", "https") and parts.netloc and not (parts.query or parts.fragment):
        return str(value).rstrip("/")
    raise ConfigError(f"{where.at('docs-url')}: `docs-url` must be the http(s) address where medlint's docs/ folder is "
                      f"published (reports link to rules.md there), such as https://<host>/<path>/docs; "
                      f"not {value!r}")


def _always_on(registry: Registry, where: _Where, setting: str, selectors: list[str]) -> None:
    """A setting that names ML900 itself (not a family or prefix that holds it) is a mistake to point out."""
    for selector in selectors:
        rule = registry.lookup(selector)
        if rule is not None and rule.code == INTERNAL_ERROR:
            raise ConfigError(f"{where.at(selector)}: `{setting}` names {rule.code} ({rule.name}), which cannot be "
                              "turned off or lowered: it reports a rule that crashed and checked nothing")


def user_cache_home() -> Path:
    """The user's cache folder (XDG): where medlint's cache lives unless told otherwise."""
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"))


def _confined(where: _Where, setting: str, value: str, path: Path, root: Path, why: str,
              user_cache: bool = False) -> str:
    """`path` (what the setting `value` names) with links resolved, where it lies in the project folder (or,
    with `user_cache`, in the user's cache folder); a ConfigError elsewhere: a pull request's config must not
    point medlint's reads or writes at the machine's other files. The command line is not confined."""
    resolved = Path(os.path.realpath(path))
    bounds = [("the project folder", Path(os.path.realpath(root)))]
    if user_cache:
        bounds.append(("the user cache folder", Path(os.path.realpath(user_cache_home()))))
    if not any(resolved.is_relative_to(bound) for _, bound in bounds):
        places = " and ".join(f"{label} ({bound})" for label, bound in bounds)
        raise ConfigError(f"{where.at(setting)}: `{setting}` {value!r} is {resolved}, outside {places}; {why}")
    return str(resolved)


def _codes(registry: Registry, where: _Where, setting: str, selectors: list[str], selecting: bool = False) -> set[str]:
    codes, unknown = registry.expand(selectors, selecting)
    if unknown:
        hint = registry.suggestion(unknown[0])
        raise ConfigError(f"{where.at(*unknown)}: `{setting}` names unknown rule(s) {', '.join(unknown)}; "
                          + (hint or "use a code (ML301), a name (error-prone-unit), a prefix (ML3) or a family; "
                                     "`medlint rules` lists them"))
    return codes


def _strings(where: _Where, table: Mapping[str, Any], key: str) -> list[str]:
    return _list(where, key, table.get(key, []))


def _list(where: _Where, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where.at(key)}: `{key}` must be a list of strings")
    return value


def _table(where: _Where, table: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where.at(key)}: `{key}` must be a table")
    return value
