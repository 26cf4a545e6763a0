from django.urls import include, path

from billing import views
from billing.views import contributions as money

urlpatterns = [
    path("billing/", views.home, name="billing-home"),
    path(
        "billing/courses/<int:course_pk>/modules/<int:module_pk>/claim/",
        views.claim_open,
        name="billing-claim-open",
    ),
    path("billing/claims/<int:pk>/", views.claim_detail, name="billing-claim"),
    path(
        "billing/claims/<int:pk>/findings/<int:finding_pk>/acknowledge/",
        views.finding_acknowledge,
        name="billing-finding-acknowledge",
    ),
    path("billing/claims/<int:pk>/payments/", views.payment_record, name="billing-payment-record"),
    path("billing/claims/<int:pk>/issue/", views.claim_issue, name="billing-claim-issue"),
    path("billing/claims/<int:pk>/claim.xlsx", views.claim_xlsx, name="billing-claim-xlsx"),
    path("billing/claims/<int:pk>/claim.pdf", views.claim_pdf, name="billing-claim-pdf"),
    path(
        "billing/claims/<int:pk>/bamf-payments/",
        views.bamf_payment_record,
        name="billing-bamf-payment-record",
    ),
    path("billing/revenue/", views.revenue_report, name="billing-revenue"),
    path("billing/revenue/revenue.xlsx", views.revenue_export, name="billing-revenue-xlsx"),
    path(
        "billing/claims/<int:pk>/payments/<int:payment_pk>/receipt.pdf",
        money.receipt,
        name="billing-receipt",
    ),
    path(
        "billing/learners/<int:learner_pk>/exemptions/",
        money.learner_exemptions,
        name="billing-learner-exemptions",
    ),
    path(
        "billing/learners/<int:learner_pk>/exemptions/record/",
        money.exemption_record,
        name="billing-exemption-record",
    ),
    path(
        "billing/learners/<int:learner_pk>/travel/record/",
        money.travel_record,
        name="billing-travel-record",
    ),
    path("billing/evidence/", money.evidence, name="billing-evidence"),
    path("billing/reminders/", money.reminders, name="billing-reminders"),
    path(
        "billing/reminders/<int:pk>/letter.pdf",
        money.reminder_letter,
        name="billing-reminder-letter",
    ),
    path("", include("billing.inge.urls")),
]
