"""The JSON API and the HTML pages over the real corpus and the real model, through TestClient.

One app over the real index serves most tests (session-scoped: the model loads once). Tests
that need other settings (no index, a tiny rate limit, query logging) build their own app.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api import pages, routes
from api.app import create_app
from api.cli import main as imr
from api.middleware import MAX_TRACKED_CLIENTS, RateLimitMiddleware
from api.schemas import AnswerOut, LetterOut, dump
from api.templating import highlight, highlight_terms
from rag.config import DEFAULT_MODEL, Mode, Settings
from rag.embedding import HashingEmbedder
from rag.ingest import ingest
from rag.records import Letter

from .conftest import SAMPLES, counted_citations, guideline_counts
from .servers import serving

HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "permissions-policy",
}


@pytest.fixture(scope="session")
def client(real_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index_dir=real_index))) as client:
        yield client


@pytest.fixture
def no_index_client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index_dir=tmp_path / "index"))) as client:
        yield client


@pytest.fixture(scope="session")
def multi_item_letter(real_engine) -> Letter:
    """A real letter with three or more disputed items."""
    letters = sorted(real_engine.view().corpus.letters(), key=lambda letter: letter.letter_id)
    return next(letter for letter in letters if len(letter.items) >= 3)


def _search(client: TestClient, **params: object) -> list[dict]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()["hits"]


# Search


def test_search_answers_exactly_what_imr_search_json_prints(
    client: TestClient, real_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imr(["search", "Norco", "--json", "--index", str(real_index)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert client.get("/api/search", params={"q": "Norco"}).json() == printed


def test_search_for_norco_finds_hydrocodone_items_first(client: TestClient) -> None:
    hits = _search(client, q="Norco")
    assert len(hits) == 10
    for hit in hits[:5]:
        name = hit["item"]["name"].lower()
        assert any(drug in name for drug in ("norco", "hydrocodone")), name


@pytest.mark.parametrize("value", ["overturned", "OVERTURNED", "Overturned"])
def test_outcome_filter_returns_only_that_outcome_in_any_case(
    client: TestClient, value: str
) -> None:
    hits = _search(client, q="physical therapy", outcome=value, k=20)
    assert hits
    assert {h["item"]["outcome"] for h in hits} == {"Overturned"}


def test_source_filter_returns_only_items_citing_that_guideline(client: TestClient) -> None:
    hits = _search(client, q="MRI", source="odg", k=20)
    assert hits
    assert all("ODG" in h["item"]["guideline_sources"] for h in hits)


def test_year_filter_returns_only_decisions_of_that_year(client: TestClient) -> None:
    hits = _search(client, q="acupuncture", year=2016, k=20)
    assert hits
    assert all(h["item"]["decision_date"].startswith("2016") for h in hits)


def test_specialty_filter_matches_part_of_the_specialty(client: TestClient) -> None:
    hits = _search(client, q="opioids", specialty="pain management", k=20)
    assert hits
    assert all("pain management" in h["item"]["reviewer_specialty"].lower() for h in hits)


def test_empty_filter_values_mean_no_filter(client: TestClient) -> None:
    blank = _search(client, q="Norco", outcome="", source="", year="", mode="", specialty="")
    assert blank == _search(client, q="Norco")


def test_k_sets_the_number_of_hits_and_per_letter_keeps_one_per_letter(
    client: TestClient,
) -> None:
    assert len(_search(client, q="MRI", k=3)) == 3
    hits = _search(client, q="MRI", k=100, per_letter=True)
    assert len(hits) > 10
    assert len({h["item"]["letter_id"] for h in hits}) == len(hits)


def test_mode_chooses_the_ranking(client: TestClient, real_engine) -> None:
    ranked = {}
    for mode in Mode:
        ranked[mode] = [h["item_id"] for h in _search(client, q="physical therapy", mode=mode)]
        expected = real_engine.search("physical therapy", k=10, mode=mode)
        assert ranked[mode] == [h.item.id for h in expected]
    assert len({tuple(r) for r in ranked.values()}) == 3, ranked
    assert [h["item_id"] for h in _search(client, q="physical therapy")] == ranked[Mode.HYBRID]


@pytest.mark.parametrize(
    ("filters", "keeps"),
    [
        (
            {"section": "physical medicine"},
            lambda item: any("physical medicine" in s.lower() for s in item["mtus_sections"]),
        ),
        ({"treatment": "acupuncture"}, lambda item: "acupuncture" in item["name"].lower()),
    ],
)
def test_section_and_treatment_filters_keep_only_matching_items(
    client: TestClient, filters: dict, keeps
) -> None:
    hits = _search(client, q="physical therapy", k=20, **filters)
    assert hits and all(keeps(h["item"]) for h in hits), [h["item_id"] for h in hits]
    unfiltered = _search(client, q="physical therapy", k=20)
    assert [h["item_id"] for h in hits] != [h["item_id"] for h in unfiltered]


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"q": ""}, 422, "q"),
        ({"q": "   \t "}, 422, "q"),
        ({"q": "\u200b\u200c\u200d\ufeff\u2060"}, 422, "q"),  # zero-width only
        ({"q": "\ufffd\x00 \ue000"}, 422, "q"),  # replacement, control, private use only
        ({}, 422, "q"),
        ({"q": "norco " * 84}, 422, "q"),  # 504 characters; the limit is 500
        ({"q": "norco", "k": 0}, 422, "k"),
        ({"q": "norco", "k": 101}, 422, "k"),
        ({"q": "norco", "k": "ten"}, 422, "k"),
        ({"q": "norco", "mode": "fastest"}, 422, "mode"),
        ({"q": "norco", "year": "last"}, 422, "year"),
        ({"q": "norco", "outcome": "denied"}, 400, "outcome"),
        ({"q": "norco", "source": "WHO"}, 400, "source"),
        ({"q": "norco", "year": 1850}, 400, "year"),
    ],
)
def test_bad_search_parameters_are_refused_by_name(
    client: TestClient, params: dict, status: int, parameter: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == status
    body = response.json()
    assert body == {"error": body["error"], "status": status, "parameter": parameter}
    assert parameter in body["error"]
    assert "Traceback" not in response.text


# Ask


def test_ask_serves_the_answer_rag_composes(client: TestClient, real_engine) -> None:
    question = "Is Norco usually approved for chronic pain?"
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    body = response.json()
    assert body == dump(AnswerOut, real_engine.ask(question, k=10))
    population = body["population"]
    assert sum(body["outcome_counts"].values()) == population["count"] >= 3
    assert population["matched_on"] == ["ingredient", "form", "product"]  # Norco: taken by mouth
    assert population["relaxed"] == []
    assert "item_ids" not in population, "the CSV export lists them"
    assert body["interval"]["low"] <= body["interval"]["share"] <= body["interval"]["high"]
    assert {"name": "ingredient", "value": "hydrocodone", "words": "norco"} in body["understood"]
    assert body["answer"] and body["sufficient_evidence"] is True
    shown = {p["item_id"] for p in body["precedents"]}
    precedents = [i for letter in real_engine.view().corpus.letters() for i in letter.items]
    precedents = [i for i in precedents if i.id in shown]  # their records, read letter by letter
    assert len(precedents) == len(shown) >= 3
    mtus, other = guideline_counts(precedents)
    assert counted_citations(body["citations"]) == (mtus, other)
    (section, pages), most = mtus.most_common(1)[0]
    assert most >= 2, "what this test relies on: several precedents cite one section"
    top = body["citations"][0]
    assert (top["source"], top["count"]) == ("MTUS", most) and (top["section"], top["pages"]) in {
        key for key, n in mtus.items() if n == most
    }
    assert f"Most cited by the reviewers: MTUS {top['section']}" in body["answer"]
    assert f"({most} of the {len(shown)} shown)" in body["answer"]


def test_ask_as_csv_downloads_every_counted_item(client: TestClient) -> None:
    question = {"question": "Is Norco usually approved for chronic pain?"}
    counted = client.post("/api/ask", json=question).json()["population"]["count"]
    response = client.post("/api/ask", params={"format": "csv"}, json=question)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0].split(",")[:4] == ["item_id", "decision_date", "treatment", "outcome"]
    assert len(lines) == 1 + counted
    page = client.get("/", params={"ask": question["question"]})
    link = page.text.split('href="/answer.csv?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    download = client.get("/answer.csv?" + link)
    assert download.status_code == 200 and download.text == response.text
    assert download.headers["cache-control"] == "no-store"
    head = client.head("/answer.csv?" + link)  # a page link: HEAD as well, no body
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-disposition"] == download.headers["content-disposition"]
    assert client.get("/answer.csv", params={"ask": "\u200b?"}).status_code == 422
    assert client.post("/api/ask", params={"format": "xml"}, json=question).status_code == 422


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        (b'{"question": "norco"', "body"),
        (b"not json at all", "body"),
        (b"{}", "question"),
        (b'{"question": "   "}', "question"),
        (b'{"question": "\\u200b\\ufeff"}', "question"),
        (b'{"question": "norco", "k": 0}', "k"),
        (b'{"question": "norco", "k": true}', "k"),  # strict types: not read as 1
        (b'{"question": "norco", "k": "5"}', "k"),  # nor as 5
        (b'{"question": "norco", "k": 5.0}', "k"),
        (b'{"question": 5}', "question"),
        (b'{"question": "' + b"why " * 200 + b'"}', "question"),
    ],
)
def test_bad_ask_bodies_are_refused_with_422_by_name(
    client: TestClient, body: bytes, parameter: str
) -> None:
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["parameter"] == parameter


def test_ask_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    body = json.dumps({"question": "norco " * 3000}).encode()
    assert len(body) > Settings().max_body_bytes
    response = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["parameter"] == "body"


def test_streamed_body_without_content_length_is_counted_and_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(40):
            yield b"n" * 1024
        yield b'"}'

    headers = {"content-type": "application/json"}
    response = client.post("/api/ask", content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


# Letters, stats, health


def test_letter_returns_the_whole_letter_with_every_item(
    client: TestClient, multi_item_letter: Letter
) -> None:
    response = client.get(f"/api/letters/{multi_item_letter.letter_id}")
    assert response.status_code == 200
    body = response.json()
    assert body == dump(LetterOut, multi_item_letter)
    assert "source" not in body  # a path on the server is no business of the client's
    assert [i["name"] for i in body["items"]] == [i.name for i in multi_item_letter.items]
    assert [i["item_id"] for i in body["items"]] == [i.id for i in multi_item_letter.items]


def test_the_old_decisions_url_redirects_to_the_letter(
    client: TestClient, multi_item_letter: Letter
) -> None:
    old = client.get(f"/api/decisions/{multi_item_letter.letter_id}", follow_redirects=False)
    assert old.status_code == 308
    assert old.headers["location"] == f"/api/letters/{multi_item_letter.letter_id}"
    page = client.get(f"/decisions/{multi_item_letter.letter_id}?q=mri", follow_redirects=False)
    assert page.status_code == 301
    assert page.headers["location"] == f"/letters/{multi_item_letter.letter_id}?q=mri"


def test_unknown_letter_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/letters/CM99-0000000")
    assert response.status_code == 404
    assert response.json() == {
        "error": "no letter 'CM99-0000000' in the index",
        "status": 404,
        "parameter": None,
    }


def test_stats_count_the_real_corpus(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert (stats["letters"], stats["items"]) == (199, 450)
    assert stats["outcomes"] == {"Upheld": 401, "Overturned": 49}
    assert stats["years"] == {"2016": 6, "2017": 433, "unknown": 11}  # items; seeds are undated
    counts = [t["items"] for t in stats["top_treatments"]]
    assert counts == sorted(counts, reverse=True)
    hydrocodone = next(t for t in stats["top_treatments"] if t["treatment"] == "hydrocodone")
    assert hydrocodone["upheld"] + hydrocodone["overturned"] == hydrocodone["items"] >= 5
    assert stats["sources"][0] == {"value": "MTUS", "count": 351}
    sections = [s["count"] for s in stats["top_sections"]]
    assert sections == sorted(sections, reverse=True)


def test_healthz_reports_index_size_and_model(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["model"] == DEFAULT_MODEL and body["dimension"] == 384
    assert (body["letters"], body["items"]) == (199, 450)


def test_without_an_index_the_app_starts_and_answers_503_with_the_fix(
    no_index_client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for path in ("/healthz", "/api/search?q=norco", "/api/stats"):
        with caplog.at_level(logging.WARNING, logger="api"):
            response = no_index_client.get(path)
        assert response.status_code == 503
        error, request_id = response.json()["error"], response.headers["x-request-id"]
        assert error.startswith("no index has been built yet: run `imr ingest LETTERS...`")
        assert error.endswith(f"(request id {request_id})") and str(tmp_path) not in error
        assert HEADERS <= set(response.headers)
        logged = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
        assert len(logged) == 1 and f"no index at {tmp_path / 'index'}" in logged[0]
    page = no_index_client.get("/")
    assert page.status_code == 503
    assert "text/html" in page.headers["content-type"]
    assert "Search is not available yet" in page.text and "imr ingest" in page.text
    assert str(tmp_path) not in page.text


def test_a_damaged_index_is_a_503_without_paths_or_library_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from rag.embedding import HashingEmbedder
    from rag.ingest import ingest

    ingest([SAMPLES], tmp_path, HashingEmbedder())
    vectors = next(tmp_path.glob("snapshots/*/vectors.faiss"))
    vectors.write_bytes(vectors.read_bytes()[:-10])
    settings = Settings(index_dir=tmp_path, model_name="hashing")
    with TestClient(create_app(settings)) as client, caplog.at_level(logging.WARNING, "api"):
        responses = [client.get(path) for path in ("/healthz", "/api/search?q=norco", "/")]
    for response in responses:
        assert response.status_code == 503
        request_id = response.headers["x-request-id"]
        text = response.text
        assert "the index cannot be used" in text and f"request id {request_id}" in text
        for leak in (str(tmp_path), "vectors.faiss", "faiss", ".cpp", "Error in"):
            assert leak not in text
        logged = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
        assert len(logged) == 1 and str(vectors) in logged[0] and "faiss" in logged[0]


def _damage_vectors(index_dir: Path) -> None:
    vectors = index_dir / "current" / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])


def _count_more_rows(index_dir: Path) -> None:
    manifest = index_dir / "current" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["count"] += 1
    manifest.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("damage", "model", "reason"),
    [
        (_damage_vectors, "hashing", r"vectors\.faiss: cannot be read"),
        (_count_more_rows, "hashing", r"\d+ vectors, \d+ metadata rows, manifest says \d+"),
        (None, DEFAULT_MODEL, r"model: index 'hashing', asked 'all-MiniLM-L6-v2'"),
    ],
    ids=["truncated-vectors", "counts-disagree", "another-model"],
)
def test_an_index_that_cannot_be_served_gives_503_with_the_reason(
    tmp_path: Path, seeds_dir: Path, damage, model: str, reason: str, caplog
) -> None:
    """The client reads that the index cannot be used and a request id; the reason (which names
    files) is logged under that id (issue 16: no paths or library messages to clients)."""
    index_dir = tmp_path / "index"
    ingest([seeds_dir], index_dir, HashingEmbedder())
    if damage:
        damage(index_dir)
    settings = Settings(index_dir=index_dir, model_name=model)
    with TestClient(create_app(settings)) as client, caplog.at_level(logging.WARNING, "api"):
        responses = [client.get(p) for p in ("/healthz", "/api/search?q=norco", "/api/stats", "/")]
    for response in responses:
        assert response.status_code == 503, response.url
        request_id = response.headers["x-request-id"]
        assert "the index cannot be used" in html.unescape(response.text)
        assert f"request id {request_id}" in html.unescape(response.text)
        logged = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
        assert len(logged) == 1 and re.search(reason, logged[0]), logged


# HTTP hygiene


@pytest.mark.parametrize(
    "path", ["/", "/?q=norco", "/api/search?q=norco", "/api/search?q=", "/nowhere", "/healthz"]
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://elsewhere.example"})
    assert HEADERS <= set(response.headers)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in response.headers  # CORS is off


def test_pages_answer_head_with_the_get_headers_and_no_body(
    client: TestClient, multi_item_letter: Letter
) -> None:
    letter_id = multi_item_letter.letter_id
    for path, status in (
        ("/", 200),
        (f"/letters/{letter_id}", 200),
        ("/letters/CM99-0000000", 404),
    ):
        head = client.head(path)
        assert head.status_code == status and head.content == b""
        assert head.headers["content-type"] == client.get(path).headers["content-type"]
    moved = client.head(f"/decisions/{letter_id}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == f"/letters/{letter_id}"


def test_responses_with_medical_content_are_not_stored_by_caches(
    client: TestClient, multi_item_letter: Letter
) -> None:
    letter_id = multi_item_letter.letter_id
    responses = [
        client.get(path)
        for path in ("/", "/?q=norco", "/?ask=is+norco+approved", f"/letters/{letter_id}",
                     "/api/search?q=norco", f"/api/letters/{letter_id}", "/api/stats",
                     "/letters/CM99-0000000", "/api/search?q=")
    ] + [client.post("/api/ask", json={"question": "is norco approved?"})]  # fmt: skip
    for response in responses:
        assert response.headers["cache-control"] == "no-store", response.url
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


def test_openapi_documents_every_json_route_and_no_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) == {
        "/api/search",
        "/api/ask",
        "/api/letters/{letter_id}",
        "/api/stats",
        "/healthz",
    }
    search = paths["/api/search"]["get"]
    assert search["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SearchOut"
    }
    params = {p["name"] for p in search["parameters"]}
    assert {"q", "k", "mode", "outcome", "source", "section", "specialty", "year"} <= params
    models = set(schema["components"]["schemas"])
    assert {"SearchOut", "HitOut", "AnswerOut", "LetterOut", "StatsOut", "ErrorOut"} <= models


def test_nothing_mutates_and_only_ask_takes_a_body(client: TestClient) -> None:
    assert client.delete("/api/letters/CM16-0213037").status_code == 405
    assert client.post("/api/search", json={"q": "norco"}).status_code == 405
    methods = {
        (route.path, method)
        for router in (routes.router, pages.router)
        for route in router.routes
        for method in route.methods
    }
    assert {m for _, m in methods} <= {"GET", "HEAD", "POST"}
    assert {p for p, m in methods if m == "POST"} == {"/api/ask"}


def test_unexpected_errors_are_500_without_traceback_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(index_dir=tmp_path))

    def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/api/explode", explode)
    app.add_api_route("/explode", explode)
    with TestClient(app) as client, caplog.at_level(logging.ERROR, logger="api"):
        api = client.get("/api/explode")
        page = client.get("/explode")
    assert api.status_code == page.status_code == 500
    request_id = api.headers["x-request-id"]
    assert api.json() == {
        "error": f"internal error: it has been logged (request id {request_id})",
        "status": 500,
        "parameter": None,
    }
    assert "text/html" in page.headers["content-type"] and "Something went wrong" in page.text
    for response in (api, page):
        assert "secret internal detail" not in response.text and "Traceback" not in response.text
        assert HEADERS <= set(response.headers)
    logged = [r for r in caplog.records if r.exc_info and "secret" in str(r.exc_info[1])]
    assert len(logged) == 2 and request_id in logged[0].getMessage()


# Timeout


def test_a_request_past_the_timeout_gets_503_at_the_deadline_and_others_are_served_meanwhile(
    hashing_index: Path, seeds_dir: Path
) -> None:
    settings = Settings(index_dir=hashing_index, model_name="hashing", request_timeout_s=1.0)
    app = create_app(settings)
    release = threading.Event()

    def slow() -> dict[str, bool]:  # holds its worker thread past the timeout until released
        release.wait(60)
        return {"late": True}

    app.add_api_route("/api/slow", slow)
    with serving(app) as url:
        try:
            started = time.monotonic()
            timed_out = httpx.get(url + "/api/slow", timeout=120)
            waited = time.monotonic() - started
            assert timed_out.status_code == 503, timed_out.text
            assert timed_out.json()["error"] == (
                "the request took longer than 1 s; try a narrower query"
            )
            assert HEADERS <= set(timed_out.headers)
            assert 1.0 <= waited < 30, "answered at the deadline, not when the thread finished"
            # the slow request's thread is still held: the server answers everything else
            letter = "file-" + sorted(p.stem for p in seeds_dir.glob("*.txt"))[0]
            for path in ("/healthz", "/api/stats", "/api/search?q=therapy", f"/letters/{letter}"):
                response = httpx.get(url + path, timeout=60)
                assert response.status_code == 200, (path, response.text)
            assert not release.is_set()
        finally:
            release.set()


# Rate limit


def test_rate_limit_answers_429_with_retry_after_once_the_bucket_is_empty(tmp_path: Path) -> None:
    app = create_app(Settings(index_dir=tmp_path, rate_limit_per_minute=3))
    with TestClient(app) as client:
        statuses = [client.get("/api/search?q=norco").status_code for _ in range(3)]
        limited = client.get("/api/search?q=norco")
        health = client.get("/healthz")
    assert statuses == [503, 503, 503]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"] == "rate limit of 3 requests per minute exceeded"
    assert HEADERS <= set(limited.headers)
    assert health.status_code == 503  # probes are not limited


async def _unused_app(scope: dict, receive: object, send: object) -> None:
    raise AssertionError("the limiter is called directly")


def test_rate_limit_bucket_refills_one_request_per_interval_per_client() -> None:
    now = [0.0]
    limiter = RateLimitMiddleware(_unused_app, per_minute=60, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(60)] == [0.0] * 60
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0.0  # another client has its own bucket
    now[0] = 1.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0


def test_the_bucket_table_stays_bounded_and_each_request_cheap_under_many_clients() -> None:
    now = [0.0]
    limiter = RateLimitMiddleware(_unused_app, per_minute=60, clock=lambda: now[0])
    started = time.perf_counter()
    for n in range(25_000):  # all within the refill time, so none has expired
        assert limiter.take(f"10.{n >> 16}.{n >> 8 & 255}.{n & 255}") == 0.0
    assert time.perf_counter() - started < 2.0, "a request must not cost a walk of the table"
    assert len(limiter.buckets) == MAX_TRACKED_CLIENTS
    assert "10.0.97.167" in limiter.buckets and "10.0.0.1" not in limiter.buckets  # LRU goes
    now[0] = 59.0
    assert limiter.take("10.0.97.167") == 0.0  # used recently: its bucket is still there
    now[0] = 61.0  # every other bucket has refilled: the same as none
    assert limiter.take("fresh") == 0.0
    assert list(limiter.buckets) == ["10.0.97.167", "fresh"]


# Query logging


def test_queries_are_not_logged_by_default(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        client.get("/api/search", params={"q": "zolpidem quietly"})
        client.post("/api/ask", json={"question": "zolpidem quietly?"})
    # httpx, the test client, logs the URLs it requests; the server must log nothing.
    server = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert not [r for r in server if "quietly" in r.getMessage()]


def test_queries_are_logged_when_log_queries_is_on(
    real_index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(index_dir=real_index, log_queries=True))
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger="api"):
        client.get("/api/search", params={"q": "zolpidem loudly"})
    assert [r for r in caplog.records if "zolpidem loudly" in r.getMessage()]


# HTML pages


def test_search_page_lists_results_with_count_badges_and_decision_links(
    client: TestClient,
) -> None:
    page = client.get("/", params={"q": "Norco", "outcome": "upheld"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "10 results" in page.text
    assert page.text.count('class="badge badge-upheld"') >= 10
    assert "badge-overturned" not in page.text
    assert "<mark>Norco</mark>" in page.text
    assert '/letters/file-000_44c7c734235c02aa?q=Norco#item-1"' in page.text


def test_search_page_says_plainly_when_nothing_matches(client: TestClient) -> None:
    page = client.get("/", params={"q": "Norco", "treatment": "trampoline"})
    assert page.status_code == 200
    assert "0 results" in page.text and "No decisions match with these filters" in page.text


def test_ask_page_shows_answer_tally_and_citations(client: TestClient) -> None:
    page = client.get("/", params={"ask": "Is Norco usually approved for chronic pain?"})
    assert page.status_code == 200
    assert 'class="answer-text"' in page.text and "Upheld in" in page.text
    assert page.text.count('class="tally-row"') == 2 and "<svg" in page.text
    assert 'class="cite-table"' in page.text


def test_ask_page_says_what_it_dropped_and_narrowed_by_in_words(client: TestClient) -> None:
    page = client.get("/", params={"ask": "Is Tylenol approved?"}).text
    assert "Dropped to find the closest: the drug alone." in page
    page = client.get("/", params={"ask": "Were any cervical MRIs overturned in 2017?"}).text
    assert "Narrowed by the year asked:" in page


def test_letter_page_has_an_anchor_and_badge_per_item(
    client: TestClient, multi_item_letter: Letter
) -> None:
    page = client.get(f"/letters/{multi_item_letter.letter_id}")
    assert page.status_code == 200
    for item in multi_item_letter.items:
        assert f'id="item-{item.index}"' in page.text
    assert page.text.count('class="badge badge-') == 2 * len(multi_item_letter.items)
    assert client.get("/letters/CM99-0000000").status_code == 404


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/?q=norco", "/?ask=is+norco+approved", "/letters/CM16-0240900"):
        response = client.get(path)
        assert response.status_code == 200, path  # an error page would pass the checks below
        text = response.text
        assert "<script" not in text and "style=" not in text
        assert not re.search(r"\son[a-z]+=", text)  # no inline event handlers


@pytest.mark.parametrize(
    "path",
    ["/?q={}", "/?ask={}", "/letters/CM16-0240900?q={}"],
)
def test_pages_escape_a_script_in_the_query(client: TestClient, path: str) -> None:
    attack = "<script>alert(1)</script>"
    response = client.get(path.format(attack))
    assert response.status_code == 200
    assert attack not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_highlight_escapes_before_marking_terms() -> None:
    marked = highlight('<b onclick="x()">Norco</b> & NORCOs &amp;', ("norco", "amp"))
    assert str(marked) == (
        "&lt;b onclick=&#34;x()&#34;&gt;<mark>Norco</mark>&lt;/b&gt; &amp; <mark>NORCOs</mark> "
        "&amp;<mark>amp</mark>;"
    )
    assert "hydrocodone" in highlight_terms("Norco")  # synonyms of the treatment named


# Decision facts, filters and facets


def test_fact_filters_apply_inside_search_and_repeat_as_either(client: TestClient) -> None:
    knee = _search(client, q="MRI", region="knee", k=50)
    assert knee and all("knee" in h["item"]["facts"]["regions"] for h in knee)
    either = _search(client, q="MRI", region=["knee", "hip"], k=50)
    regions = {r for h in either for r in h["item"]["facts"]["regions"]}
    assert {"knee", "hip"} <= regions and len(either) > len(knee)
    patches = _search(client, q="lidocaine", form="patch", k=50)
    assert patches and {h["item"]["facts"]["form"] for h in patches} == {"patch"}
    opioids = _search(client, q="pain medication", drug_class="opioid", k=50)
    assert opioids and {h["item"]["facts"]["drug_class"] for h in opioids} == {"opioid"}
    gabapentin = _search(client, q="cream", ingredient="gabapentin", k=50)
    assert gabapentin and all("gabapentin" in h["item"]["facts"]["ingredients"] for h in gabapentin)
    partial = _search(client, q="physical therapy", partial="true", k=100)
    assert partial and all(h["item"]["original_request"] for h in partial)


def test_facets_count_every_matching_item_not_only_the_hits(
    client: TestClient, real_engine
) -> None:
    body = client.get("/api/search", params={"q": "Norco", "k": 3}).json()
    facets = body["facets"]
    assert set(facets) == {"outcome", "category", "region", "drug_class", "reason"}
    view = real_engine.view()
    matching = view.matching_items("Norco")
    items = view.corpus.items_at(matching.nonzero()[0])
    assert sum(facets["outcome"].values()) == len(items) > len(body["hits"])
    assert facets["outcome"] == {
        o: sum(i.outcome == o for i in items) for o in ("Upheld", "Overturned") if any(
            i.outcome == o for i in items)
    }  # fmt: skip
    medications = sum(i.facts.category == "medication" for i in items)
    assert facets["category"]["medication"] == medications
    narrowed = client.get("/api/search", params={"q": "Norco", "category": "medication"}).json()
    assert sum(narrowed["facets"]["outcome"].values()) == medications


def test_bad_fact_filter_values_are_refused_by_name(client: TestClient) -> None:
    for name, value in (("region", "kneee"), ("category", "magic"), ("reason", "vibes")):
        response = client.get("/api/search", params={"q": "norco", name: value})
        assert response.status_code == 400 and response.json()["parameter"] == name


def test_stats_split_a_treatments_decisive_reasons_by_outcome(client: TestClient) -> None:
    body = client.get("/api/stats", params={"treatment": "MRI"}).json()["reasons"]
    assert body["treatment"] == "MRI" and body["items"] > 50
    assert set(body["by_outcome"]) == {"Upheld", "Overturned"}
    upheld = body["by_outcome"]["Upheld"]
    assert upheld.get("no_red_flags", 0) > 5  # imaging is denied for want of red flags
    assert set(body["labels"]) == {c for counts in body["by_outcome"].values() for c in counts}
    assert "reasons" not in client.get("/api/stats").json() or (
        client.get("/api/stats").json()["reasons"] is None
    )


def test_result_cards_show_facts_and_reason_chips_linking_to_the_sentence(
    client: TestClient,
) -> None:
    page = client.get("/", params={"q": "lumbar MRI"}).text
    assert 'class="fact fact-category">Imaging<' in page
    link = re.search(r'class="chip chip-reason[^"]*" href="([^"]+)"', page).group(1)
    letter_url, anchor = link.split("#")
    letter = client.get(letter_url.replace("&amp;", "&")).text
    assert f'<mark class="why" id="{anchor}"' in letter
    assert 'aria-label="Narrow the results"' in page and "why-title" in page


def test_a_case_number_searches_that_letter_alone(client: TestClient, real_engine) -> None:
    letter = real_engine.view().corpus.letter("CM17-0012582")
    assert letter is not None and len(letter.items) > 1
    ids = [item.id for item in letter.items]
    # the number alone: the letter's decisions, in its order
    assert [h["item"]["item_id"] for h in _search(client, q="CM17-0012582")] == ids
    # with more words, they rank within the letter: the knee injection first
    hits = _search(client, q="cm17-0012582 lidocaine knee injection")
    assert sorted(h["item"]["item_id"] for h in hits) == sorted(ids)
    assert "injection" in hits[0]["item"]["name"].lower()
    # one item by its number; a case the index does not hold finds nothing
    assert [h["item"]["item_id"] for h in _search(client, q="CM17-0012582#2")] == [ids[1]]
    assert _search(client, q="CM17-9999999") == []
