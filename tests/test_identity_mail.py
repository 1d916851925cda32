"""The outbox: mail waits while SMTP is down, goes once when it is up, to a real aiosmtpd server."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from newswire.identity.sender import MailSender
from newswire.models.errors import Invalid
from newswire.models.mail import MailStatus, OutgoingMail
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.smtp import SmtpServer, mailing_through

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return mailing_through(settings, smtp, "desk@wire.example")


async def test_a_link_waits_while_smtp_is_down_then_goes_exactly_once(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    invitation = await runtime.people.create_staff(
        "new@newswire.example", "New Hire", PersonRole.EDITOR, "tr"
    )
    assert invitation.mailed
    # SMTP is down: nothing goes, nothing is lost.
    before = runtime.clock()
    assert await runtime.mail_sender.send_due() == 0
    after = runtime.clock()
    (queued,) = await runtime.mailer.messages()
    assert queued.status is MailStatus.QUEUED and queued.attempts == 1
    assert "cannot reach 127.0.0.1" in queued.last_error
    delay = timedelta(seconds=10)  # the first of the retry schedule
    assert before + delay <= queued.next_attempt_at <= after + delay
    assert await runtime.mail_sender.send_due() == 0, "not due again before its delay"
    runtime.clock.advance(timedelta(seconds=11))
    assert await runtime.mail_sender.send_due() == 0, "still down: the next delay applies"
    (queued,) = await runtime.mailer.messages()
    assert queued.attempts == 2 and queued.status is MailStatus.QUEUED

    smtp.start()
    runtime.clock.advance(timedelta(seconds=31))
    assert await runtime.mail_sender.send_due() == 1
    (message,) = smtp.recorder.to("new@newswire.example")
    assert message["From"] == "desk@wire.example"
    assert message["Subject"] == "Newswire için parolanızı belirleyin"
    assert message["Message-ID"] == f"<{queued.id}@wire.example>"
    assert invitation.link in message.get_content()
    (sent,) = await runtime.mailer.messages()
    assert sent.status is MailStatus.SENT and sent.sent_at is not None

    # Nothing more goes: not on the next round, not when the same message is queued again.
    runtime.clock.advance(timedelta(hours=2))
    assert await runtime.mail_sender.send_due() == 0
    again = await runtime.mailer.enqueue(sent.mail)
    assert again is not None and again.id == sent.id and again.status is MailStatus.SENT
    assert await runtime.mail_sender.send_due() == 0
    assert len(smtp.recorder.messages) == 1


async def test_two_senders_at_once_send_a_message_once(
    runtime: Runtime, smtp: SmtpServer, settings: Settings
) -> None:
    smtp.start()
    for index in range(5):
        await runtime.mailer.enqueue(
            OutgoingMail(f"reader{index}@daily.example", "Alert", "A story.", "alert:story-1")
        )
    other = MailSender(
        runtime.storage.outbox,
        runtime.smtp,
        runtime.clock,
        settings.mail_retry_schedule,
        asyncio.Event(),
    )
    counts = await asyncio.gather(runtime.mail_sender.send_due(), other.send_due())
    assert sum(counts) == 5
    assert sorted(r[0] for r, _m in smtp.recorder.messages) == [
        f"reader{index}@daily.example" for index in range(5)
    ]


async def test_the_same_key_to_another_address_is_another_message(runtime: Runtime) -> None:
    first = await runtime.mailer.enqueue(OutgoingMail("a@daily.example", "S", "T", "alert:9"))
    twice = await runtime.mailer.enqueue(OutgoingMail("A@Daily.Example", "S", "T", "alert:9"))
    other = await runtime.mailer.enqueue(OutgoingMail("b@daily.example", "S", "T", "alert:9"))
    assert first is not None and twice is not None and other is not None
    assert first.id == twice.id != other.id
    assert len(await runtime.mailer.messages()) == 2


async def test_a_refused_recipient_fails_for_good_and_the_others_go(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    smtp.recorder.refuse.add("gone@daily.example")
    smtp.start()
    await runtime.mailer.enqueue(OutgoingMail("gone@daily.example", "Alert", "Text", "k1"))
    await runtime.mailer.enqueue(OutgoingMail("here@daily.example", "Alert", "Text", "k1"))
    assert await runtime.mail_sender.send_due() == 1
    failed = await runtime.mailer.messages(MailStatus.FAILED)
    assert [m.mail.to for m in failed] == ["gone@daily.example"]
    assert "550" in failed[0].last_error
    runtime.clock.advance(timedelta(days=1))
    assert await runtime.mail_sender.send_due() == 0, "not retried"


async def test_bad_mail_is_refused_before_it_is_queued(runtime: Runtime) -> None:
    for mail, field in (
        (OutgoingMail("not an address", "S", "T", "k"), "to"),
        (OutgoingMail("a@daily.example", "", "T", "k"), "subject"),
        (OutgoingMail("a@daily.example", "Two\nlines", "T", "k"), "subject"),
        (OutgoingMail("a@daily.example", "S", "T", " "), "key"),
    ):
        with pytest.raises(Invalid) as refused:
            await runtime.mailer.enqueue(mail)
        assert refused.value.field == field
    assert await runtime.mailer.messages() == []


async def test_the_sender_job_sends_new_mail_at_once(runtime: Runtime, smtp: SmtpServer) -> None:
    smtp.start()
    stop = asyncio.Event()
    job = asyncio.create_task(runtime.mail_sender.run(stop))
    try:
        await asyncio.sleep(0.1)  # the job is waiting for work
        await runtime.mailer.enqueue(OutgoingMail("a@daily.example", "Alert", "Text", "k"))
        for _ in range(100):
            if smtp.recorder.messages:
                break
            await asyncio.sleep(0.05)
        assert len(smtp.recorder.to("a@daily.example")) == 1
    finally:
        stop.set()
        await asyncio.wait_for(job, 10)
    assert "mail" in {j.name for j in runtime.jobs}


async def test_without_smtp_nothing_is_queued_and_the_link_is_shown(
    settings: Settings,
) -> None:
    from tests.accounts import app_client

    async with app_client(settings.replace(smtp_host="")) as (_client, runtime):
        invitation = await runtime.people.create_staff("x@newswire.example", "X", PersonRole.ADMIN)
        assert not invitation.mailed and invitation.link.startswith("https://wire.example/desk/")
        assert await runtime.mailer.messages() == []
        assert "mail" not in {job.name for job in runtime.jobs}
