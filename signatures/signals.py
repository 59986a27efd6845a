"""Sent when a file's signatures have been checked: ``signature_checked(sender=<the target's
model>, check=<SignatureCheck>, target=<the object holding the file>)``. The applications that
hold files apply the result (an agency plan signed before its upload counts as submitted at its
signing time) without this application knowing them."""

from django.dispatch import Signal

signature_checked = Signal()
