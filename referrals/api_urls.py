from django.urls import path

from referrals import api

urlpatterns = [
    path("referrals/", api.ReferralListView.as_view(), name="referrals"),
    path("referrals/receivers/", api.ReceiverListView.as_view(), name="referrals-receivers"),
    path("referrals/<int:referral_id>/", api.ReferralDetailView.as_view(), name="referral"),
]
