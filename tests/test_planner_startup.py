"""The offline planner's start-up: what a fresh process reads instead of building again.

- The retrieval index and the named tables' column look-up are kept beside the schema cache
  (``<cache>-knowledge/``), keyed by the knowledge files' and the planner code's hash: a
  process that reads them plans exactly as one that built them, and a damaged or foreign
  file is built again and replaced.
- The offline planner's version (the schema cache key) is read without importing the planner
  (``planner/_stamp.py``); it still changes whenever a knowledge file's content changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from synth_magic import config
from synth_magic import planner as planners
from synth_magic.planner import _knowledge as K
from synth_magic.planner import _retrieve as R
from synth_magic.planner import _stamp as S
from synth_magic.planner.offline import OfflinePlanner, plan

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parent)


def _dev_descriptions() -> list[str]:
    cases = json.loads((HERE / "planner_real" / "dev.json").read_text(encoding="utf-8"))["cases"]
    return [c[style] for c in cases for style in ("short", "fields")]


@pytest.fixture(scope="module")
def kept_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kept files of the shipped knowledge, built once for this module's tests."""
    where = tmp_path_factory.mktemp("kept") / "cache"
    saved = os.environ.get("SYNTH_CACHE_DIR")
    os.environ["SYNTH_CACHE_DIR"] = str(where)
    try:
        K.reload()
        plan("sakila payments with amount and payment date")
        K.knowledge().table_columns.get(("amount",))
    finally:
        if saved is None:
            del os.environ["SYNTH_CACHE_DIR"]
        else:
            os.environ["SYNTH_CACHE_DIR"] = saved
        K.reload()
    return where.with_name("cache-knowledge")


@pytest.fixture
def fresh(isolated_env: Path, kept_once: Path):
    """The knowledge read again from kept files in the test's own cache folder, and forgotten afterwards."""
    shutil.copytree(kept_once, isolated_env.with_name(isolated_env.name + "-knowledge"))
    K.reload()
    yield
    K.reload()


def _kept(name: str) -> Path:
    found = sorted(p for p in K.cache_path().parent.glob(f"{name}-*.json"))
    assert len(found) == 1, found
    return found[0]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which builders run: the files read, the index and the column look-up built."""
    built: list[str] = []
    for module, name in ((R, "_index_data"), (K, "_table_columns")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name: built.append(_name) or _real(*a))
    real_loads = K.tomllib.loads
    monkeypatch.setattr(K.tomllib, "loads", lambda text: built.append("files") or real_loads(text))
    return built


def test_kept_and_built_knowledge_plan_every_dev_description_alike(monkeypatch):
    texts = _dev_descriptions()
    K.reload()
    built = _spy(monkeypatch)
    first = [plan(t).to_json() for t in texts]
    assert {"files", "_index_data", "_table_columns"} <= set(built)  # a new cache folder: everything built
    for name in ("index", "columns"):
        assert _kept(name).stat().st_size > 1000
    built.clear()
    K.reload()
    again = [plan(t).to_json() for t in texts]
    assert built == []  # read from the kept files, nothing built again
    assert again == first
    # the structures themselves, not only the plans they gave
    kept_idx = R.index()
    entries = [(e.dom.key, e.phrases, e.columns) for e in kept_idx.entries]
    K.reload()
    monkeypatch.setattr(S, "kept_path", lambda stem: None)  # no cache folder: built in memory only
    built_idx = R.index()
    assert [(e.dom.key, e.phrases, e.columns) for e in built_idx.entries] == entries
    assert dict(built_idx.postings) == dict(kept_idx.postings)
    assert dict(built_idx.column_postings) == dict(kept_idx.column_postings)
    assert dict(built_idx.column_idf) == dict(kept_idx.column_idf) and built_idx.idf == kept_idx.idf
    assert built_idx.known == kept_idx.known and built_idx.column_words == kept_idx.column_words
    K.reload()


def _rewrite(path: Path, body: bytes, head: dict | None = None) -> None:
    """A body under a header whose SHA-256 matches it: what only a foreign writer could make."""
    header = head or json.loads(path.read_bytes().partition(b"\n")[0])
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


# Every damage on one kept file (they share the reading); each file's own structure check on
# the others (the kept entries' other damages: test_planner_offline.py).
@pytest.mark.parametrize(("name", "damage"), [
    *(("index", d) for d in ("truncated", "other version", "edited", "not json", "foreign shape")),
    ("columns", "edited"), ("columns", "foreign shape"), ("knowledge", "foreign shape"),
])
def test_a_damaged_or_foreign_kept_file_is_built_again(fresh, monkeypatch, name, damage):
    before = plan("sakila payments with amount and payment date").to_json()
    R.index(), K.knowledge().table_columns.get(("amount",))
    path = _kept(name)
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "other version":
        head = json.loads(header)
        head["version"] = "0" * len(head["version"])
        _rewrite(path, body, head)
    elif damage == "edited":  # the SHA-256 no longer matches: never trusted
        at = len(body) // 2
        path.write_bytes(header + b"\n" + body[:at] + (b"1" if body[at:at + 1] == b"0" else b"0") + body[at + 1:])
    elif damage == "not json":
        path.write_bytes(b"\x80\x04 pickle?")
    elif damage == "foreign shape":
        _rewrite(path, json.dumps({"phrases": 5, "postings": [], "tables.toml": {}}).encode())
    K.reload()
    built = _spy(monkeypatch)
    assert plan("sakila payments with amount and payment date").to_json() == before
    R.index(), K.knowledge().table_columns.get(("amount",))
    expect = {"index": "_index_data", "columns": "_table_columns", "knowledge": "files"}[name]
    assert expect in built
    assert _kept(name).read_bytes().partition(b"\n")[0] == header  # written again, sound
    assert _kept(name).read_bytes() == data


def test_kept_text_that_points_nowhere_is_left_out(fresh):
    """A kept index of the right characters but places past the entries (a foreign writer's):
    the plan reads what is real and never fails on it."""
    before = plan("sakila payments").to_json()
    path = _kept("index")
    data = json.loads(path.read_bytes().partition(b"\n")[2])
    data["postings"] = {w: v + " 99999999" for w, v in data["postings"].items()}
    data["phrases"][0] = "x:nothing|" + data["phrases"][0]
    _rewrite(path, json.dumps(data).encode())
    cols = _kept("columns")
    found = json.loads(cols.read_bytes().partition(b"\n")[2])
    found = {k: v + " 99999999.0 0.99999999" for k, v in found.items()}
    _rewrite(cols, json.dumps(found).encode())
    K.reload()
    assert plan("sakila payments").to_json() == before
    assert R.index().postings["sakila"][-1] < len(R.index().entries)


def test_a_kept_named_table_is_read_only_when_a_plan_looks_at_it(fresh):
    plan("sakila payments")
    K.reload()
    kb = K.knowledge()
    plan("sakila payments")
    read = [t.key for t in kb.tables if "_domain" in t.__dict__]
    assert "sakila_payment" in read and len(read) < len(kb.tables) // 10, len(read)
    t = next(t for t in kb.tables if t.key == "sakila_payment")
    assert isinstance(t, K.Domain) and t.kind == "table" and "amount" in t.names


def test_the_kept_files_follow_the_planner_code(fresh, monkeypatch):
    """Kept data is keyed by the code that builds it too: another code hash builds again,
    and replaces the files of the other."""
    plan("sakila payments")
    K.reload()
    monkeypatch.setattr(S, "code_hash", lambda folder=None: "0123456789abcdef")
    built = _spy(monkeypatch)
    plan("sakila payments")
    assert "_index_data" in built and "_table_columns" in built
    for name in ("index", "columns"):  # the outdated files are removed: one of each is kept
        assert _kept(name).name.endswith("-0123456789abcdef.json")


def test_the_version_follows_the_planner_code(tmp_path):
    """A change to the planner's code alone changes the version (the schema cache key) too."""
    here = Path(S.__file__).resolve().parent
    same, edited = tmp_path / "same", tmp_path / "edited"
    for folder in (same, edited):
        folder.mkdir()
        for path in here.glob("*.py"):
            shutil.copy(path, folder / path.name)
    (edited / "offline.py").write_text((here / "offline.py").read_text() + "\n# a change\n")
    assert S.code_hash(same) == S.code_hash() and S.version().endswith("-" + S.code_hash())
    assert S.code_hash(edited) != S.code_hash()


# ------------------------------------------------------------------ the version, light


def test_the_registry_gives_the_version_without_importing_the_planner(isolated_env):
    code = (
        "import sys\n"
        "from synth_magic import config, planner\n"
        "p = planner.get_planner(config.settings())\n"
        "print(p.version)\n"
        "heavy = ['synth_magic.planner.offline', 'synth_magic.planner._knowledge', 'synth_magic.planner._retrieve',\n"
        "         'synth_magic.planner._lexicon', 'tomllib', 'numpy', 'pyarrow']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "SYNTH_CACHE_DIR": str(isolated_env)}
    for _ in range(2):  # the hash computed, then read from the kept stamp
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                             timeout=60).stdout.splitlines()
        assert out[0] == OfflinePlanner().version == f"{S.VERSION}-{K.version()}-{S.code_hash()}"
        assert out[1:] in ([], [""]), out


def test_the_registry_planner_plans_as_the_offline_planner():
    chosen = planners.get_planner(config.settings(planner="offline"))
    assert (chosen.name, chosen.model, chosen.version) == ("offline", "", OfflinePlanner().version)
    assert chosen.plan("bank customers").to_dict() == OfflinePlanner().plan("bank customers").to_dict()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the knowledge folder, its files' times a minute old (settled)."""
    copy = tmp_path / "knowledge"
    shutil.copytree(K.KNOWLEDGE, copy)
    _age(copy)
    return copy


def _age(folder: Path) -> None:
    for p in S.paths(folder):
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 60 * 10**9))


def _stamp_path(folder: Path) -> Path:
    return S.kept_path("files-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16])


def _hash_reading(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """The folder's hash, and how many knowledge files were read to get it."""
    read = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        if folder in self.parents:
            read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    try:
        return S.files_hash(folder), len(read)
    finally:
        monkeypatch.setattr(Path, "read_bytes", real)


def _full_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in S.paths(folder):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("change", ["same size edit", "longer", "new file", "removed file", "renamed file"])
def test_the_version_changes_whenever_a_knowledge_file_changes(folder, monkeypatch, change):
    first, read = _hash_reading(folder, monkeypatch)
    assert read > 10 and first == _full_hash(folder)
    assert _stamp_path(folder).exists()
    again, read = _hash_reading(folder, monkeypatch)
    assert (again, read) == (first, 0)  # the kept stamp: no file read
    rules = folder / "rules.toml"
    if change == "same size edit":
        text = rules.read_bytes()
        rules.write_bytes(text.replace(b"[", b"#", 1) if b"[" in text else text[:-1] + b"#")
    elif change == "longer":
        rules.write_bytes(rules.read_bytes() + b"\n# changed\n")
    elif change == "new file":
        (folder / "tables" / "zz_new.toml").write_text('[zz]\ntitle = "z"\ncolumns = ["a: integer"]\n')
    elif change == "removed file":
        next(iter(sorted((folder / "tables").glob("*.toml")))).unlink()
    elif change == "renamed file":
        one = next(iter(sorted((folder / "tables").glob("*.toml"))))
        one.rename(one.with_name("zz_" + one.name))
    changed, read = _hash_reading(folder, monkeypatch)
    assert read > 0 and changed != first and changed == _full_hash(folder)
    if change in ("same size edit", "longer", "new file"):  # a file just written is not trusted to the stamp
        assert _hash_reading(folder, monkeypatch)[1] > 0  # until it has settled; then kept again
    _age(folder)
    assert _hash_reading(folder, monkeypatch)[0] == changed
    assert _hash_reading(folder, monkeypatch) == (changed, 0)


@pytest.mark.parametrize("damage", ["truncated", "edited", "foreign shape", "other folder"])
def test_a_damaged_stamp_is_never_trusted(folder, monkeypatch, damage):
    first, _ = _hash_reading(folder, monkeypatch)
    path = _stamp_path(folder)
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    if damage == "truncated":
        path.write_bytes(data[:-5])
    elif damage == "edited":
        path.write_bytes(header + b"\n" + body.replace(first.encode(), b"0" * 16))
    elif damage == "foreign shape":
        _rewrite(path, json.dumps({"files": json.loads(body)["files"], "hash": 7}).encode())
    elif damage == "other folder":
        head = json.loads(header)
        head["version"] = "/elsewhere"
        path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    found, read = _hash_reading(folder, monkeypatch)
    assert found == first and read > 10
    assert _hash_reading(folder, monkeypatch) == (first, 0)  # written again


def test_the_schema_cache_key_follows_an_edited_knowledge_folder(folder, monkeypatch):
    """The registry's version (the cache key) for a knowledge folder, before and after an edit."""
    monkeypatch.setattr(S, "KNOWLEDGE", folder)
    S.version.cache_clear()
    try:
        chosen = planners.get_planner(config.settings(planner="offline"))
        before = chosen.version
        assert before == f"{S.VERSION}-{_full_hash(folder)}-{S.code_hash()}"
        (folder / "vocab.toml").write_bytes((folder / "vocab.toml").read_bytes() + b"\n")
        S.version.cache_clear()  # a new process
        assert chosen.version != before
    finally:
        S.version.cache_clear()
