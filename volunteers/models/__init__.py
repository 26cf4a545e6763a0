"""The volunteers app's data, by topic: profiles, requirements, activities and shifts, tandems,
hours and proofs, allowances. Every model says how long its rows are kept (``retention``, see
``core.retention``) or that it holds no personal data (``personal_data = False``)."""

from volunteers.models.activities import Activity, ActivitySignup, Shift, ShiftAssignment
from volunteers.models.allowances import (
    AllowanceDeclaration,
    AllowanceKind,
    AllowanceLimit,
    AllowancePayment,
    ExpenseReimbursement,
)
from volunteers.models.hours import HoursEntry, VolunteeringProof
from volunteers.models.profiles import (
    Availability,
    Skill,
    Volunteer,
    VolunteerLanguage,
    VolunteerPolicy,
    VolunteerRole,
    Weekday,
)
from volunteers.models.requirements import (
    ConductCheck,
    RequirementKind,
    RequirementRecord,
    RequirementRule,
)
from volunteers.models.tandems import ContactChannel, Tandem, TandemCheckin, TandemMeeting

__all__ = [
    "Activity",
    "ActivitySignup",
    "AllowanceDeclaration",
    "AllowanceKind",
    "AllowanceLimit",
    "AllowancePayment",
    "Availability",
    "ConductCheck",
    "ContactChannel",
    "ExpenseReimbursement",
    "HoursEntry",
    "RequirementKind",
    "RequirementRecord",
    "RequirementRule",
    "Shift",
    "ShiftAssignment",
    "Skill",
    "Tandem",
    "TandemCheckin",
    "TandemMeeting",
    "Volunteer",
    "VolunteerLanguage",
    "VolunteerPolicy",
    "VolunteerRole",
    "VolunteeringProof",
    "Weekday",
]
