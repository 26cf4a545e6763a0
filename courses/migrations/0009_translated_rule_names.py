"""The names of the seeded course types and modules in the learners' languages. The German name
stays the original (BAMF's own term, printed on every form); these are what a learner reads on
their pages. Administrators can change them in the admin.

English is left empty on purpose: staff who work in English read BAMF's German terms, as every
report and export does (the English entries below are kept as the translators' reference)."""

from django.db import migrations

LANGS = ("en", "ar", "fa", "uk", "tr", "ru")

COURSE_TYPES = {
    "Allgemeiner Integrationskurs": (
        "General integration course", "دورة الاندماج العامة", "دوره عمومی ادغام",
        "Загальний інтеграційний курс", "Genel uyum kursu", "Общий интеграционный курс",
    ),
    "Integrationskurs mit Alphabetisierung": (
        "Integration course with literacy training", "دورة الاندماج مع محو الأمية",
        "دوره ادغام همراه با سوادآموزی", "Інтеграційний курс з навчанням грамоти",
        "Okuma yazma öğretimli uyum kursu", "Интеграционный курс с обучением грамоте",
    ),
    "Zweitschriftlernerkurs": (
        "Course for learners of a second script", "دورة لمتعلمي الأبجدية الثانية",
        "دوره برای یادگیرندگان خط دوم", "Курс для тих, хто вчить друге письмо",
        "İkinci alfabe öğrenenler kursu", "Курс для изучающих второй алфавит",
    ),
    "Intensivkurs": (
        "Intensive course", "دورة مكثفة", "دوره فشرده", "Інтенсивний курс", "Yoğun kurs",
        "Интенсивный курс",
    ),
    "Förderkurs": (
        "Support course", "دورة الدعم", "دوره تقویتی", "Курс підтримки", "Destek kursu",
        "Курс поддержки",
    ),
    "Berufssprachkurs B1 → B2": (
        "Job-related language course B1 → B2", "دورة اللغة المهنية B1 → B2",
        "دوره زبان شغلی B1 → B2", "Професійний мовний курс B1 → B2",
        "Mesleki dil kursu B1 → B2", "Профессиональный языковой курс B1 → B2",
    ),
    "Berufssprachkurs B2 → C1": (
        "Job-related language course B2 → C1", "دورة اللغة المهنية B2 → C1",
        "دوره زبان شغلی B2 → C1", "Професійний мовний курс B2 → C1",
        "Mesleki dil kursu B2 → C1", "Профессиональный языковой курс B2 → C1",
    ),
    "Berufssprachkurs A2 → B1 (Spezialmodul)": (
        "Job-related language course A2 → B1 (special module)",
        "دورة اللغة المهنية A2 → B1 (وحدة خاصة)", "دوره زبان شغلی A2 → B1 (بخش ویژه)",
        "Професійний мовний курс A2 → B1 (спеціальний модуль)",
        "Mesleki dil kursu A2 → B1 (özel modül)",
        "Профессиональный языковой курс A2 → B1 (специальный модуль)",
    ),
    "Job-Berufssprachkurs (Job-Turbo)": (
        "Job language course (Job-Turbo)", "دورة اللغة للعمل (Job-Turbo)",
        "دوره زبان برای کار (Job-Turbo)", "Мовний курс для роботи (Job-Turbo)",
        "İş için dil kursu (Job-Turbo)", "Языковой курс для работы (Job-Turbo)",
    ),
}

MODULE_PATTERNS = {
    "Kursabschnitt": (
        "Module", "الجزء", "بخش", "Розділ курсу", "Kurs bölümü", "Раздел курса",
    ),
    "Lernabschnitt": (
        "Learning section", "مرحلة التعلّم", "مرحله یادگیری", "Навчальний етап",
        "Öğrenme bölümü", "Учебный этап",
    ),
}
ORIENTATION = (
    "Orientation course", "دورة التوجيه", "دوره آشنایی با آلمان", "Орієнтаційний курс",
    "Oryantasyon kursu", "Ориентационный курс",
)


def translate(apps, schema_editor):
    CourseType = apps.get_model("courses", "CourseType")
    Module = apps.get_model("courses", "Module")
    for course_type in CourseType.objects.filter(name_de__in=COURSE_TYPES):
        for lang, text in zip(LANGS, COURSE_TYPES[course_type.name_de], strict=True):
            if lang != "en" and not getattr(course_type, f"name_{lang}"):
                setattr(course_type, f"name_{lang}", text)
        course_type.save()
    for module in Module.objects.all():
        german = module.name_de or ""
        words, _, number = german.rpartition(" ")
        if german == "Orientierungskurs":
            texts = ORIENTATION
        elif words in MODULE_PATTERNS and number.isdigit():
            texts = tuple(f"{word} {number}" for word in MODULE_PATTERNS[words])
        else:
            continue
        for lang, text in zip(LANGS, texts, strict=True):
            if lang != "en" and not getattr(module, f"name_{lang}"):
                setattr(module, f"name_{lang}", text)
        module.save()


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_translated_names")]
    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
