"""Parts of the Twilio channel that need no server."""

from xml.etree import ElementTree

from bot.twilio_channel import RateLimiter, TwilioSecureInput, twiml
from sms.pseudonym import channel_of, pseudonym


def test_with_no_token_or_secret_every_request_is_refused_and_the_reason_logged(caplog):
    channel = TwilioSecureInput(auth_token=None, sender_secret="s")
    assert "TWILIO_AUTH_TOKEN" in channel._refusal
    assert "will refuse every request" in caplog.text
    assert "SENDER_ID_SECRET" in TwilioSecureInput(auth_token="t", sender_secret="")._refusal
    assert TwilioSecureInput(auth_token="t", sender_secret="s")._refusal is None


def test_twiml_has_one_plain_message_per_reply():
    xml = twiml(["Hi \u2014 it\u2019s open", "", "Call 111"])
    texts = [m.text for m in ElementTree.fromstring(xml).iter("Message")]
    assert texts == ["Hi - it's open", "Call 111"]


def test_rate_limiter_gives_one_notice_per_window():
    limiter = RateLimiter(limit=3, window=60)
    verdicts = [limiter.check("p", now=float(i)) for i in range(6)]
    assert verdicts == ["ok", "ok", "ok", "notice", "silent", "silent"]
    assert limiter.check("p", now=200.0) == "ok"
    assert limiter.check("other", now=5.0) == "ok"


def test_pseudonyms_are_keyed_and_channel_blind():
    sms = pseudonym("+447700900123", "secret")
    assert sms == pseudonym("whatsapp:+447700900123", "secret")
    assert sms != pseudonym("+447700900123", "another secret")
    assert "7700900123" not in sms
    assert channel_of("whatsapp:+447700900123") == "whatsapp" and channel_of("+44770") == "sms"
