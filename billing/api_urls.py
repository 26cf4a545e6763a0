"""No API endpoints yet: billing is done on the staff pages."""

urlpatterns: list = []
