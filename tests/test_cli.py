"""The command line imports only the command it runs, and `sitegen` exits with its code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(found.stdout.split())


def test_a_named_command_imports_only_its_module() -> None:
    modules = _imported_after("from sitegen.cli import build_parser; build_parser(['check'])")
    commands = {m for m in modules if m.startswith("sitegen.commands.")}
    assert commands == {"sitegen.commands.check"}


def test_help_lists_every_command_with_its_options() -> None:
    from sitegen.cli import COMMANDS, build_parser

    parser = build_parser()
    text = parser.format_help()
    assert all(name in text for name in COMMANDS)
    args = parser.parse_args(["build", "--out", "x"])  # every command configured
    assert args.out is not None and callable(args._run)


def test_the_program_exits_with_the_commands_code(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    run = [sys.executable, "-m", "sitegen.cli", "check", "--content", str(missing)]
    failed = subprocess.run(run, cwd=REPO, capture_output=True, text=True)
    assert failed.returncode != 0 and str(missing) in failed.stdout + failed.stderr
    help_run = subprocess.run([*run[:3], "--help"], cwd=REPO, capture_output=True, text=True)
    assert help_run.returncode == 0 and "COMMAND" in help_run.stdout


def test_a_missing_content_folder_stops_every_command_and_keeps_the_site(tmp_path: Path) -> None:
    """Run from the wrong folder, build would have made an empty site in place of the
    real one, and serve would have served it."""
    from sitegen.cli import main

    public = tmp_path / "public"
    public.mkdir()
    (public / "index.html").write_text("the site as it was", encoding="utf-8")
    missing = tmp_path / "content"
    places = ["--out", str(public), "--cache", str(tmp_path / "cache"), "--no-search"]
    for command in (["build", *places], ["serve", "--port", "0", *places], ["check"]):
        assert main([*command, "--content", str(missing)]) == 1, command[0]
    assert [p.name for p in public.iterdir()] == ["index.html"]
    assert (public / "index.html").read_text(encoding="utf-8") == "the site as it was"
    assert not (tmp_path / "cache").exists()


def test_a_missing_content_folder_is_named_with_what_to_do(tmp_path: Path, capsys) -> None:
    from sitegen.cli import main

    missing = tmp_path / "content"
    for command in (["build", "--out", str(tmp_path / "public")], ["check"]):
        main([*command, "--content", str(missing)])
        said = capsys.readouterr()
        text = said.out + said.err
        assert f"{missing}: " in text and "no such content folder" in text
        assert "give --content" in text
