"""Password guessing against the coordinator login: parallel guesses against
a real uvicorn (child processes, stopped by PID), per address and per account,
across two server processes, on SQLite and PostgreSQL; and who may say which
address a guess came from (X-Forwarded-For)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings, SettingsError
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.reporting import PASSWORD, coordinator, hidden, load
from tests.support.web_server import WebServer

LIMIT = 10  # failed logins per address, and per account, in 15 minutes
GUESSES = 60
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
USERS = ("anna", "bertil", "cecilia", "dora")


def prepared_home(home: Path, database_url: str = "") -> Path:
    app = bootstrap(Settings(home=home, database_url=database_url, plans_dir=PLANS,
                             _env_file=None))  # type: ignore[call-arg]
    try:
        load(app, FIXTURES / "minimal.yaml")
        for user in USERS:
            coordinator(app, user)
    finally:
        app.close()
    return home


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[WebServer]]:
    """Two `lokflow serve` processes on one SQLite database, trusting 127.0.0.1."""
    home = prepared_home(tmp_path_factory.mktemp("throttle") / "home")
    started: list[WebServer] = []
    try:
        for _ in range(2):
            started.append(WebServer(home).start())
        yield started
    finally:
        for server in started:
            server.stop()


class Guess:
    """A login form fetched in its own browser, ready to be sent."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=120)
        self.csrf = hidden(self.client.get("/samordnare/logga-in").text, "csrf")

    def send(self, username: str, address: str, password: str) -> httpx.Response:
        return self.client.post("/samordnare/logga-in", headers={"X-Forwarded-For": address},
                                data={"username": username, "password": password,
                                      "csrf": self.csrf})


def storm(bases: list[str], username: Callable[[int], str], address: Callable[[int], str],
          password: str = "fel-losenord-helt") -> list[httpx.Response]:
    """GUESSES wrong guesses released at the same instant, spread over the servers."""
    start = threading.Barrier(GUESSES)
    with ThreadPoolExecutor(GUESSES) as pool:
        guesses = list(pool.map(Guess, [bases[i % len(bases)] for i in range(GUESSES)]))

        def one(i: int) -> httpx.Response:
            start.wait()
            return guesses[i].send(username(i), address(i), password)

        try:
            return list(pool.map(one, range(GUESSES)))
        finally:
            for guess in guesses:
                guess.client.close()


def assert_at_most_the_limit_checked(answers: list[httpx.Response]) -> None:
    counted = Counter(a.status_code for a in answers)
    print(f"{GUESSES} parallel guesses: {counted[401]} password checks (401), "
          f"{counted[429]} refused (429)")
    assert counted == {401: LIMIT, 429: GUESSES - LIMIT}, counted
    refused = next(a for a in answers if a.status_code == 429)
    assert '<html lang="sv">' in refused.text
    assert "För många misslyckade försök" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60


def test_parallel_guesses_from_one_address_at_one_account(servers: list[WebServer]) -> None:
    answers = storm([servers[0].base_url], lambda i: "anna", lambda i: "198.51.100.1")
    assert_at_most_the_limit_checked(answers)


def test_parallel_guesses_at_one_account_from_many_addresses(servers: list[WebServer]) -> None:
    answers = storm([servers[0].base_url], lambda i: "bertil", lambda i: f"198.51.101.{i}")
    assert_at_most_the_limit_checked(answers)


def test_parallel_guesses_from_one_address_at_many_accounts(servers: list[WebServer]) -> None:
    answers = storm([servers[0].base_url], lambda i: f"konto-{i}", lambda i: "198.51.100.3")
    assert_at_most_the_limit_checked(answers)


def test_the_limit_holds_across_server_processes(servers: list[WebServer]) -> None:
    answers = storm([s.base_url for s in servers], lambda i: "cecilia",
                    lambda i: "198.51.100.4")
    assert_at_most_the_limit_checked(answers)


@pytest.mark.postgres
def test_the_limit_holds_on_postgresql(tmp_path: Path, pg_settings: Settings) -> None:
    """PostgreSQL runs the web server's threads' transactions truly at once."""
    home = prepared_home(tmp_path / "pg-home", pg_settings.database_url)
    server = WebServer(home, env={"LOKFLOW_DATABASE_URL": pg_settings.database_url}).start()
    try:
        answers = storm([server.base_url], lambda i: "dora", lambda i: f"198.51.102.{i % 3}")
    finally:
        server.stop()
    assert_at_most_the_limit_checked(answers)


def test_the_proxy_appended_address_counts_not_the_one_the_client_wrote(
    servers: list[WebServer]
) -> None:
    """Behind a trusted proxy that appends the peer to X-Forwarded-For, the
    client can write anything before it: the guesses still add up."""
    guesses = [Guess(servers[1].base_url) for _ in range(LIMIT + 1)]
    answers = [g.send(f"okand-{i}", f"203.0.113.{i}, 198.51.100.5", "fel-losenord-helt")
               for i, g in enumerate(guesses)]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429]
    for guess in guesses:
        guess.client.close()


# --- in-process, with the fixed clock ---------------------------------------


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    load(app, FIXTURES / "minimal.yaml")
    coordinator(app)
    with TestClient(create_app(app), follow_redirects=False) as web:
        yield web


def attempt(client: TestClient, username: str = "anna", password: str = "fel-losenord-helt",
            address: str = "203.0.113.7") -> int:
    form = client.get("/samordnare/logga-in").text
    return client.post("/samordnare/logga-in", headers={"X-Forwarded-For": address}, data={
        "username": username, "password": password, "csrf": hidden(form, "csrf")}).status_code


def test_an_untrusted_peer_cannot_choose_its_address(client: TestClient) -> None:
    """The TestClient's peer is no trusted proxy: its X-Forwarded-For is ignored."""
    codes = [attempt(client, f"okand-{i}", address=f"203.0.113.{i}") for i in range(LIMIT + 1)]
    assert codes == [401] * LIMIT + [429]


def test_the_block_ends_with_its_window(client: TestClient, clock: FixedClock) -> None:
    assert [attempt(client) for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]
    clock.at += timedelta(minutes=14)
    assert attempt(client, password=PASSWORD) == 429  # even the right password waits
    clock.at += timedelta(minutes=1, seconds=1)
    assert attempt(client) == 401


def test_successful_logins_use_up_nothing(client: TestClient) -> None:
    for _ in range(LIMIT + 5):
        client.cookies.clear()  # a fresh browser each time
        assert attempt(client, password=PASSWORD) == 303
    client.cookies.clear()
    assert [attempt(client) for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]


# --- configuration ----------------------------------------------------------------


def test_trusting_every_address_is_refused() -> None:
    for value in ("*", "127.0.0.1, *", "proxy.example.org"):
        with pytest.raises(SettingsError, match="LOKFLOW_WEB_TRUSTED_PROXIES"):
            Settings(web_trusted_proxies=value, _env_file=None)  # type: ignore[call-arg]
    for value in ("127.0.0.1", "10.0.0.0/8, ::1", ""):
        assert Settings(web_trusted_proxies=value,  # type: ignore[call-arg]
                        _env_file=None).web_trusted_proxies == value


def test_compose_trusts_only_the_proxy_it_starts() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    trusted = services["web"]["environment"]["LOKFLOW_WEB_TRUSTED_PROXIES"]
    Settings(web_trusted_proxies=trusted, _env_file=None)  # type: ignore[call-arg]
    proxy = services["proxy"]
    addresses = [n["ipv4_address"] for n in proxy["networks"].values()]
    assert [a.strip() for a in trusted.split(",")] == addresses
    [network] = proxy["networks"]
    assert network in services["web"]["networks"]
    assert "ports" not in services["web"]  # only through the proxy
    config = (DEPLOY / proxy["volumes"][0].split(":")[0].removeprefix("./")).read_text()
    assert "header_up -X-Remote-User" in config  # clients cannot log in by header
