"""The test SMTP server's mailbox (the ``smtp_server`` fixture of the root conftest.py)."""

import email
import socket
from email import policy


class Mailbox:
    """What the test SMTP server received: ``messages`` is a list of (recipients, raw bytes);
    ``parsed()`` gives each as (recipients, message, plain text, HTML)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self):
        return [(recipients, *parts_of(raw)) for recipients, raw in self.messages]


def parts_of(raw):
    """A raw mail as (message, plain text part, HTML part or None)."""
    message = email.message_from_bytes(raw, policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    html_part = message.get_body(("html",))
    return message, text, html_part.get_content() if html_part else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
