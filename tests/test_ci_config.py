"""The ready-to-use CI setups: the GitHub workflow and the GitLab example in docs/ci.md are valid for their
platforms (check-jsonschema's vendored schemas), and their check scripts work in a real repository."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
import yaml
from ci_support import GIT_ENV, REFERENCE, Repo, committed_source_tree
from support import BASE, ROOT

WORKFLOW = ROOT / "examples" / "content-repository" / ".github" / "workflows" / "medlint.yml"  # the template
OWN_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))  # what runs in medlint's repository
DOCS = ROOT / "docs" / "ci.md"
MEDLINT = shutil.which("medlint") or str(Path(sys.executable).parent / "medlint")
RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
# the content-repository form: medlint from its own git repository, pinned to a commit (docs/ci.md)
INSTALL = 'python -m pip install "git+<medlint-git-url>@<commit-sha>"'
UNREVIEWED_EDIT = ("duration: single infusion over 60 minutes", "duration: single infusion over 90 minutes")


def _valid_for(schema: str, path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _gitlab_example() -> str:
    match = re.search(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert match, "docs/ci.md has no GitLab CI example"
    return match.group(1)


def _script(lines: list[str]) -> str:
    """The check step of a CI script: everything but installing medlint, which the test environment has done
    (test_the_install_line_installs_medlint_from_a_commit runs the install line)."""
    installs = [line for line in lines if line.startswith("python -m pip install")]
    assert installs == [INSTALL]
    rest = [line for line in lines if line not in installs]
    assert len(rest) == 1 and "medlint check" in rest[0] and "${{" not in rest[0]
    return rest[0]


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["medlint"]["steps"]
    return steps


def test_workflow_is_valid_for_github() -> None:
    _valid_for("vendor.github-workflows", WORKFLOW)


@pytest.mark.parametrize("workflow", OWN_WORKFLOWS, ids=lambda path: path.name)
def test_medlints_own_workflows_run_here(workflow: Path) -> None:
    """The template installs medlint from a placeholder URL and commit: in medlint's own repository it
    would fail on every push. What runs here is valid, has no placeholder, and runs the README's tests."""
    _valid_for("vendor.github-workflows", workflow)
    text = workflow.read_text(encoding="utf-8")
    assert "<medlint-git-url>" not in text and "<commit-sha>" not in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runs = [step["run"].strip() for job in yaml.safe_load(text)["jobs"].values() for step in job["steps"]
            if "run" in step]
    assert runs and all(f"    {run}\n" in readme for run in runs)  # the README's commands, verbatim


CURRENT = {"actions/checkout": 6, "actions/setup-python": 6, "github/codeql-action/upload-sarif": 4}


@pytest.mark.parametrize("workflow", [WORKFLOW, *OWN_WORKFLOWS], ids=lambda path: path.name)
def test_actions_are_current_majors(workflow: Path) -> None:
    """The majors current when this was written (checkout v6 and setup-python v6: Node 24; upload-sarif v4,
    v3 being deprecated); pinned by major so that fixes arrive and breaking changes do not."""
    used = re.findall(r"uses: ([\w/-]+)@v(\d+)", workflow.read_text(encoding="utf-8"))
    assert used and all(int(major) >= CURRENT[action] for action, major in used), used


def test_docs_show_the_install_line_of_both_setups() -> None:
    assert f"```sh\n{INSTALL}\n```" in DOCS.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_install_line_installs_medlint_from_a_commit(tmp_path: Path) -> None:
    """The line as docs/ci.md says to fill it in: a git URL of medlint (here a local commit of this source
    tree) and a full commit sha. `--no-deps --target` keep the install out of this environment."""
    repo, sha = committed_source_tree(tmp_path / "medlint")
    line = INSTALL.replace("<medlint-git-url>", repo.path.as_uri()).replace("<commit-sha>", sha)
    site = tmp_path / "site"
    done = _run(f"{line.replace('python', shlex.quote(sys.executable), 1)} --quiet --no-deps --target {site}",
                tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    imported = subprocess.run([sys.executable, "-c", "import medlint.schema as s; print(s.packaged_schema_path())"],
                              env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp_path, capture_output=True,
                              text=True, check=True)
    assert Path(imported.stdout.strip()) == site / "medlint" / "schemas" / "record.schema.json"
    assert Path(imported.stdout.strip()).is_file()


def test_gitlab_example_is_valid_for_gitlab(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text(_gitlab_example(), encoding="utf-8")
    _valid_for("vendor.gitlab-ci", tmp_path / ".gitlab-ci.yml")


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone whose feature branch edits a dose without a new review, as a CI job checks it out."""
    origin = Repo(tmp_path / "origin")
    origin.write(RECORD, BASE)
    origin.commit("a reviewed record")
    clone = origin.clone(tmp_path / "clone")
    clone.git("checkout", "-q", "-b", "feature")
    clone.write(RECORD, BASE.replace(*UNREVIEWED_EDIT))
    clone.commit("a longer infusion")
    return clone.path


def _run(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **GIT_ENV, "HOME": str(cwd.parent), "XDG_CACHE_HOME": str(cwd.parent / "cache"),
                   "PATH": os.pathsep.join([str(Path(MEDLINT).parent), os.environ["PATH"]]), **env}
    return subprocess.run(["bash", "-euc", script], cwd=cwd, env=environment, capture_output=True, text=True,
                          check=False)


def _sarif(folder: Path) -> dict[str, Any]:
    sarif: dict[str, Any] = json.loads((folder / "medlint.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads((REFERENCE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
                               ).validate(sarif)
    return sarif


def test_github_check_step_gates_a_pull_request(pull_request: Path) -> None:
    steps = _steps()
    check = next(step for step in steps if step.get("name") == "Check records")
    scanning = next(step for step in steps if "code scanning" in step.get("name", "") and "run" in step)
    assert _script([step["run"].strip() for step in steps if "run" in step and step is not scanning]) == \
        check["run"].strip()
    summary = pull_request.parent / "step-summary.md"
    done = _run(check["run"], pull_request, BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary),
                GITHUB_SERVER_URL="https://github.com", GITHUB_REPOSITORY="org/content", GITHUB_SHA="abc123")
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0].startswith(f"::error file={RECORD},")
    assert "title=ML507 content-changed-without-review::content changed without a new review" in annotations[0]
    assert f"https://github.com/org/content/blob/abc123/{RECORD}#L" in summary.read_text(encoding="utf-8")
    # code scanning gets every record, under the category of the runs on main: no alert elsewhere is closed
    assert not (pull_request / "medlint.sarif").exists()
    assert "pull_request" in scanning["if"] and "always()" in scanning["if"]
    scanned = _run(scanning["run"], pull_request)
    assert scanned.returncode == 0 and scanned.stdout == ""
    run = _sarif(pull_request)["runs"][0]
    assert run["results"] == [] and "automationDetails" not in run  # the clean record, in full; ML507 gates only

    (pull_request / "medlint.sarif").unlink()
    pushed = _run(check["run"], pull_request, BASE_REF="", GITHUB_STEP_SUMMARY=str(summary))  # a push: all
    assert pushed.returncode == 0, pushed.stderr
    assert "automationDetails" not in _sarif(pull_request)["runs"][0]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["category"] == "medlint"


def test_a_changed_since_sarif_has_its_own_category(pull_request: Path) -> None:
    """Uploaded by mistake, SARIF of only the changed records still cannot close the other files' alerts."""
    done = _run('medlint check --changed-since main --output-format sarif --output medlint.sarif',
                pull_request)
    assert done.returncode == 1, done.stderr
    assert _sarif(pull_request)["runs"][0]["automationDetails"] == {"id": "medlint-changed-since/"}


def test_gitlab_script_gates_a_merge_request(pull_request: Path) -> None:
    job = yaml.safe_load(_gitlab_example())["medlint"]
    done = _run(_script(job["script"]), pull_request, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
                CI_PROJECT_URL="https://gitlab.example/g/p", CI_COMMIT_SHA="f00")
    assert done.returncode == 1, done.stderr
    reports = job["artifacts"]["reports"]
    junit = pull_request / reports["junit"]
    xmlschema.XMLSchema(str(REFERENCE / "junit-ant.xsd")).validate(str(junit))
    assert [case.get("name") for case in ET.parse(junit).getroot().iter("testcase")] == \
        ["ML507 content-changed-without-review"]
    issues = json.loads((pull_request / reports["codequality"]).read_text(encoding="utf-8"))
    assert [(i["check_name"], i["location"]["path"]) for i in issues] == [("ML507", RECORD)]
    summary = pull_request / job["artifacts"]["paths"][0]
    assert "https://gitlab.example/g/p/-/blob/f00/" in summary.read_text(encoding="utf-8")
