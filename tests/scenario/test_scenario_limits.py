"""Issue 14, findings 1 and 11: the one scenario reader is bounded. A 315-byte YAML
"billion laughs" (10^9 values once its aliases are expanded), a recursive alias, deep
nesting, a 5,000-digit number, UTF-16 or binary files and oversized documents are each
refused at once with one line naming the file (and line), on every path.

The bomb runs in a child process with a 1.5 GB address-space limit and a timeout, so on
a reader without the bounds the test fails (MemoryError or timeout) without taking the
machine with it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput
from lotsen.limits import MAX_NESTING, MAX_SCENARIO_BYTES, MAX_SCENARIO_VALUES
from lotsen.scenario.source import parse_text, read_document
from lotsen.web.app import create_app

# Nine levels of nine aliases each: 315 bytes, 9^9 ~ 3.9e8 values when expanded.
LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
# A smaller bomb for in-process paths: 10^6 values, harmless even unbounded.
MILLION = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(5))

CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from lotsen.errors import InvalidInput
from lotsen.scenario.source import read_document
start = time.perf_counter()
try:
    read_document(sys.argv[1])
except InvalidInput as error:
    print("refused", round(time.perf_counter() - start, 3), error.location, error.message)
"""


def test_the_315_byte_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    assert len(LAUGHS.encode()) <= 315
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(LAUGHS, encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(bomb)], capture_output=True,
                              text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the reader still expanded the bomb after 30 s")
    assert done.returncode == 0, done.stderr[-500:]
    word, seconds, location, *_ = done.stdout.split()
    assert word == "refused" and float(seconds) < 2, done.stdout
    assert location.startswith(str(bomb)), done.stdout
    assert f"{MAX_SCENARIO_VALUES:,}" in done.stdout


@pytest.mark.parametrize(("text", "kind", "words"), [
    ("a: &a [*a]\n", "yaml", "nested deeper"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "yaml", "nested deeper"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "toml", "nested deeper"),
    ('{"a": ' + "[" * 5000 + "]" * 5000 + "}", "json", "nested deeper"),
    ("a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(MAX_NESTING + 2)) + "  x: 1",
     "yaml", "nested deeper"),
    ("a: " + "9" * 5000 + "\n", "yaml", "at most"),
    ("a = " + "9" * 5000 + "\n", "toml", "at most"),
    (MILLION, "yaml", f"{MAX_SCENARIO_VALUES:,}"),
    ("a: x\n" * 10 + "b: \x00\n", "yaml", "control character"),
    ("a: x\u008b\n", "yaml", "not valid YAML"),  # found by the fuzz test: was HTTP 500
    ("a: '" + "x" * MAX_SCENARIO_BYTES + "'\n", "yaml", "at most"),
])
def test_malformed_scenario_text_gives_one_line(text: str, kind: str, words: str) -> None:
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as caught:
        parse_text(text, "s." + kind, kind)
    assert time.perf_counter() - start < 2
    assert words in caught.value.message
    assert caught.value.location and caught.value.location.startswith("s." + kind)


@pytest.mark.parametrize(("raw", "words"), [
    ("name: x\n".encode("utf-16"), "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "UTF-8"),
    (b"name: x\n\xff\xfe\xfd", "UTF-8"),
])
def test_utf16_and_binary_files_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          raw: bytes, words: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(raw)
    with pytest.raises(InvalidInput) as caught:
        read_document(path)
    assert words in caught.value.message and caught.value.location.startswith(str(path))
    code, out, err = run_cli(capsys, "scenario", "validate", str(path))
    assert code != 0 and "Traceback" not in out + err
    assert words in out + err and str(path) in out + err


@pytest.fixture(scope="module")
def client(demo_sqlite_url: str) -> TestClient:
    return TestClient(create_app(demo_sqlite_url))


@pytest.mark.parametrize("body", [LAUGHS, MILLION, "a: &a [*a]\n", "a: " + "9" * 5000])
def test_the_api_refuses_a_bomb_with_422_at_once(client: TestClient, body: str) -> None:
    start = time.perf_counter()
    answer = client.post("/api/v1/scenarios/run", params={"runs": 10},
                         content=body.encode(), headers={"content-type": "application/yaml"})
    assert time.perf_counter() - start < 3
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] in ("limit_exceeded", "invalid_input"), error
    assert error["location"].split(":")[0] in ("body", "scenario.yaml"), error


def test_the_web_page_refuses_an_uploaded_bomb(client: TestClient) -> None:
    start = time.perf_counter()
    page = client.post("/scenarier", data={"kalla": "fil"},
                       files={"fil": ("bomb.yaml", LAUGHS.encode(), "application/yaml")})
    assert time.perf_counter() - start < 3
    assert page.status_code in (200, 422) and "bomb.yaml" in page.text
