"""The CI workflow: it parses, its commands are the README's, and run here they build what it publishes."""

from __future__ import annotations

import glob
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
PULL_REQUEST = "42"
SETUP = "python3 -m venv .venv && .venv/bin/pip install -e . && "


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_steps(job: str) -> list[str]:
    steps = workflow()["jobs"][job]["steps"]
    return [step["run"].replace("${{ github.event.number }}", PULL_REQUEST) for step in steps if "run" in step]


def published_paths(job: str) -> list[str]:
    steps = workflow()["jobs"][job]["steps"]
    return [step["with"]["path"] for step in steps if step.get("uses", "").startswith("actions/upload-artifact")]


def test_workflow_triggers():
    data = workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads the key "on" as true
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]


def test_jobs_and_conditions():
    jobs = workflow()["jobs"]
    assert jobs["preview"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["main"]["if"] == "github.event_name == 'push'"


@pytest.mark.parametrize("job", ["preview", "main"])
def test_run_steps_are_readme_commands(job):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in run_steps(job):
        assert command in readme


def _run_here(commands: list[str], folder: Path) -> None:
    """Run the workflow's commands in a copy of the repository, with this interpreter instead of a new venv."""
    for command in commands:
        command = command.removeprefix(SETUP).replace(".venv/bin/python", shlex.quote(sys.executable))
        subprocess.run(command, shell=True, cwd=folder, check=True, capture_output=True, timeout=600)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    folder = tmp_path / "checkout"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return folder


def test_preview_steps_build_what_is_published(checkout):
    _run_here(run_steps("preview"), checkout)
    assert published_paths("preview") == ["site/"]
    page = BeautifulSoup((checkout / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert page.html["data-base"] == f"/pr-{PULL_REQUEST}/"
    assert not (checkout / "site" / "sitemap.xml").exists()


def test_main_steps_build_what_is_published(checkout):
    _run_here(run_steps("main"), checkout)
    assert published_paths("main") == ["site/", "dist/*.zip"]
    assert (checkout / "site" / "sitemap.xml").is_file()
    assert [Path(p).name for p in glob.glob(str(checkout / "dist" / "*.zip"))] == [
        "engineering-theses-and-dissertations-offline.zip"]
