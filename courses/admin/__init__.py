"""Admin for courses, their timetable and sessions, and the course rule data.

Every write goes through ``courses.services``: a new course through ``course_create`` and a
change through ``course_update`` (both plan the sessions through ``course_plan_sessions``), a
cancelled session through ``session_cancel``. Before anything is saved the same service call runs
once inside a savepoint that is rolled back, so its rule errors (location of another provider,
capacity above the course type's group size, a timetable that cannot be planned …) show up as
form errors instead of a crash. Provider staff see their own providers' courses only; course
types, modules and programmes are rule data: readable for staff, changeable by superusers, who
enter the names of course types and modules in German and, where they wish, in the learners'
languages (one field per language).

The package is split by topic: ``forms`` (the course form, the timetable formset that checks the
whole course through the service, the cancel form), ``course`` (the course admin),
``sessions`` (the session admin and its cancel action) and ``rule_data`` (programmes, course
types, modules). Importing the package registers them all.
"""

from courses.admin import course, rule_data, sessions

__all__ = ["course", "rule_data", "sessions"]
