"""The store changes a person or a token makes, each written to the audit log as it happens:
committing an upload, undoing and redoing a batch (a plan's too), importing a plan and making one
current. The pages' callbacks and the API both come through here, so a change never skips its
audit line, and the uploader is always who the request is signed in as (never a typed name).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from domain.ingest.plan_import import PlanImportCheck
from domain.ingest.records import check_record
from domain.ingest.upload import UploadCheck, commit_upload
from domain.store.plan_repository import PlanImportResult
from domain.store.repository import Batch, CommitResult
from domain.rules.signoff import PeriodSignoff, signoff_for
from domain.store.source import commit_plan_import
from runtime.auth import audit, current_principal
from runtime.context import current_plans, current_signoffs, current_store, upload_plan


def commit(check: UploadCheck) -> CommitResult | None:
    """Store a checked upload as the signed-in principal; None when it has errors."""
    result = commit_upload(check, current_principal().name, current_store())
    if result is not None and result.committed:
        preview = result.preview
        audit("upload", f"batch {result.batch_id}",
              f"{check.file_name} ({check.kind}): {len(preview.new)} new, "
              f"{len(preview.revised)} revised, {len(preview.unchanged)} unchanged")
    return result


def commit_record(kind_name: str, cells: Mapping[str, str], source: str
                  ) -> tuple[UploadCheck, CommitResult | None]:
    """Check one record typed on a page or sent to the API (a KPI's commentary, an action's
    progress) as a one-row upload of its kind and, when it passes, store it as a batch of the
    signed-in principal (issue 14): (the check, the commit or None)."""
    who = current_principal().name
    when = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    check = check_record(kind_name, cells, upload_plan(), current_store(), source, who, when)
    return check, commit(check)


def undo_or_redo(action: str, batch_id: int) -> tuple[bool, Batch | None]:
    """Undo or redo a batch as the signed-in principal: (whether it changed, the batch as it
    was before; None when there is no such batch)."""
    if action not in ("undo", "redo"):
        raise ValueError(action)
    store = current_store()
    batch = store.batch(batch_id)
    if batch is None:
        return False, None
    who = current_principal().name
    done = store.undo(batch_id, who) if action == "undo" else store.redo(batch_id, who)
    if done:
        audit(action, f"batch {batch_id}", f"{batch.file_name} ({batch.kind})")
    return done, batch


def import_plan(check: PlanImportCheck) -> PlanImportResult | None:
    """Store a checked plan (a new plan or a revised version of one) as the signed-in
    principal; None when it has errors."""
    result = commit_plan_import(check, current_principal().name, current_plans())
    if result is not None and result.committed:
        what = "plan revision" if result.is_revision else "plan import"
        audit(what, f"plan {result.plan_id}", f"{check.file_name}: batch {result.batch_id}")
    return result


def make_plan_current(plan_id: int) -> int | None:
    """Make a plan the current one as the signed-in principal: the new batch, or None when it
    already is. Raises KeyError for a plan the store does not hold."""
    batch_id = current_plans().make_current(plan_id, current_principal().name)
    if batch_id is not None:
        audit("current plan", f"plan {plan_id}", f"batch {batch_id}")
    return batch_id


def sign_off(period_label: str) -> tuple[PeriodSignoff, bool]:
    """Sign a quarter off as the signed-in admin (issue 14): (the sign-off that stands, whether
    it is new). A quarter already signed off keeps its first sign-off and nothing is stored."""
    signoffs = current_signoffs()
    standing = signoff_for(signoffs.signoffs(), period_label)
    if standing is not None:
        return standing, False
    # The newest batch now: any later one changes what was signed off.
    last_batch_id = max((batch.id for batch in current_store().batches()), default=0)
    signed = signoffs.sign_off(period_label, current_principal().name, last_batch_id)
    audit("sign-off", f"period {period_label}", f"signed off by {signed.signed_by}")
    return signed, True
