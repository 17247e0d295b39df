"""Every component id, in one place: pages, components, callbacks and tests use these names, so an
id is spelled once and a renamed one fails at import rather than in a browser.

The JavaScript in assets/ can not import this module: each .js file lists the ids it reads in a
comment, and tests/callbacks/test_component_ids.py checks that they are here (docs/architecture.md).
A dropdown's label has the id `label_for(control_id)`; assets/a11y.js finds labels the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FilterIds:
    """The ids of one page's filter bar."""

    asat: str
    theme: str
    person: str
    status: str

    def controls(self) -> tuple[str, ...]:
        """In the order the page's callback reads them."""
        return (self.asat, self.theme, self.person, self.status)


def label_for(control_id: str) -> str:
    """The id of the visible label of a control."""
    return f"{control_id}-label"


def _numbered(family: str):
    """The ids of a part a page repeats: `family-1`, `family-2`..."""
    def numbered(number: int) -> str:
        return f"{family}-{number}"
    return numbered


# --- Every page (components/shell.py) -------------------------------------------------------------

MAIN = "main"
SAMPLE_BANNER = "sample-banner"
NAV_OVERVIEW = "nav-overview"
NAV_ACTIONS = "nav-actions"
NAV_EXPLORE = "nav-explore"
NAV_DATA_QUALITY = "nav-data-quality"
NAV_UPLOAD = "nav-upload"
NAV_REPORT = "nav-report"
NAV_PRESENT = "nav-present"
NAV_PLANS = "nav-plans"
NAV_ADMIN = "nav-admin"
# What a page says about its as-at period (components/controls.py asat_notices).
ASAT_ERROR = "asat-error"
ASAT_PARTIAL = "asat-partial"
ASAT_NEWER = "asat-newer"
ASAT_NEWER_LINK = "asat-newer-link"


# --- / : the overview -----------------------------------------------------------------------------

OVERVIEW_ASAT = "overview-asat"
OVERVIEW_BODY = "overview-body"
OVERVIEW_PERSON = "overview-person"
OVERVIEW_QUERY = "overview-query"
OVERVIEW_STATUS = "overview-status"
OVERVIEW_SUMMARY = "overview-summary"
OVERVIEW_THEME = "overview-theme"
STATUS_COUNTS = "status-counts"
theme_heading = _numbered("theme")  # a theme's heading, which labels its section
theme_outcome = _numbered("theme-outcome")  # a theme's outcome rating under its heading

# The as-at, theme, person and status filters `components.controls.filter_bar` draws.
OVERVIEW_FILTERS = FilterIds(OVERVIEW_ASAT, OVERVIEW_THEME, OVERVIEW_PERSON, OVERVIEW_STATUS)


# --- /actions -------------------------------------------------------------------------------------

ACTION_STATUS_COUNTS = "action-status-counts"
ACTIONS_ASAT = "actions-asat"
ACTIONS_BODY = "actions-body"
ACTIONS_PERSON = "actions-person"
ACTIONS_QUERY = "actions-query"
ACTIONS_STATUS = "actions-status"
ACTIONS_SUMMARY = "actions-summary"
ACTIONS_TABLE = "actions-table"
ACTIONS_THEME = "actions-theme"

# Issue 14: /actions/<ref>, one action, its status history and the form to report progress.
ACTION_PAGE_TITLE = "action-page-title"
ACTION_PAGE_STATUS = "action-page-status"
ACTION_PAGE_KPIS = "action-page-kpis"
ACTION_PAGE_HISTORY = "action-page-history"
ACTION_PAGE_HISTORY_BODY = "action-page-history-body"
ACTION_PROGRESS_REF = "action-progress-ref"
ACTION_PROGRESS_STATUS = "action-progress-status"
ACTION_PROGRESS_COMMENT = "action-progress-comment"
ACTION_PROGRESS_ASAT = "action-progress-asat"
ACTION_PROGRESS_SAVE = "action-progress-save"
ACTION_PROGRESS_RESULT = "action-progress-result"

ACTIONS_FILTERS = FilterIds(ACTIONS_ASAT, ACTIONS_THEME, ACTIONS_PERSON, ACTIONS_STATUS)


# --- /kpi/<ref> -----------------------------------------------------------------------------------

KPI_ACTIONS = "kpi-actions"
KPI_ASAT_FORM = "kpi-asat-form"
KPI_ASAT_FORM_ASAT = "kpi-asat-form-asat"
KPI_BACK_LINK = "kpi-back-link"
KPI_ACTIONS_NONE = "kpi-actions-none"
KPI_CHART = "kpi-chart"
KPI_CHART_SUMMARY = "kpi-chart-summary"
KPI_COMPARATORS = "kpi-comparators"
KPI_BENCHMARK = "kpi-benchmark"
KPI_BENCHMARK_HEADING = "kpi-benchmark-heading"
KPI_BENCHMARK_SUMMARY = "kpi-benchmark-summary"
KPI_BENCHMARK_CHART = "kpi-benchmark-chart"
KPI_BENCHMARK_TABLE = "kpi-benchmark-table"
KPI_COMPARATORS_HEADING = "kpi-comparators-heading"
KPI_COMPARATORS_NONE = "kpi-comparators-none"
KPI_UPLOADED_COMPARATORS = "kpi-uploaded-comparators"
KPI_UPLOADED_COMPARATORS_SOURCE = "kpi-uploaded-comparators-source"
KPI_UPLOADED_COMPARATORS_CHART = "kpi-uploaded-comparators-chart"
KPI_UPLOADED_COMPARATORS_TABLE = "kpi-uploaded-comparators-table"
KPI_LA = "kpi-la"
KPI_REASON = "kpi-reason"
KPI_SPC_CHART = "kpi-spc-chart"
KPI_SPC_HEADING = "kpi-spc-heading"
KPI_SPC_ICONS = "kpi-spc-icons"
KPI_SPC_SUMMARY = "kpi-spc-summary"
KPI_STATUS = "kpi-status"
KPI_VALUES = "kpi-values"
# Issue 14: the KPI's commentary (components/commentary.py), its history and the form to write one.
KPI_COMMENTARY = "kpi-commentary"
KPI_COMMENTARY_BODY = "kpi-commentary-body"
KPI_COMMENTARY_LATEST = "kpi-commentary-latest"
KPI_COMMENTARY_NONE = "kpi-commentary-none"
KPI_COMMENTARY_HISTORY = "kpi-commentary-history"
KPI_COMMENTARY_REF = "kpi-commentary-ref"
KPI_COMMENTARY_PERIOD = "kpi-commentary-period"
KPI_COMMENTARY_TEXT = "kpi-commentary-text"
KPI_COMMENTARY_NEXT_STEPS = "kpi-commentary-next-steps"
KPI_COMMENTARY_BY = "kpi-commentary-by"
KPI_COMMENTARY_SAVE = "kpi-commentary-save"
KPI_COMMENTARY_RESULT = "kpi-commentary-result"
# The n-th published comparison on a KPI page: its source line, chart, table and import report.
comparator_source = _numbered("comparator-source")
comparator_note = _numbered("comparator-note")
comparator_chart = _numbered("comparator-chart")
comparator_table = _numbered("comparator-table")
comparator_failures = _numbered("comparator-failures")


# --- /explore -------------------------------------------------------------------------------------

EXPLORE_AREA = "explore-area"
EXPLORE_BODY = "explore-body"
EXPLORE_CHART = "explore-chart"
EXPLORE_COMPARATORS = "explore-comparators"
EXPLORE_UPLOADED_COMPARATORS = "explore-uploaded-comparators"
EXPLORE_FROM = "explore-from"
EXPLORE_KPI = "explore-kpi"
EXPLORE_LA = "explore-la"
EXPLORE_MODE = "explore-mode"
EXPLORE_QUERY = "explore-query"
EXPLORE_LOADING = "explore-loading"
EXPLORE_STATUS = "explore-status"
EXPLORE_TABLE = "explore-table"
EXPLORE_TARGET_NOTE = "explore-target-note"
EXPLORE_TO = "explore-to"

# The explore page's controls, in the order its callback reads them.
EXPLORE_CONTROLS = (EXPLORE_KPI, EXPLORE_FROM, EXPLORE_TO, EXPLORE_AREA, EXPLORE_MODE, EXPLORE_LA)


# --- /data-quality --------------------------------------------------------------------------------

FINDINGS_COUNT = "findings-count"
FINDINGS_TABLE = "findings-table"
LOAD_FAILURES_NONE = "load-failures-none"
LOAD_FAILURES_TABLE = "load-failures-table"
RULE_LIST = "rule-list"


# --- /accessibility -------------------------------------------------------------------------------

COMPLIANCE_STATUS = "compliance-status"
NON_COMPLIANCES = "non-compliances"
STATEMENT_DATES = "statement-dates"
STATEMENT_PLACEHOLDERS = "statement-placeholders"


# --- /present -------------------------------------------------------------------------------------

PRESENT_ASAT = "present-asat"
PRESENT_CLOCK = "present-clock"
PRESENT_CLOCK_TICK = "present-clock-tick"
PRESENT_CONFIG = "present-config"
PRESENT_COUNTS = "present-counts"
PRESENT_EXCEPTIONS = "present-exceptions"  # issue 14: an exception slide's list
PRESENT_OUTCOME = "present-outcome"  # a theme slide's outcome rating
PRESENT_META = "present-meta"
PRESENT_NEXT = "present-next"
PRESENT_OVERDUE = "present-overdue"
PRESENT_PAGE = "present-page"
PRESENT_PAUSE = "present-pause"
PRESENT_PAUSED = "present-paused"
PRESENT_PREV = "present-prev"
PRESENT_PROGRESS = "present-progress"
PRESENT_RED_KPIS = "present-red-kpis"
PRESENT_SAMPLE = "present-sample"
PRESENT_SLIDE = "present-slide"
PRESENT_SLIDE_NUMBER = "present-slide-number"
PRESENT_STATE = "present-state"
PRESENT_THEME_TITLE = "present-theme-title"
PRESENT_TICK = "present-tick"


# --- /report --------------------------------------------------------------------------------------

REPORT_ASAT = "report-asat"
REPORT_ASAT_FORM = "report-asat-form"
REPORT_ASAT_FORM_ASAT = "report-asat-form-asat"
REPORT_COUNTS = "report-counts"
REPORT_DATE = "report-date"
REPORT_DOWNLOADS = "report-downloads"
# Issue 14: the exception report (components/exceptions.py) and the sign-off section.
REPORT_EXCEPTIONS = "report-exceptions"
REPORT_EXCEPTIONS_TABLE = "report-exceptions-table"
REPORT_SIGNOFF = "report-signoff"
REPORT_SIGNOFF_BODY = "report-signoff-body"
REPORT_SIGNOFF_BUTTON = "report-signoff-button"
REPORT_SIGNOFF_PERIOD = "report-signoff-period"
REPORT_SIGNOFF_RESULT = "report-signoff-result"
REPORT_REVISIONS = "report-revisions"
REPORT_OUTCOMES = "report-outcomes"
REPORT_OVERDUE = "report-overdue"
REPORT_PACK = "report-pack"
REPORT_RED_KPIS = "report-red-kpis"
REPORT_SAMPLE = "report-sample"
REPORT_STATE = "report-state"
REPORT_TITLE = "report-title"
report_theme = _numbered("report-theme")
report_actions = _numbered("report-actions")


# --- /theme/<n> ----------------------------------------------------------------------------------

THEME_PAGE_ACTIONS = "theme-page-actions"
THEME_PAGE_BOARD_CHANGES = "theme-page-board-changes"
THEME_PAGE_HISTORY = "theme-page-history"
THEME_PAGE_KPIS = "theme-page-kpis"
THEME_PAGE_OUTCOME = "theme-page-outcome"
THEME_PAGE_TITLE = "theme-page-title"


# --- /upload --------------------------------------------------------------------------------------

UPLOAD_ACTION_MESSAGE = "upload-action-message"
UPLOAD_ACTION_RESULT = "upload-action-result"
UPLOAD_BATCH_BODY = "upload-batch-body"
UPLOAD_BATCH_ROWS = "upload-batch-rows"
UPLOAD_BATCH_TABLE = "upload-batch-table"
UPLOAD_COMMIT = "upload-commit"
UPLOAD_ERRORS = "upload-errors"
UPLOAD_FILE = "upload-file"
UPLOAD_FILE_NAME = "upload-file-name"
UPLOAD_HISTORY = "upload-history"
UPLOAD_HISTORY_TABLE = "upload-history-table"
UPLOAD_HISTORY_VERSION = "upload-history-version"
UPLOAD_IDENTICAL = "upload-identical"
UPLOAD_KIND = "upload-kind"
UPLOAD_MESSAGE = "upload-message"
UPLOAD_NEW = "upload-new"
UPLOAD_NOTHING = "upload-nothing"
UPLOAD_PREVIEW_BODY = "upload-preview-body"
UPLOAD_PREVIEW_COUNTS = "upload-preview-counts"
UPLOAD_REPORT = "upload-report"
UPLOAD_REPORT_BODY = "upload-report-body"
UPLOAD_RESULT = "upload-result"
UPLOAD_REVISED = "upload-revised"
UPLOAD_TEMPLATE_LINK = "upload-template-link"
UPLOAD_UNCHANGED = "upload-unchanged"
UPLOAD_VERDICT = "upload-verdict"
UPLOAD_WARNINGS = "upload-warnings"
# Pattern-matching id types, {"type": BATCH_UNDO, "index": batch id}: a button per batch in the
# history.
BATCH_OPEN = "batch-open"
BATCH_REDO = "batch-redo"
BATCH_UNDO = "batch-undo"


# --- signing in and the admin pages ---------------------------------------------------------------

ADMIN_AUDIT_TABLE = "admin-audit-table"
ADMIN_DISPLAY_CREATE = "admin-display-create"
ADMIN_DISPLAY_LABEL = "admin-display-label"
ADMIN_DISPLAY_MESSAGE = "admin-display-message"
ADMIN_DISPLAY_RESULT = "admin-display-result"
ADMIN_DISPLAY_REVOKE = "admin-display-revoke"
ADMIN_DISPLAYS = "admin-displays"
ADMIN_DISPLAYS_VERSION = "admin-displays-version"
ADMIN_TOKEN_CREATE = "admin-token-create"
ADMIN_TOKEN_MESSAGE = "admin-token-message"
ADMIN_TOKEN_NAME = "admin-token-name"
ADMIN_TOKEN_RESULT = "admin-token-result"
ADMIN_TOKEN_REVOKE = "admin-token-revoke"
ADMIN_TOKEN_ROLE = "admin-token-role"
ADMIN_TOKENS = "admin-tokens"
ADMIN_TOKENS_VERSION = "admin-tokens-version"
ADMIN_USER_MESSAGE = "admin-user-message"
ADMIN_USER_NAME = "admin-user-name"
ADMIN_USER_PASSWORD = "admin-user-password"
ADMIN_USER_RESULT = "admin-user-result"
ADMIN_USER_ROLE = "admin-user-role"
ADMIN_USER_SAVE = "admin-user-save"
ADMIN_USER_TOGGLE = "admin-user-toggle"
ADMIN_USERS = "admin-users"
ADMIN_USERS_VERSION = "admin-users-version"
ADMIN_USERS_TABLE = "admin-users-table"
ADMIN_TOKENS_TABLE = "admin-tokens-table"
ADMIN_DISPLAYS_TABLE = "admin-displays-table"
SIGN_OUT = "sign-out"
SIGN_OUT_CSRF = "sign-out-csrf"
SIGNED_IN_AS = "signed-in-as"


def secret_block(secret_id: str) -> str:
    """The block around a token or link shown once, by the id of the secret in it."""
    return f"{secret_id}-block"

# Plans (issue 13): /plans, the header's plan switcher, the KPI page's target history.
KPI_DEFINITIONS = "kpi-definitions"
KPI_DEFINITIONS_SECTION = "kpi-definitions-section"
KPI_DEFINITION_SUMMARY = "kpi-definition-summary"
KPI_TARGET_HISTORY = "kpi-target-history"
KPI_TARGET_HISTORY_SECTION = "kpi-target-history-section"
PLANS_ACTION_MESSAGE = "plans-action-message"
PLANS_ADDED = "plans-added"
PLANS_CHANGED = "plans-changed"
PLANS_REMOVED = "plans-removed"
PLANS_ACTION_RESULT = "plans-action-result"
PLANS_COMPARED_WITH = "plans-compared-with"
PLANS_ERRORS = "plans-errors"
PLANS_FILE = "plans-file"
PLANS_FILE_NAME = "plans-file-name"
PLANS_HISTORY = "plans-history"
PLANS_HISTORY_TABLE = "plans-history-table"
PLANS_IDENTICAL = "plans-identical"
PLANS_IMPORT = "plans-import"
PLANS_KIND = "plans-kind"
PLANS_LIST = "plans-list"
PLANS_MESSAGE = "plans-message"
PLANS_NEW = "plans-new"
PLANS_PREVIEW_BODY = "plans-preview-body"
PLANS_PREVIEW_COUNTS = "plans-preview-counts"
PLANS_REPORT = "plans-report"
PLANS_REPORT_BODY = "plans-report-body"
PLANS_RESULT = "plans-result"
PLANS_REVISION = "plans-revision"
PLANS_TABLE = "plans-table"
PLANS_TARGETS = "plans-targets"
PLANS_VERDICT = "plans-verdict"
PLANS_VERSION = "plans-version"
PLANS_WARNINGS = "plans-warnings"
PLAN_BATCH_REDO = "plan-batch-redo"
PLAN_BATCH_UNDO = "plan-batch-undo"
PLAN_CURRENT = "plan-current"
PLAN_SWITCHER = "plan-switcher"
PLAN_SWITCHER_SUMMARY = "plan-switcher-summary"
PLAN_SWITCHER_UNKNOWN = "plan-switcher-unknown"


def plan_switcher_choice(plan_id: int) -> str:
    """The switcher's link to one plan."""
    return f"plan-switcher-{plan_id}"
