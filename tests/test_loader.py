"""The loader's own guarantees, beyond the bad-file cases."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

from journeycode import loader
from journeycode.compiler import check as check_all
from journeycode.problems import Result


def check(root: Path, display: str | None = None) -> Result:
    """Only what the loader and the schema say: these tests are about reading files."""
    result = check_all(root, display)
    return Result.of((p for p in result.problems if p.rule in ("load", "schema")), result.files)


# YAML 1.2 core schema: what each plain scalar becomes.
SCALARS: list[tuple[str, Any]] = [
    ("true", True),
    ("False", False),
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("~", None),
    ("null", None),
    ("", None),
    ("0755", 755),
    ("0o17", 15),
    ("0x1F", 31),
    ("-12", -12),
    ("+3", 3),
    ("1.5", 1.5),
    ("1e3", 1000.0),
    ("-.inf", -math.inf),
    ("2026-10-15", "2026-10-15"),
    ("12:30", "12:30"),
    ("24/7", "24/7"),
    ("1_000", "1_000"),
    (".5.", ".5."),
]


@pytest.mark.parametrize(("text", "value"), SCALARS)
def test_plain_scalars_follow_yaml_1_2(text: str, value: Any) -> None:
    assert loader.parse(f"key: {text}\n")[0] == {"key": value}


def test_nan() -> None:
    assert math.isnan(loader.parse("key: .nan\n")[0]["key"])


def test_quoted_scalars_stay_text() -> None:
    assert loader.parse("a: 'true'\nb: \"12\"\nc: |\n  no\n")[0] == {
        "a": "true",
        "b": "12",
        "c": "no\n",
    }


def test_keys_are_always_text() -> None:
    assert loader.parse("1: a\ntrue: b\nnull: c\n")[0] == {"1": "a", "true": "b", "null": "c"}


def test_positions_of_keys_and_values() -> None:
    text = "journey:\n  id: billing\n  stages:\n    - id: notice\n      name: Notice\n"
    _, positions = loader.parse(text)
    assert positions.locate(("journey", "id")) == (2, 7)
    assert positions.locate(("journey", "id"), key=True) == (2, 3)
    assert positions.locate(("journey", "stages", 0, "name")) == (5, 13)
    # A pointer into something missing lands on the nearest existing ancestor.
    assert positions.locate(("journey", "stages", 0, "missing", 3)) == (4, 7)


@pytest.mark.parametrize(
    ("text", "at", "first"),
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", (4, 3), 3),
        ("l:\n  - x: 1\n  - {y: [1, {z: 2}], q: 1, y: 3}\n", (3, 28), 3),
        ("a: {b: 1}\nc:\n  - - d: 1\n      e: 2\n      d: 3\n", (5, 7), 3),
    ],
)
def test_duplicate_key_names_both_lines(text: str, at: tuple[int, int], first: int) -> None:
    with pytest.raises(loader.LoadError) as caught:
        loader.parse(text)
    assert (caught.value.line, caught.value.col) == at
    assert f"first on line {first}, again on line {at[0]}" in caught.value.message


def test_messages_never_echo_other_lines(workspace: Path) -> None:
    secret = "password-of-the-ceo"
    (workspace / "leak.yaml").write_text(f"owners:\n  - {{id: a, name: [\n# {secret}\n", "utf-8")
    result = check(workspace)
    assert result.problems
    assert all(secret not in (p.message + (p.hint or "")) for p in result.problems)


def test_symlinks_are_refused(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("owners: [{id: a, name: A}]\n", "utf-8")
    (workspace / "linked.yaml").symlink_to(outside / "secret.yaml")
    (workspace / "linked-folder").symlink_to(outside)

    result = check(workspace, "maps")

    assert [(p.location, p.message) for p in result.problems] == [
        ("maps/linked-folder:1:1", "symlinks are not followed"),
        ("maps/linked.yaml:1:1", "symlinks are not followed"),
    ]


def test_hidden_folders_settings_and_other_files_are_not_maps(workspace: Path) -> None:
    (workspace / ".git").mkdir()
    (workspace / ".git" / "x.yaml").write_text("not: [valid\n", "utf-8")
    (workspace / "journeycode.yaml").write_text("rules: {}\n", "utf-8")
    (workspace / "notes.txt").write_text("{{{", "utf-8")
    (workspace / "sub").mkdir()
    (workspace / "sub" / "journeycode.yaml").write_text("owners: [{id: a, name: A}]\n", "utf-8")
    (workspace / "b.yml").write_text("owners: [{id: b, name: B}]\n", "utf-8")

    result = check(workspace, "maps")

    assert result.problems == ()
    assert result.files == ("maps/b.yml", "maps/sub/journeycode.yaml")


def test_byte_order_mark_is_accepted(workspace: Path) -> None:
    (workspace / "bom.yaml").write_bytes("\ufeffowners: [{id: a, name: Å}]\n".encode())
    assert check(workspace).problems == ()


def test_unreadable_file_is_a_problem_not_a_crash(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where mode 000 does not stop a read: fail the open itself.
    target = workspace / "locked.yaml"
    target.write_text("owners: []\n", "utf-8")
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    result = check(workspace, "maps")
    assert [p.message for p in result.problems] == ["cannot read the file: Permission denied"]


def test_a_folder_that_cannot_be_listed_is_an_error(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "ok.yaml").write_text("owners: [{id: a, name: A}]\n", "utf-8")
    (workspace / "locked").mkdir()
    (workspace / "locked" / "broken.yaml").write_text("owners: [\n", "utf-8")
    real_scandir = os.scandir

    def refusing_scandir(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    result = check(workspace, "maps")
    assert [(p.location, p.message) for p in result.problems] == [
        ("maps/locked:1:1", "cannot read the folder: Permission denied")
    ]
    assert result.exit_code() == 1


def test_a_named_pipe_is_refused_without_waiting_on_it(workspace: Path) -> None:
    (workspace / "ok.yaml").write_text("owners: [{id: a, name: A}]\n", "utf-8")
    os.mkfifo(workspace / "pipe.yaml")
    (workspace / "folder.yaml").mkdir()
    result = check(workspace, "maps")
    assert [(p.location, p.message) for p in result.problems] == [
        ("maps/pipe.yaml:1:1", "not a regular file (a named pipe); it is not read")
    ]


@pytest.mark.parametrize("shape", ["list", "mapping"])
def test_locating_every_item_of_a_long_container_is_linear(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each locate costs O(depth): locating all n items touches O(n) subtrees,
    not O(n²) as when every locate re-summed the sizes of the earlier items."""
    n = 2000
    if shape == "list":
        text = "items:\n" + "".join(f"  - {{id: i{i}, tags: [a, b]}}\n" for i in range(n))
        pointers: list[loader.Pointer] = [("items", i, "id") for i in range(n)]
    else:
        text = "items:\n" + "".join(f"  k{i}: [a, b]\n" for i in range(n))
        pointers = [("items", f"k{i}", 1) for i in range(n)]
    _, positions = loader.parse(text)
    calls = 0
    size = loader.Positions._size

    def counted(self: loader.Positions, node: Any) -> int:
        nonlocal calls
        calls += 1
        return size(self, node)

    monkeypatch.setattr(loader.Positions, "_size", counted)
    found = [positions.locate(p) for p in pointers]
    assert found[-1][0] == n + 1 and found[0][0] == 2
    assert calls <= 10 * n
