"""The data-protection app has no API endpoints: its pages and downloads are for people."""

urlpatterns: list = []
