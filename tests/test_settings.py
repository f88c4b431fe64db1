"""Every setting is read from its IMR_* variable and defaults to what the README's table says;
`imr settings` shows each value and where it came from."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from rag.config import Settings
from rag.errors import SettingsError

from .conftest import REPO
from .processes import imr

# A value other than the default for each variable, as a user would write it.
OTHER = {
    "IMR_INDEX_DIR": "/srv/imr/index",
    "IMR_MODEL_NAME": "hashing",
    "IMR_CHUNK_TOKENS": "150",
    "IMR_CHUNK_OVERLAP": "16",
    "IMR_TOP_K": "7",
    "IMR_BATCH_SIZE": "32",
    "IMR_RETRIEVAL_MODE": "bm25",
    "IMR_HOST": "127.0.0.2",
    "IMR_PORT": "8123",
    "IMR_MAX_QUERY_CHARS": "300",
    "IMR_MAX_BODY_BYTES": "4096",
    "IMR_RATE_LIMIT_PER_MINUTE": "30",
    "IMR_REQUEST_TIMEOUT_S": "2.5",
    "IMR_LOG_QUERIES": "true",
    "IMR_HEADER_TIMEOUT_S": "5",
    "IMR_MAX_CONNECTIONS": "50",
    "IMR_TRUSTED_PROXIES": "10.0.0.1",
    "IMR_PARSE_BUDGET_S": "2.5",
    "IMR_MAX_LETTER_BYTES": "1000000",
}


def readme_defaults() -> dict[str, str]:
    """{variable: default} from the README's Settings table (the first `code` of a cell)."""
    text = (REPO / "README.md").read_text()
    table = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    defaults = {}
    for row in table.splitlines()[3:]:  # after the blank line, the header and the rule
        if not row.startswith("|"):
            continue
        _, env, default = (cell.strip() for cell in row.strip().strip("|").split("|"))
        names = re.findall(r"`(IMR_[A-Z_]+)`", env)
        values = default.split(" / ") if len(names) > 1 else [default]
        for name, value in zip(names, values, strict=True):
            code = re.match(r"\s*`([^`]+)`", value)
            # "none" documents an empty value (e.g. no trusted proxies).
            plain = "" if value.strip().startswith("none") else value.strip()
            defaults[name] = code.group(1) if code else plain
    return defaults


DEFAULTS = readme_defaults()


def _field(variable: str) -> str:
    return variable.removeprefix("IMR_").lower()


def test_the_readme_documents_every_setting() -> None:
    assert set(DEFAULTS) == {f"IMR_{f.name.upper()}" for f in fields(Settings)} == set(OTHER)


@pytest.mark.parametrize("variable", sorted(DEFAULTS))
def test_each_setting_defaults_to_the_readme_and_is_read_from_its_variable(variable: str) -> None:
    name = _field(variable)
    default = getattr(Settings.from_env({}), name)
    assert default == getattr(Settings.from_env({variable: DEFAULTS[variable]}), name)
    other = getattr(Settings.from_env({variable: OTHER[variable]}), name)
    assert other != default
    assert str(other) == OTHER[variable] or other == type(default)(OTHER[variable])


@pytest.mark.parametrize(
    ("variable", "value"),
    [("IMR_TOP_K", "ten"), ("IMR_LOG_QUERIES", "maybe"), ("IMR_RETRIEVAL_MODE", "fastest")],
)
def test_a_bad_value_is_refused_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"environment variable {variable}={value!r}"):
        Settings.from_env({variable: value})


def _printed(out: str) -> dict[str, tuple[str, str]]:
    """`imr settings` lines as {name: (value, source)}."""
    rows = {}
    for line in out.splitlines():
        name, rest = line.split(maxsplit=1)
        value, source = re.fullmatch(r"(.*?)\s*\(([^()]+)\)", rest).groups()  # "" prints as nothing
        rows[name] = (value, source)
    return rows


def test_imr_settings_prints_the_defaults_then_the_environment() -> None:
    out = imr("settings")
    assert out.returncode == 0, out.stderr
    printed = _printed(out.stdout)
    assert set(printed) == {_field(v) for v in DEFAULTS}
    for variable, default in DEFAULTS.items():
        expected = str(getattr(Settings.from_env({variable: default}), _field(variable)))
        assert printed[_field(variable)] == (expected, "default")
    out = imr("settings", env=OTHER)
    assert out.returncode == 0, out.stderr
    printed = _printed(out.stdout)
    for variable, value in OTHER.items():
        expected = str(getattr(Settings.from_env({variable: value}), _field(variable)))
        assert printed[_field(variable)] == (expected, f"env {variable}")
