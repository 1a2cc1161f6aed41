"""The live console's server-sent events: scoped, resumable from Last-Event-ID, streaming under ASGI and WSGI."""

import asyncio
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from semipark.supervision.events import Cursor


@pytest.fixture(autouse=True)
def outside_playwrights_loop():
    """The session's Playwright (sync API) leaves its event loop marked as running in this thread once a
    browser test has run; Django's test clients must call the async view outside it. These tests drive no
    browser, so the mark is lifted while they run and put back after."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    yield
    asyncio._set_running_loop(loop)


def events_of(body: bytes) -> list[tuple[str, str, str]]:
    """(id, event, data) of every event in an SSE body."""
    out = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            out.append((fields["id"], fields["event"], fields["data"]))
    return out


def console_cursor(client) -> str:
    return client.get("/supervision/").context["cursor"]


def test_snapshot_answers_what_happened_after_the_cursor_and_only_to_whom_it_concerns(client_as, plant, raise_alarm):
    a, b = client_as("a_user"), client_as("b_user")
    a_cursor, b_cursor = console_cursor(a), console_cursor(b)
    alarm = raise_alarm(plant["a_sensor"])
    received = events_of(a.get(f"/supervision/events/?cursor={a_cursor}").content)
    assert ("alarm", alarm.pk) in {(name, int(data.split('"id": ')[1].split(",")[0])) for _id, name, data in received}
    assert any(name == "notification" for _id, name, _data in received)
    assert events_of(b.get(f"/supervision/events/?cursor={b_cursor}").content) == []
    # Resuming from the last id sent (as a reconnecting browser does) repeats nothing new.
    last = received[-1][0]
    assert all(
        name != "notification"
        for _i, name, _d in events_of(a.get("/supervision/events/", HTTP_LAST_EVENT_ID=last).content)
    )


def test_a_bad_cursor_starts_from_now(client_as, plant, raise_alarm):
    from datetime import timedelta

    from django.utils import timezone

    from semipark.supervision.models import Alarm

    raise_alarm(plant["a_sensor"])
    Alarm.objects.update(updated=timezone.now() - timedelta(minutes=1))  # older than the look-back
    body = client_as("a_user").get("/supervision/events/?cursor=garbage").content
    assert body.startswith(b"retry:") and events_of(body) == []
    assert Cursor.parse("12.1700000000000000") is not None and Cursor.parse("1.2.3") is None


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/supervision/events/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_stream_under_asgi_delivers_an_alarm_raised_after_connecting(people, plant, raise_alarm, settings):
    settings.SUPERVISION_STREAM_SECONDS = 10

    async def run():
        client = AsyncClient()
        await sync_to_async(client.force_login)(people["a_user"])
        page = await client.get("/supervision/")
        cursor = page.context["cursor"]
        response = await client.get(f"/supervision/events/?cursor={cursor}", headers={"accept": "text/event-stream"})
        assert response["Content-Type"] == "text/event-stream" and response.streaming
        chunks = aiter(response.streaming_content)
        assert (await anext(chunks)).startswith(b"retry:")
        alarm = await sync_to_async(raise_alarm)(plant["a_sensor"])
        seen = b""
        started = time.monotonic()
        while b'"id": %d' % alarm.pk not in seen and time.monotonic() - started < 5:
            seen += await anext(chunks)
        await chunks.aclose()
        return alarm, seen, time.monotonic() - started

    alarm, seen, took = async_to_sync(run)()
    assert b"event: alarm" in seen and b'"id": %d' % alarm.pk in seen
    assert took < 2  # polled about twice a second


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_stream_through_uvicorn(people, plant, raise_alarm, settings, client):
    """The real ASGI server: the event arrives on an open connection, and a closed one ends the stream."""
    from semipark.asgi import application

    settings.SUPERVISION_STREAM_SECONDS = 20
    client.force_login(people["a_user"])
    cursor = client.get("/supervision/").context["cursor"]
    cookies = {"sessionid": client.cookies["sessionid"].value}
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/supervision/events/?cursor={cursor}"
        with httpx.stream("GET", url, cookies=cookies, headers={"accept": "text/event-stream"}, timeout=10) as response:
            assert response.status_code == 200 and response.headers["content-type"] == "text/event-stream"
            lines = response.iter_lines()
            assert next(lines).startswith("retry:")
            alarm = raise_alarm(plant["a_sensor"])
            started = time.monotonic()
            for line in lines:
                if line.startswith("data:") and f'"id": {alarm.pk},' in line:
                    break
            assert time.monotonic() - started < 2
    finally:
        server.should_exit = True
        thread.join(10)
    assert not thread.is_alive()
