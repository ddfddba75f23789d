"""What the commissions app announces to the apps built on it.

Commissions imports no other app (docs/architecture.md), so an app that must react when people
take or change seats listens here instead of being called.
"""

from django.dispatch import Signal

seats_changed = Signal()
"""Sent after people took new seats or changed seats, once the change is committed.

Arguments: ``user_ids``, a list of the ids of the people whose seats changed. The sender is the
model class whose workflow changed them (``MemberImport`` for an applied member file). Receivers
must be cheap: queue work (``transaction.on_commit``) rather than do it in the request. The
courses app listens to enrol the people in the courses assigned to their new seats.
"""
