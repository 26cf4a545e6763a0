import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from enrolment import services
from enrolment.models import Enrolment, LoginCode, PlacementBooking, PlacementResult
from tests.enrolment.helpers import fill, learner
from tests.factories import (
    PASSWORD,
    LearnerFactory,
    PlacementBookingFactory,
    PlacementResultFactory,
    make_course,
)


def login(client, user):
    client.force_login(user)
    return client


def learner_with_login(provider, **kw):
    lr = LearnerFactory(provider=provider, **kw)
    services.learner_account_create(learner=lr)
    lr.refresh_from_db()
    return lr


# --- learner pages --------------------------------------------------------------------------


def test_my_courses_in_learner_language_rtl(world, client, small_course):
    """The waiting list place, on the learner's offers page, in Arabic."""
    lr = learner_with_login(world.a.provider, preferred_language="ar")
    fill(small_course, 2)
    services.enrolment_create(course=small_course, learner=lr)
    r = login(client, lr.user).get(reverse("learner-offers"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "أنت رقم 1 على قائمة الانتظار" in html  # position 1, in Arabic


def test_old_my_courses_address_leads_to_the_learner_home(world, client):
    lr = learner_with_login(world.a.provider)
    r = login(client, lr.user).get("/my/courses/")
    assert r.status_code == 301 and r.url == reverse("learner-home")


def test_home_redirects_learner_to_the_learner_home(world, client):
    lr = learner_with_login(world.a.provider)
    r = login(client, lr.user).get("/")
    assert r.status_code == 302 and r.url == reverse("learner-home")


def test_learner_home_not_for_staff(world, client):
    assert login(client, world.a.staff).get(reverse("learner-home")).status_code == 404


def test_register_from_catalogue_and_apply(world, client):
    course = world.a.course
    r = client.post(
        reverse("course-register", args=[course.pk]),
        {
            "first_name": "Amina",
            "last_name": "Haddad",
            "date_of_birth": "1990-04-02",
            "phone": "0151 23456789",
            "email": "",
            "preferred_language": "ar",
        },
    )
    assert r.status_code == 302 and r.url == reverse("learner-home")
    e = Enrolment.objects.get(learner__last_name="Haddad")
    assert e.status == "applied" and e.learner.provider == world.a.provider
    assert e.learner.identity_confirmed_at is None
    assert client.get(reverse("learner-home")).status_code == 200


def test_register_needs_phone_or_email(world, client):
    r = client.post(
        reverse("course-register", args=[world.a.course.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1990-04-02",
            "preferred_language": "de",
        },
    )
    assert r.status_code == 200 and not Enrolment.objects.filter(learner__last_name="B").exists()


def test_course_actions_on_course_page(world, client):
    url = reverse("course-detail", args=[world.a.course.pk])
    assert reverse("course-register", args=[world.a.course.pk]) in client.get(url).content.decode()
    staff_html = login(client, world.a.staff).get(url).content.decode()
    assert reverse("enrolment-staff-course", args=[world.a.course.pk]) in staff_html
    lr = learner_with_login(world.a.provider)
    html = login(client, lr.user).get(url).content.decode()
    assert reverse("course-apply", args=[world.a.course.pk]) in html


def test_apply_page_and_offer_answer(world, client, small_course):
    lr = learner_with_login(world.a.provider)
    login(client, lr.user)
    r = client.post(reverse("course-apply", args=[small_course.pk]))
    assert r.status_code == 302
    e = Enrolment.objects.get(learner=lr)
    assert e.status == "applied"
    fill(small_course, 2)
    services.application_confirm(enrolment=e, by=world.a.staff)
    first = Enrolment.objects.filter(course=small_course, status="enrolled").first()
    services.enrolment_withdraw(enrolment=first, reason="work")
    e.refresh_from_db()
    assert e.status == "offered"
    client.post(reverse("learner-offer-answer", args=[e.pk, "accept"]))
    e.refresh_from_db()
    assert e.status == "enrolled"


def test_learner_cannot_answer_others_offer(world, client, small_course):
    (e,) = fill(small_course, 1)
    intruder = learner_with_login(world.a.provider)
    r = login(client, intruder.user).post(reverse("learner-offer-answer", args=[e.pk, "decline"]))
    assert r.status_code == 404


# --- login codes ----------------------------------------------------------------------------


def test_login_code_logs_phone_in_once(world, client):
    lr = LearnerFactory(provider=world.a.provider)
    staff_client = login(client.__class__(), world.a.staff)
    r = staff_client.post(reverse("enrolment-login-code", args=[lr.pk]))
    assert r.status_code == 200
    code = r.context["code"]
    assert "<svg" in r.content.decode()
    lr.refresh_from_db()
    assert lr.user is not None and not lr.user.has_usable_password()
    assert LoginCode.objects.get(learner=lr).code_hash != code
    link = reverse("code-login-link", args=[code])
    assert client.get(link).status_code == 200  # shows a button, does not use the code
    r = client.post(reverse("code-login"), {"code": code.lower().replace("-", "")})
    assert r.status_code == 302 and r.url == reverse("learner-home")
    assert client.session.get_expiry_age() >= 60 * 60 * 24 * 179
    other = client.__class__()
    r = other.post(reverse("code-login"), {"code": code})
    assert r.status_code == 400 and "_auth_user_id" not in other.session


def test_reissued_code_replaces_old_and_expiry(world, client):
    lr = LearnerFactory(provider=world.a.provider)
    _, old = services.login_code_issue(learner=lr, by=world.a.staff)
    row, new = services.login_code_issue(learner=lr, by=world.a.staff)
    with pytest.raises(DomainError) as exc:
        services.login_code_redeem(code=old)
    assert exc.value.code == "code_revoked"
    LoginCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as exc:
        services.login_code_redeem(code=new)
    assert exc.value.code == "code_expired"
    with pytest.raises(DomainError) as exc:
        services.login_code_redeem(code="AAAA-BBBB-CCCC")
    assert exc.value.code == "code_invalid"


def test_qr_on_code_sheet_decodes_to_login_link(world, client):
    import zxingcpp
    from PIL import Image

    from core.qr import qr_png

    lr = LearnerFactory(provider=world.a.provider)
    r = login(client, world.a.staff).post(reverse("enrolment-login-code", args=[lr.pk]))
    url = r.context["url"]
    assert url.endswith(reverse("code-login-link", args=[r.context["code"]]))
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))
    assert decoded[0].text == url


def test_login_code_outsider_404(world, client):
    lr = LearnerFactory(provider=world.a.provider)
    assert (
        login(client, world.b.staff).post(reverse("enrolment-login-code", args=[lr.pk])).status_code
        == 404
    )
    assert (
        login(client, world.a.teacher)
        .post(reverse("enrolment-login-code", args=[lr.pk]))
        .status_code
        == 404
    )


# --- PDF ------------------------------------------------------------------------------------


def test_confirmation_pdf_text(world, client):
    from pypdf import PdfReader

    lr = learner_with_login(world.a.provider, first_name="Olena", last_name="Kovalenko")
    e = services.enrolment_create(course=world.a.course, learner=lr)
    r = login(client, lr.user).get(reverse("enrolment-confirmation-pdf", args=[e.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "Olena Kovalenko" in text
    assert "Anmeldebestätigung" in text
    assert e.start_date.strftime("%d.%m.%Y") in text


def test_confirmation_pdf_outsiders(world, client):
    (e,) = fill(world.a.course, 1)
    url = reverse("enrolment-confirmation-pdf", args=[e.pk])
    assert client.get(url).status_code == 404
    assert login(client, world.b.staff).get(url).status_code == 404
    other = learner_with_login(world.a.provider)
    assert login(client, other.user).get(url).status_code == 404


# --- staff pages ----------------------------------------------------------------------------


def test_staff_course_page_and_actions(world, client, small_course):
    login(client, world.a.staff)
    a, b, c = (learner(world.a.provider) for _ in range(3))
    for lr in (a, b, c):
        r = client.post(
            reverse("enrolment-staff-enrol", args=[small_course.pk]), {"learner": lr.pk}
        )
        assert r.status_code == 302
    page = client.get(reverse("enrolment-staff-course", args=[small_course.pk]))
    assert page.status_code == 200
    assert "Platz 1" in page.content.decode()
    e = Enrolment.objects.get(learner=a)
    client.post(
        reverse("enrolment-staff-action", args=[e.pk, "withdraw"]),
        {"reason": "moving", "confirmed": "1"},
    )
    assert Enrolment.objects.get(learner=c).status == "offered"


def test_staff_course_page_query_count(world, client, small_course, django_assert_max_num_queries):
    fill(small_course, 2)
    for _ in range(6):
        services.enrolment_create(course=small_course, learner=learner(world.a.provider))
    login(client, world.a.staff)
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("enrolment-staff-course", args=[small_course.pk])).status_code == 200
        )


@pytest.mark.parametrize(
    "name,arg",
    [
        ("enrolment-staff-course", "course"),
        ("enrolment-slot", "slot"),
        ("enrolment-result", "result"),
    ],
)
def test_staff_pages_outsiders_404(world, client, name, arg):
    result = PlacementResultFactory(
        booking__slot__provider=world.a.provider,
        booking__slot__location=world.a.location,
        booking__learner=world.a.learners[0],
        recommended_module=world.a.course.first_module,
    )
    pk = {"course": world.a.course.pk, "slot": result.booking.slot_id, "result": result.pk}[arg]
    url = reverse(name, args=[pk])
    assert login(client, world.a.staff).get(url).status_code == 200
    for outsider in (world.b.staff, world.a.teacher):
        assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_start_watch_page(world, client):
    LearnerFactory(
        provider=world.a.provider,
        registered_on=timezone.localdate() - dt.timedelta(weeks=8),
        last_name="Wartend",
    )
    LearnerFactory(
        provider=world.b.provider,
        registered_on=timezone.localdate() - dt.timedelta(weeks=8),
        last_name="Fremd",
    )
    html = login(client, world.a.staff).get(reverse("enrolment-start-watch")).content.decode()
    assert "Wartend" in html and "Fremd" not in html


# --- placement tests ------------------------------------------------------------------------


def test_placement_flow_full_slot_deviation_and_one_step_enrol(world, client):
    login(client, world.a.staff)
    r = client.post(
        reverse("enrolment-slots"),
        {
            "location": world.a.location.pk,
            "date": timezone.localdate().isoformat(),
            "start_time": "09:00",
            "capacity": 1,
        },
    )
    assert r.status_code == 302
    slot_url = r.url
    lr, other = world.a.learners[0], world.a.learners[1]
    client.post(slot_url, {"learner": lr.pk})
    client.post(slot_url, {"learner": other.pk})  # slot full
    assert PlacementBooking.objects.count() == 1
    booking = PlacementBooking.objects.get()
    modules = list(world.a.course.course_type.modules.order_by("order"))
    r = client.post(
        reverse("enrolment-record-result", args=[booking.pk]),
        {
            "level_reached": "A1.1",
            "recommended_module": modules[0].pk,
            "placed_module": modules[1].pk,
        },
    )
    assert not PlacementResult.objects.exists()  # deviation without reason refused
    r = client.post(
        reverse("enrolment-record-result", args=[booking.pk]),
        {"level_reached": "A1.1", "recommended_module": modules[0].pk},
    )
    assert PlacementResult.objects.count() == 1
    page = client.get(r.url)
    assert world.a.course in page.context["courses"]
    client.post(r.url, {"course": world.a.course.pk})
    assert Enrolment.objects.get(learner=lr).status == "enrolled"


def test_deviation_with_reason_is_stored(world):
    slot = services.placement_slot_create(
        provider=world.a.provider,
        location=world.a.location,
        date=timezone.localdate(),
        start_time=dt.time(9),
        capacity=1,
    )
    booking = services.placement_book(slot=slot, learner=world.a.learners[0])
    with pytest.raises(DomainError):
        services.placement_book(slot=slot, learner=world.a.learners[1])
    modules = list(world.a.course.course_type.modules.order_by("order"))
    result = services.placement_result_record(
        booking=booking,
        level_reached="A1.1",
        recommended_module=modules[0],
        placed_module=modules[1],
        deviation_reason="Spricht schon gut, schreibt sicher.",
    )
    assert result.deviates and result.deviation_reason
    wish = services.enrol_from_result(result=result)
    assert wish.module_order == 2


def test_matching_courses_respect_childcare_and_seats(world):
    from enrolment.selectors import matching_courses

    lr = world.a.learners[0]
    lr.childcare_needed = True
    lr.save()
    with_care = make_course(provider=world.a.provider, location=world.a.location, childcare=True)
    result = PlacementResultFactory(
        booking__slot__provider=world.a.provider,
        booking__learner=lr,
        recommended_module=with_care.first_module,
    )
    assert matching_courses(result=result) == [with_care]
    with_care.capacity = 1
    with_care.save()
    fill(with_care, 1)
    assert matching_courses(result=result) == []


def test_password_login_still_works_for_staff(world, client):
    assert client.login(username=world.a.staff.username, password=PASSWORD)


@pytest.mark.parametrize("phone", ["0151 999", "12", "+49 30"])
def test_register_refuses_an_impossible_phone_number_at_the_field(world, client, phone):
    r = client.post(
        reverse("course-register", args=[world.a.course.pk]),
        {
            "first_name": "Layla",
            "last_name": "Darwish",
            "date_of_birth": "1990-04-02",
            "phone": phone,
            "preferred_language": "de",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert r.status_code == 200
    assert "phone" in r.context["form"].errors
    assert not Enrolment.objects.filter(learner__last_name="Darwish").exists()


def test_register_stores_the_phone_in_international_form(world, client):
    client.post(
        reverse("course-register", args=[world.a.course.pk]),
        {
            "first_name": "Layla",
            "last_name": "Darwish",
            "date_of_birth": "1990-04-02",
            "phone": "0151/23456789",
            "preferred_language": "de",
        },
    )
    assert Enrolment.objects.get(learner__last_name="Darwish").learner.phone == "+49 1512 3456789"


def test_staff_learner_admin_form_refuses_an_impossible_phone(world):
    from people.admin import LearnerAdminForm
    from people.models import Learner

    form_class = type(
        "F",
        (LearnerAdminForm,),
        {"Meta": type("Meta", (), {"model": Learner, "fields": ["phone"]})},
    )
    form = form_class(data={"phone": "0151 999"})
    assert not form.is_valid() and "phone" in form.errors
    assert form_class(data={"phone": "0176 1234567"}).is_valid()


def test_placement_result_form_keeps_the_values_after_an_error(world, client):
    """A refused result came back as an empty form (issue 14)."""
    booking = PlacementBookingFactory(
        slot__provider=world.a.provider,
        slot__location=world.a.location,
        slot__date=timezone.localdate(),
        learner=world.a.learners[0],
    )
    modules = list(world.a.course.course_type.modules.order_by("order"))
    login(client, world.a.staff)
    r = client.post(
        reverse("enrolment-record-result", args=[booking.pk]),
        {
            "level_reached": "A2",
            "recommended_module": modules[0].pk,
            "placed_module": modules[1].pk,
        },
    )
    assert r.status_code == 200 and not PlacementResult.objects.exists()
    form = next(b.form for b in r.context["bookings"] if b.pk == booking.pk)
    assert form.is_bound and form.errors
    html = r.content.decode()
    assert '<option value="A2" selected>' in html
    assert f'<option value="{modules[1].pk}" selected>' in html
    # the booking picker labels learners with their birth date
    other = world.a.learners[1]
    assert f"{other.date_of_birth:%d.%m.%Y}" in html
