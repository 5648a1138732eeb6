"""The locale pools kept in the cache directory (``synth_magic._pool_cache``).

- A fresh process that finds a locale's pools there makes the same frame without
  importing Faker.
- A damaged file (flipped byte, truncated, garbage, another schema) is built again and
  replaced, and the next process maps the sound file.
- Pools are kept per Faker version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from synth_magic import _pool_cache as P

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = pa.schema([("value", pa.large_string()), ("weight", pa.float64())])


def _fresh_process(code: str, cache_dir: Path) -> dict:
    env = {**os.environ, "SYNTH_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


_FRAME = (
    "import json, sys, hashlib\n"
    "from synth_magic.schema import Schema\n"
    "cols = [{'name': t, 'type': t} for t in ('full_name', 'email', 'company', 'city', 'street_address',"
    " 'phone', 'postcode', 'job_title', 'sentence', 'username')]\n"
    "df = Schema.from_dict({'locale': '%s', 'columns': cols}).generate(2000, seed=4)\n"
    "print(json.dumps({'faker': 'faker' in sys.modules, 'csv': hashlib.sha256(df.to_csv().encode()).hexdigest()}))\n"
)


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP"])
def test_a_fresh_process_with_kept_pools_does_not_import_faker(locale, tmp_path):
    first = _fresh_process(_FRAME % locale, tmp_path)
    again = _fresh_process(_FRAME % locale, tmp_path)
    assert first["faker"] is True  # it built the pools
    assert again["faker"] is False
    assert again["csv"] == first["csv"]
    assert list((tmp_path.parent / f"{tmp_path.name}-pools").glob(f"faker-*-{P.FORMAT}/{locale}/names-first.arrow"))


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flipped byte":  # inside the strings' data: the file still opens
        at = data.index(b"Ada")
        data[at] ^= 0x20
    elif how == "truncated":
        data = data[: len(data) // 2]
    elif how == "garbage":
        data = bytearray(b"not an arrow file" * 10)
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


def _table() -> pa.Table:
    return pa.table({"value": pa.array(["Ada", "Grace", "Hedy"] * 50, pa.large_string()),
                     "weight": [1.0, 2.5, 3.0] * 50}, schema=SCHEMA)


@pytest.mark.parametrize("how", ["flipped byte", "truncated", "garbage", "empty", "another schema"])
def test_a_damaged_pool_file_is_built_again_and_replaced(how, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path))
    builds = []

    def build() -> pa.Table:
        builds.append(1)
        return _table()

    def load() -> pa.Table:
        P._loaded.clear()  # as a new process would
        return P.load("xx_XX", "test-pool", SCHEMA, build)

    assert load().equals(_table()) and len(builds) == 1
    path = P.folder() / "xx_XX" / "test-pool.arrow"
    assert load().equals(_table()) and len(builds) == 1  # mapped from the file, not built
    if how == "another schema":
        other = pa.schema([("value", pa.large_string())])
        P._loaded.clear()
        path.unlink()
        P.load("xx_XX", "test-pool", other, lambda: pa.table({"value": pa.array(["x"], pa.large_string())}))
    else:
        _damage(path, how)
    assert load().equals(_table()) and len(builds) == 2  # seen, built again
    assert load().equals(_table()) and len(builds) == 2  # and the file replaced with a sound one
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_pools_are_kept_per_faker_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path))
    P._loaded.clear()
    P.load("xx_XX", "test-pool", SCHEMA, _table)
    installed = P.faker_version()
    monkeypatch.setattr(P, "faker_version", lambda: "0.0.1")
    builds = []
    P.load("xx_XX", "test-pool", SCHEMA, lambda: builds.append(1) or _table())
    assert builds == [1]
    assert sorted(p.name for p in P.folder().parent.iterdir()) == sorted(
        [f"faker-0.0.1-{P.FORMAT}", f"faker-{installed}-{P.FORMAT}"])


def test_a_cache_folder_that_cannot_be_written_still_gives_the_pool(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(blocked))
    P._loaded.clear()
    assert P.load("xx_XX", "test-pool", SCHEMA, _table).equals(_table())


def _keep(tmp_path, locale: str, name: str, values: list[str]) -> None:
    """Write a sound pool file (right schema, matching checksum) holding ``values``."""
    schema = pa.schema([("value", pa.large_string())])
    P._write(P.folder() / locale / f"{name}.arrow", pa.table({"value": pa.array(values, pa.large_string())}, schema))


def test_kept_files_are_data_never_names_looked_up(tmp_path, monkeypatch):
    """A sound but tampered pool file cannot make us look a name up on Faker, walk out of
    the cache folder, or fill a number format with anything but digits."""
    from synth_magic.generators import _pools as pools

    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path))
    P._loaded.clear()
    P.locales.cache_clear()
    _keep(tmp_path, "", "locales", ["en_US", "../../outside"])
    assert "../../outside" not in P.locales() and "de_DE" in P.locales()  # Faker's own list instead
    P.locales.cache_clear()
    _keep(tmp_path, "fr_FR", "formats-phone", ["##-##", "{{os.system}}", "+33 # ## ## ## ##"])
    pools.formats.cache_clear()
    assert pools.formats("fr_FR", "phone") == ("##-##", "+33 # ## ## ## ##")
    pools.formats.cache_clear()
    pools.template_part.cache_clear()
    from synth_magic import ConfigError

    with pytest.raises(ConfigError, match="^The kept address formats of fr_FR name a part Faker does not have"):
        pools.template_part("fr_FR", "binary")  # a Faker method, but not an address part
    pools.template_part.cache_clear()
