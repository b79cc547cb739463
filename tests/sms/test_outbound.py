"""The outbound sender against a local stand-in of Twilio's Messages API."""

import asyncio

import pytest

from sms.outbound import SendFailed, SenderConfig, TwilioSender

from .twilio_standin import StandIn, start

pytestmark = pytest.mark.asyncio
ACCOUNT = "AC" + "0" * 32


@pytest.fixture
async def standin():
    fake = StandIn()
    runner, url = await start(fake)
    yield fake, url
    await runner.cleanup()


def sender(url: str, **kwargs) -> TwilioSender:
    config = SenderConfig(ACCOUNT, "secret-token", sms_from="+447700900001",
                          whatsapp_from="whatsapp:+447700900002", api_base=url,
                          status_callback="https://example.org/webhooks/twilio/status")
    return TwilioSender(config, base_delay=0.01, **kwargs)


async def test_sends_plain_gsm7_sms(standin):
    fake, url = standin
    client = sender(url)
    sid = await client.send("+447700900123", "It\u2019s open \u2014 call 116 123 \U0001F600")
    await client.close()
    assert sid.startswith("SM")
    sent = fake.received[0]
    assert sent["Body"] == "It's open - call 116 123" and sent["From"] == "+447700900001"
    assert sent["StatusCallback"].endswith("/status")


async def test_whatsapp_goes_from_the_whatsapp_number(standin):
    fake, url = standin
    client = sender(url)
    await client.send("whatsapp:+447700900123", "hello")
    await client.close()
    assert fake.received[0]["From"] == "whatsapp:+447700900002"


@pytest.mark.parametrize("failures", [[429], [500, 503], [429, 500, 429]])
async def test_retries_with_backoff_on_429_and_5xx(standin, failures):
    fake, url = standin
    fake.failures = list(failures)
    client = sender(url)
    sid = await client.send("+447700900123", "hello")
    await client.close()
    assert sid and fake.failures == [] and len(fake.received) == 1


async def test_gives_up_after_the_last_attempt(standin):
    fake, url = standin
    fake.failures = [500] * 10
    client = sender(url, max_attempts=3)
    with pytest.raises(SendFailed):
        await client.send("+447700900123", "hello")
    await client.close()
    assert fake.received == [] and len(fake.failures) == 7


async def test_does_not_retry_a_client_error(standin):
    fake, url = standin
    fake.failures = [400, 400]
    client = sender(url)
    with pytest.raises(SendFailed):
        await client.send("+447700900123", "hello")
    await client.close()
    assert fake.failures == [400]


async def test_does_not_block_the_event_loop(standin):
    fake, url = standin
    fake.failures = [429, 429]
    client = sender(url)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    await client.send("+447700900123", "hello")
    task.cancel()
    await client.close()
    assert ticks > 5
