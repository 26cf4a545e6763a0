from django.urls import include, path

from billing import views

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
    path("", include("billing.inge.urls")),
]
