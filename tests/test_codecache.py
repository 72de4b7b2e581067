"""iamready.codecache: dataclass methods compiled once and kept, giving the very classes @dataclass makes."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from iamready import codecache


@pytest.fixture
def fresh_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty table, no wheel table, the user cache in tmp_path, the hook installed for this test only."""
    monkeypatch.setenv("IAMREADY_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("IAMREADY_NO_CODE_CACHE", raising=False)
    from iamready.cache import cache_dir

    cache_dir.cache_clear()
    monkeypatch.setattr(codecache, "_table", {})
    monkeypatch.setattr(codecache, "_used", set())
    monkeypatch.setattr(codecache, "_loaded", {"wheel"})
    monkeypatch.setattr(codecache, "_compiled", {})
    monkeypatch.setattr(dataclasses, "exec", codecache._exec, raising=False)
    yield tmp_path
    cache_dir.cache_clear()


def make_point() -> type:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        label: str = "origin"
        tags: tuple[str, ...] = dataclasses.field(default=(), compare=False)

    return Point


def test_a_class_from_the_kept_code_is_the_class_dataclass_makes(fresh_table: Path) -> None:
    first = make_point()
    assert len(codecache._compiled) == 6  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    codecache.save()
    saved = fresh_table / codecache.NAME
    assert saved.is_file()

    codecache._table.clear()
    codecache._loaded.discard("user")
    codecache._compiled.clear()
    again = make_point()
    assert not codecache._compiled  # every method came from the user cache's table

    for cls in (first, again):
        p = cls(1, "a", ("t",))
        assert p == cls(1, "a", ("other",))  # tags do not take part in equality
        assert p != cls(2, "a")
        assert hash(p) == hash(cls(1, "a"))
        assert repr(p) == "make_point.<locals>.Point(x=1, label='a', tags=('t',))"
        assert cls(3).label == "origin"
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 5  # type: ignore[misc]
        with pytest.raises(TypeError):
            cls()  # x is required


def test_a_damaged_or_foreign_table_is_ignored_and_the_class_compiled(fresh_table: Path) -> None:
    target = fresh_table / codecache.NAME
    target.write_bytes(b"not a table at all")
    assert codecache.load(target) == {}
    other = codecache.dump({"x": b"y"}).replace(str(sys.hexversion).encode(), b"1")
    target.write_bytes(other)  # written by another interpreter
    assert codecache.load(target) == {}
    target.write_bytes(codecache.dump({"def f(): pass": b"\x00garbage"}))
    assert codecache.load(target) == {"def f(): pass": b"\x00garbage"}
    cls = make_point()  # the user table is read, holds nothing useful: compiled
    assert len(codecache._compiled) == 6
    assert cls(1) == cls(1)


def test_no_code_cache_setting_writes_nothing(fresh_table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAMREADY_NO_CODE_CACHE", "1")
    make_point()
    codecache.save()
    assert not (fresh_table / codecache.NAME).exists()


def test_an_entry_that_is_not_code_is_compiled_again(fresh_table: Path) -> None:
    make_point()
    texts = list(codecache._compiled)
    import marshal

    (fresh_table / codecache.NAME).write_bytes(codecache.dump({text: marshal.dumps(42) for text in texts}))
    codecache._table.clear()
    codecache._loaded.discard("user")
    codecache._compiled.clear()
    cls = make_point()  # a table whose entries unmarshal to something else than code: not executed
    assert len(codecache._compiled) == 6
    assert cls(1) == cls(1)
    codecache.save()  # and the user table is repaired
    assert all(
        isinstance(marshal.loads(v), type(make_point.__code__))
        for v in codecache.load(fresh_table / codecache.NAME).values()
    )
