"""The fixed vocabularies of the record, as stored codes in display order.

People see them through the locale files (e.g. `area.procedures`).
"""

UNIT_KINDS = ("department", "vertical", "district", "commune", "other")

# "Công tác chỉ đạo, điều hành" first, as local plans put it, then the six
# areas of Resolution 76/NQ-CP in their order.
AREAS = (
    "leadership", "institutions", "procedures", "organisation",
    "civil_service", "public_finance", "digital",
)
SEVERITIES = ("minor", "moderate", "serious")
PLAN_LEVELS = ("city", "unit")
PLAN_KINDS = ("comprehensive", "thematic")
ROLES = ("leader", "deputy", "member", "secretary")
VISIT_STATUSES = ("planned", "held", "postponed", "cancelled")
TASK_STATUSES = ("open", "in_progress", "reported_done", "verified", "cancelled")
ACTIVE_TASK = ("open", "in_progress")  # the unit still has to act; these can be overdue
UNFINISHED_TASK = ("open", "in_progress", "reported_done")  # pass to a successor unit
MILESTONE_STATUSES = ("not_started", "in_progress", "done", "delayed", "cancelled")
MEASURES = ("percent", "count", "dong")
REORGANISATIONS = ("merge", "rename", "split", "dissolve")
# a link of a reorganisation: its kind, or "hold" for the unit that only holds the open
# tasks of a dissolved unit until they are passed on (pending reassignment)
SUCCESSION_KINDS = REORGANISATIONS + ("hold",)
ASSIGN_RULES = ("task", "unit", "area", "all", "holder")  # how a reorganisation passed a task on
AGEING_BUCKETS = ("not_due", "due_7", "overdue_1_30", "overdue_31_90", "overdue_90_plus")
CHECK_RESULTS = ("verified", "still_open")  # a task left open by an earlier visit, checked at the next
NOTICE_STATES = ("late", "due_week", "pending", "issued", "issued_late")  # the conclusion notice
