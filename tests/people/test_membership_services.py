import pytest

from core.errors import DomainError
from people.models import Membership, Role
from people.services import membership_grant, membership_revoke
from tests.factories import JobcenterFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_staff_role_opens_the_admin_and_is_granted_once():
    provider, user = OrganisationFactory(), UserFactory()
    first = membership_grant(user=user, organisation=provider, role=Role.STAFF)
    again = membership_grant(user=user, organisation=provider, role=Role.STAFF)
    user.refresh_from_db()
    assert user.is_staff
    assert first.pk == again.pk
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TEACHER, Role.NETWORK_VIEWER])
def test_other_provider_roles_do_not_open_the_admin(role):
    user = UserFactory()
    membership_grant(user=user, organisation=OrganisationFactory(), role=role)
    user.refresh_from_db()
    assert not user.is_staff


@pytest.mark.django_db
def test_caseworker_belongs_to_a_jobcenter_not_to_a_provider():
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        membership_grant(user=user, organisation=OrganisationFactory(), role=Role.CASEWORKER)
    assert error.value.code == "role_not_allowed"
    with pytest.raises(DomainError):
        membership_grant(user=user, organisation=JobcenterFactory(), role=Role.STAFF)
    membership_grant(user=user, organisation=JobcenterFactory(), role=Role.CASEWORKER)
    user.refresh_from_db()
    assert not user.is_staff


@pytest.mark.django_db
def test_revoking_the_last_staff_role_closes_the_admin():
    user = UserFactory()
    a = membership_grant(user=user, organisation=OrganisationFactory(), role=Role.STAFF)
    b = membership_grant(user=user, organisation=OrganisationFactory(), role=Role.STAFF)
    membership_revoke(membership=a)
    user.refresh_from_db()
    assert user.is_staff  # still staff elsewhere
    membership_revoke(membership=b)
    user.refresh_from_db()
    assert not user.is_staff
