"""Configuration: discovery, selection, severities, per-path ignores, options, and clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from medlint import config
from medlint.model import Severity
from medlint.rules.loading import SizeOptions


def _write(tmp_path: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_enable_every_rule(tmp_path: Path) -> None:
    cfg = config.load(start=tmp_path)
    assert "ML104" in cfg.rules.enabled and cfg.source == "defaults"


def test_discovered_from_a_subfolder(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.medlint]\nignore = ['ML104']\n")
    (tmp_path / "records").mkdir()
    cfg = config.load(start=tmp_path / "records")
    assert "ML104" not in cfg.rules.enabled and cfg.root == tmp_path.resolve()


def test_pyproject_without_a_medlint_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "[project]\nname='x'\n")
    assert config.load(start=tmp_path).source == "defaults"


def test_medlint_toml_select_by_prefix_name_and_family(tmp_path: Path) -> None:
    _write(tmp_path, "select = ['ML10', 'duplicate-key', 'meta']\n", "medlint.toml")
    cfg = config.load(start=tmp_path)
    assert {"ML101", "ML105", "ML002", "ML901"} <= cfg.rules.enabled and "ML001" not in cfg.rules.enabled


def test_cli_select_and_ignore_override(tmp_path: Path) -> None:
    cfg = config.load(start=tmp_path, select=["ML1"], ignore=["ML104"])
    assert "ML101" in cfg.rules.enabled and "ML104" not in cfg.rules.enabled and "ML002" not in cfg.rules.enabled


def test_severity_override_and_per_path_ignores(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.medlint.severity]\nML104 = 'warning'\n"
                     "[tool.medlint.per-path-ignores]\n'records/legacy/*' = ['ML10']\n")
    cfg = config.load(start=tmp_path)
    assert cfg.rules.severity_of("ML104") is Severity.WARNING
    assert not cfg.rules.is_enabled("ML104", "records/legacy/x.yaml")
    assert cfg.rules.is_enabled("ML104", "records/new/x.yaml")


def test_rule_options_by_name(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.medlint.rules.file-too-large]\nmax-bytes = 2000\n")
    assert config.load(start=tmp_path).rules.options_of("ML007") == SizeOptions(max_bytes=2000)


def test_docs_url_is_optional_and_kept_without_its_trailing_slash(tmp_path: Path) -> None:
    assert config.load(start=tmp_path).docs_url == ""
    _write(tmp_path, "[tool.medlint]\ndocs-url = 'https://git.internal/medlint/blob/4f2a9c1/docs/'\n")
    assert config.load(start=tmp_path).docs_url == "https://git.internal/medlint/blob/4f2a9c1/docs"


@pytest.mark.parametrize(("text", "words"), [
    ("[tool.medlint]\nselect = ['ML999']\n", "unknown rule(s) ML999"),
    ("[tool.medlint]\nselct = []\n", "unknown setting(s) selct"),
    ("[tool.medlint]\nselect = 'ML1'\n", "must be a list of strings"),
    ("[tool.medlint.severity]\nML104 = 'fatal'\n", "\"error\" or \"warning\""),
    ("[tool.medlint.rules.nope]\nx = 1\n", "names no rule"),
    ("[tool.medlint.rules.ML007]\nmax-size = 1\n", "has no option `max-size`"),
    ("[tool.medlint.rules.ML007]\nmax-bytes = 'big'\n", "must be int"),
    ("[tool.medlint\n", "invalid TOML"),
    ("[tool.medlint]\ndocs-url = 'docs/'\n", "`docs-url` must be the http(s) address"),
    ("[tool.medlint]\ndocs-url = 'javascript:alert(1)'\n", "`docs-url` must be"),
    ("[tool.medlint]\ndocs-url = 'https://host/docs?x=1'\n", "`docs-url` must be"),
    ("[tool.medlint]\ndocs-url = 'https://host/my docs'\n", "`docs-url` must be"),
    ("[tool.medlint]\ndocs-url = 'http://[::1/docs'\n", "`docs-url` must be"),
    ("[tool.medlint]\ndocs-url = 1\n", "`docs-url` must be"),
    ("[tool.medlint]\nignore = ['ML900']\n", "`ignore` names ML900 (internal-error), which cannot be turned off"),
    ("[tool.medlint]\nignore = ['internal-error']\n", "cannot be turned off or lowered"),
    ("[tool.medlint.severity]\nML900 = 'warning'\n", "`severity` names ML900"),
    ("[tool.medlint.per-path-ignores]\n'records/*' = ['ML900']\n", "per-path-ignores \"records/*\"` names ML900"),
])
def test_config_errors_are_clear(tmp_path: Path, text: str, words: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(config.ConfigError, match=None) as info:
        config.load(start=tmp_path)
    assert words in str(info.value)


def test_a_cache_dir_is_confined_to_the_project_or_the_user_cache(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository's config must not point medlint's writes (and its cache clean-up) at another folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "repo"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    assert config.build({"cache-dir": ".cache"}, root=root).cache_dir == str(root / ".cache")
    assert config.build({"cache-dir": str(tmp_path / "xdg/x")}, root=root).cache_dir == str(tmp_path / "xdg/x")
    for escaping in ("..", "../x", "/", "out/x", str(tmp_path / "xdg-not")):
        with pytest.raises(config.ConfigError, match="outside the project folder"):
            config.build({"cache-dir": escaping}, root=root)


def test_a_limits_dir_is_confined_to_the_project(tmp_path: Path) -> None:
    """Tables are read and quoted in findings: a repository's config must not have medlint read YAML files
    from elsewhere on the machine (CI logs are public), directly or through a folder link."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    (root / "inside").symlink_to(root / "formulary", target_is_directory=True)
    assert config.build({"limits-dir": "formulary/limits"}, root=root).limits_folder == root / "formulary/limits"
    assert config.build({"limits-dir": "inside/limits"}, root=root).limits_dir == "inside/limits"
    for escaping in ("..", "../other/limits", "/etc", "out/limits"):
        with pytest.raises(config.ConfigError, match=r"`limits-dir` .* outside the project folder"):
            config.build({"limits-dir": escaping}, root=root)


def test_a_baseline_is_confined_to_the_project(tmp_path: Path) -> None:
    """`medlint baseline` writes the file a config names: a pull request's config must not aim it elsewhere."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    assert config.build({"baseline": "ci/baseline.json"}, root=root).baseline == str(root / "ci/baseline.json")
    for escaping in ("../victim.json", "/etc/x.json", "out/x.json"):
        with pytest.raises(config.ConfigError, match=r"`baseline` .* outside the project folder"):
            config.build({"baseline": escaping}, root=root)
