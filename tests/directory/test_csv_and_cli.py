"""CSV round trip, and the maintainer command line run as maintainers run it."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from directory import csv_io, oruk

ROOT = Path(__file__).resolve().parents[2]


def test_csv_export_imports_back_unchanged(directory):
    text = csv_io.to_string(oruk.export_plain(directory))
    rows = csv_io.read(io.StringIO(text))
    report = directory.load_services(rows, actor="test", action="import")
    assert report.created == [] and report.updated == [] and report.skipped == []


def test_csv_bad_rows_are_skipped_with_a_reason(directory):
    text = ("name,organization,source,area,phones\n"
            "Good Group,hbca,https://example.org/a,HX7,01422 392767\n"
            "Bad Phone,hbca,https://example.org/b,HX7,12345678\n"
            "No Source,hbca,,HX7,\n")
    report = directory.load_services(csv_io.read(io.StringIO(text)), actor="t", action="import")
    assert len(report.created) == 1
    reasons = dict(report.skipped)
    assert "not a valid UK number" in reasons["Bad Phone"]
    assert "source" in reasons["No Source"]


def signpost(*args, env_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": env_url, "SIGNPOST_ACTOR": "cli-test"}
    return subprocess.run([sys.executable, "-m", "cli", "directory", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_end_to_end(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert signpost("init", env_url=url).returncode == 0
    seeded = signpost("seed", env_url=url)
    assert seeded.returncode == 0 and "created" in seeded.stdout

    found = signpost("search", "--topic", "food", "--place", "hebden brige", "--json", env_url=url)
    results = json.loads(found.stdout)
    assert results[0]["name"] == "Calder Food Support" and results[0]["distance_miles"] < 1

    shown = json.loads(signpost("show", "samaritans", "--json", env_url=url).stdout)
    stale = signpost("update", "samaritans", "--version", str(shown["version"] + 5),
                     "--set", "description=Changed", env_url=url)
    assert stale.returncode == 3 and "changed by someone else" in stale.stderr
    ok = signpost("update", "samaritans", "--version", str(shown["version"]),
                  "--set", "description=Talk to someone any time.", env_url=url)
    assert ok.returncode == 0, ok.stderr
    history = signpost("show", "samaritans", "--history", env_url=url).stdout
    assert "update by cli-test" in history

    assert signpost("retire", "todmorden-foodbank", "--reason", "closed", env_url=url).returncode == 0
    assert "Todmorden Foodbank" not in signpost("search", "--topic", "food", "--place",
                                                "todmorden", env_url=url).stdout
    assert "due for review" in signpost("review-due", env_url=url).stdout

    out = tmp_path / "export.json"
    assert signpost("export", "--format", "oruk", "--output", str(out), env_url=url).returncode == 0
    imported = signpost("import", str(out), env_url=url)
    assert "0 created, 0 updated" in imported.stdout
    csv_text = signpost("export", "--format", "csv", env_url=url).stdout
    assert csv_text.startswith("id,organization,name")

    bad = signpost("add", "--set", "name=Nameless", "--set", "organization=hbca",
                   "--set", "source=not a url", "--set", "area=[HX7]", env_url=url)
    assert bad.returncode == 2 and "not a web address" in bad.stderr
