"""Many processes, one PostgreSQL database (issue #18): a change saved by one process shows in two app
processes that keep their copies in separate folders (two machines, simulated) within 5 seconds, without a
restart; and processes saving at once lose nothing, the second editor of one claim getting one clear
conflict."""

from __future__ import annotations

import multiprocessing
import re
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from conftest import PROJECT, VALID
from pg_server import fresh_database, server
from test_browser import CHROMIUM, running_app
from test_editing import open_card
from test_store import SOURCE, claim

from crisisboard.data.backends import PgStore
from crisisboard.data.crisis import default_slug
from crisisboard.data.database import ENV_URL, upgrade
from crisisboard.data.store import ConflictError
from crisisboard.data.users import Actor

ANA = Actor("ana@example.org", "reviewer")
REV = Actor("rev@example.org", "reviewer")  # the second reader, who approves

PROPAGATION_S = 5.0


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[str]:
    with server() as url:
        yield url


@pytest.fixture()
def shared(pg_admin: str, tmp_path: Path) -> Iterator[str]:
    """A database holding the fixture dataset."""
    with fresh_database(pg_admin) as url:
        upgrade(url)
        PgStore(url).import_folder(VALID, who="test setup", reason="the fixture dataset")
        yield url


def _save(url: str, quote: str, figure: str) -> None:
    store = PgStore(url)
    proposal = store.propose_release(SOURCE, [claim(quote, figure, figure)], actor=ANA, reason="read it").proposal
    store.approve(proposal.proposal_id, REV, "checked")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_a_save_in_one_app_process_shows_in_the_other_within_5_seconds(shared: str, tmp_path: Path,
                                                                     page) -> None:  # noqa: ANN001
    machines = [{ENV_URL: shared, "CRISISBOARD_DB_MIRROR": str(tmp_path / name), "CRISISBOARD_CACHE": "off"}
                for name in ("machine-a", "machine-b")]
    crisis = tmp_path / default_slug()  # on PostgreSQL the folder names the crisis; its files are not read
    with running_app(crisis, machines[0]) as first, running_app(crisis, machines[1]) as second:
        for base in (first, second):
            page.goto(base, wait_until="domcontentloaded")
            page.get_by_text("Showing 6 of 6 claims").first.wait_for(timeout=60_000)
        open_card(page, first)  # in the first process, the local user proposes retracting the refugee claim
        page.get_by_role("tab", name="Retract").click()
        page.get_by_label("Why (required)").fill("the wire withdrew the figure")
        page.get_by_role("button", name="Propose retracting this claim").click()
        page.get_by_text("1 change(s) of fx-04. Nothing is published").first.wait_for(timeout=30_000)
        store = PgStore(shared)
        [proposal] = [p for p in store.proposals() if p.status == "pending"]
        store.approve(proposal.proposal_id, REV, "checked")  # a reviewer publishes it
        saved = time.monotonic()
        _wait_for_the_save(page, second, saved, "Showing 5 of 5 claims")
        assert [(c.action, c.reason) for c in PgStore(shared).history("fx-04")][-2:] == \
            [("retract", "the wire withdrew the figure"), ("approve", "checked")]


def _wait_for_the_save(page, base: str, saved: float, shows: str = "Showing 7 of 7 claims") -> None:  # noqa: ANN001
    """Reload `base` until it `shows` the change; fail once PROPAGATION_S have passed since `saved`."""
    while True:
        page.goto(base, wait_until="domcontentloaded")
        page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=60_000)
        if page.get_by_text(shows).count():
            return
        assert time.monotonic() - saved < PROPAGATION_S, f"{base} still shows the old data"
        page.wait_for_timeout(250)


def _edit(url: str, claim_id: str, note: str, opened: int, results: multiprocessing.Queue) -> None:
    try:
        store = PgStore(url)
        proposal = store.propose_edit(claim_id, {"notes": note}, actor=Actor(note, "reviewer"), reason="at once",
                                      expected_version=opened).proposal
        store.approve(proposal.proposal_id, REV, "checked")
        results.put((note, "saved"))
    except ConflictError as error:
        results.put((note, str(error)))


def test_processes_saving_at_once_lose_nothing_and_one_editor_of_a_claim_gets_a_conflict(shared: str,
                                                                                       tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    store = PgStore(shared)
    opened = store.claim_version("fx-01")
    # two processes edit different claims, two more the same claim from the same opened version, all at once
    jobs = [("fx-02", "editor-of-fx-02"), ("fx-03", "editor-of-fx-03"), ("fx-01", "first-of-fx-01"),
            ("fx-01", "second-of-fx-01")]
    processes = [context.Process(target=_edit, args=(shared, claim_id, note,
                                                     opened if claim_id == "fx-01" else store.claim_version(claim_id),
                                                     results))
                 for claim_id, note in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    outcome = dict(results.get(timeout=10) for _ in jobs)
    assert outcome["editor-of-fx-02"] == outcome["editor-of-fx-03"] == "saved"
    same = [outcome["first-of-fx-01"], outcome["second-of-fx-01"]]
    assert same.count("saved") == 1
    [conflict] = [message for message in same if message != "saved"]
    winner = "first-of-fx-01" if outcome["first-of-fx-01"] == "saved" else "second-of-fx-01"
    assert f"changed by {winner} (approved by {REV.email}) at" in conflict and "since you opened it" in conflict
    store.export(tmp_path / "out")
    text = (tmp_path / "out" / "claims.csv").read_text(encoding="utf-8")
    assert "editor-of-fx-02" in text and "editor-of-fx-03" in text and winner in text  # nothing lost
    assert [c.who for c in store.history("fx-01")][-2:] == [winner, REV.email]


def test_two_processes_adding_releases_at_once_both_land(shared: str, tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    savers = [context.Process(target=_save, args=(shared, f"the paper counted {n} dead", str(n))) for n in (120, 130)]
    for process in savers:
        process.start()
    for process in savers:
        process.join(60)
    assert [process.exitcode for process in savers] == [0, 0]
    PgStore(shared).export(tmp_path / "out")
    text = (tmp_path / "out" / "claims.csv").read_text(encoding="utf-8")
    assert "the paper counted 120 dead" in text and "the paper counted 130 dead" in text



@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists() or not Path("/usr/sbin/nginx").exists(),
                    reason="needs Debian's chromium and nginx (make test installs them)")
def test_the_nginx_cluster_runs_on_one_database(shared: str, tmp_path: Path, page) -> None:  # noqa: ANN001
    sys.path.insert(0, str(PROJECT / "deploy"))
    import cluster as deploy  # noqa: PLC0415 - deploy/ is not a package

    (tmp_path / "work").mkdir()
    with deploy.Cluster(tmp_path / default_slug(), backends=2, database_url=shared, workdir=tmp_path / "work") as running:
        for base in (running.url, *running.backend_urls):
            page.goto(base, wait_until="domcontentloaded")
            page.get_by_text("Showing 6 of 6 claims").first.wait_for(timeout=60_000)
        _save(shared, "the paper counted 120 dead", "120")
        saved = time.monotonic()
        for base in running.backend_urls:  # each process behind nginx, asked directly
            _wait_for_the_save(page, base, saved)
    assert (tmp_path / "work" / "db-copy").is_dir()  # the processes' local copies, in the cluster's folder
