"""Trainers translate a course segment by segment with wagtail-localize and see what is missing.

The Kazakh course is the source; Russian pages are its translations, sharing each page's
``translation_key`` so that progress and certificates follow the learner across languages."""

import io
import json
import uuid

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from cms.models import HomePage
from commissions.roles import TRAINERS
from courses.admin_views import course_translation_progress
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import UserFactory

# Every text of the Kazakh course and its Russian translation.
RUSSIAN = {
    "Курстар": "Курсы",
    "courses": "courses",
    "Сайлау учаскесін ашу": "Открытие избирательного участка",
    "opening": "opening",
    "Учаскелік комиссия мүшелеріне арналған курс.": "Курс для членов участковых комиссий.",
    "Дайындық": "Подготовка",
    "preparation": "preparation",
    "Сайлау күні таңертең": "Утро дня выборов",
    "morning": "morning",
    "Учаскені ашу тәртібі": "Порядок открытия участка",
    "Комиссия мүшелері сағат 6:00-де жиналады.": "Члены комиссии собираются в 6:00.",
    "Мөрленген сайлау жәшігі": "Опечатанный ящик для голосования",
    "Жәшік ашылар алдында мөрленеді.": "Ящик опечатывают до открытия.",
    "Учаскені ашу: бейнесабақ": "Открытие участка: видеоурок",
    "Төраға жәшікті көрсетеді.": "Председатель показывает ящик.",
    "Әдістемелік құрал": "Методическое пособие",
    "Сайлау күнінің барлық кезеңдері.": "Все этапы дня выборов.",
    "Учаскені ашу: тексеру парағы": "Открытие участка: контрольный лист",
    "Жәшіктердің бос екенін көрсету": "Показать, что ящики пусты",
    "Есікті сағат 7:00-де ашу": "Открыть дверь в 7:00",
    "Бақылаушыларға кедергі жасамау.": "Не препятствовать наблюдателям.",
    "Жәшіктің мөрі зақымдалған.": "Пломба ящика повреждена.",
    "Төраға не істеуі керек?": "Что должен сделать председатель?",
    "Акт жасап, аумақтық комиссияға хабарлау.": "Составить акт и сообщить в ТИК.",
    "Дауыс беру сағат 7-ден 20-ға дейін өткізіледі.": "Голосование проводится с 7 до 20 часов.",
    "«Сайлау туралы» Конституциялық заң, 44-бап": "Конституционный закон «О выборах», статья 44",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trainer(db):
    user = UserFactory(username="trainer")
    user.groups.add(Group.objects.get(name=TRAINERS))
    return user


@pytest.fixture
def russian(db):
    return Locale.objects.get(language_code="ru")


def png(name: str) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 180), (0, 95, 115)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def lesson_body() -> list[dict]:
    """One block of each type, stored as the admin stores it (list items with their ids)."""
    image = Image.objects.create(title="Жәшік", file=png("box.png"))
    poster = Image.objects.create(title="Постер", file=png("poster.png"))
    video = Document.objects.create(title="Бейне", file=ContentFile(b"0" * 64, name="v.mp4"))
    captions = Document.objects.create(
        title="Субтитрлер", file=ContentFile(b"WEBVTT\n", name="kk.vtt")
    )
    manual = Document.objects.create(title="Құрал", file=ContentFile(b"%PDF-1.4", name="m.pdf"))
    steps = ["Жәшіктердің бос екенін көрсету", "Есікті сағат 7:00-де ашу"]
    return [
        block("heading", {"text": "Учаскені ашу тәртібі", "level": "h2"}),
        block("paragraph", "<p>Комиссия мүшелері сағат 6:00-де жиналады.</p>"),
        block(
            "image",
            {
                "image": image.pk,
                "alt_text": "Мөрленген сайлау жәшігі",
                "caption": "Жәшік ашылар алдында мөрленеді.",
            },
        ),
        block(
            "video",
            {
                "title": "Учаскені ашу: бейнесабақ",
                "video": video.pk,
                "captions": captions.pk,
                "poster": poster.pk,
                "transcript": "<p>Төраға жәшікті көрсетеді.</p>",
            },
        ),
        block(
            "document",
            {
                "document": manual.pk,
                "title": "Әдістемелік құрал",
                "description": "Сайлау күнінің барлық кезеңдері.",
            },
        ),
        block(
            "checklist",
            {
                "title": "Учаскені ашу: тексеру парағы",
                "phase": "opening",
                "items": [block("item", step) for step in steps],
            },
        ),
        block("callout", {"kind": "legal", "text": "<p>Бақылаушыларға кедергі жасамау.</p>"}),
        block(
            "scenario",
            {
                "situation": "<p>Жәшіктің мөрі зақымдалған.</p>",
                "question": "Төраға не істеуі керек?",
                "discussion": "<p>Акт жасап, аумақтық комиссияға хабарлау.</p>",
            },
        ),
        block(
            "law_excerpt",
            {
                "text": "<p>Дауыс беру сағат 7-ден 20-ға дейін өткізіледі.</p>",
                "citation": "«Сайлау туралы» Конституциялық заң, 44-бап",
            },
        ),
    ]


@pytest.fixture
def kazakh_course(db, trainer):
    home = HomePage.objects.get(locale__language_code="kk")
    catalogue = home.add_child(instance=CourseIndexPage(title="Курстар", slug="courses"))
    course = catalogue.add_child(
        instance=CoursePage(
            title="Сайлау учаскесін ашу",
            slug="opening",
            summary="Учаскелік комиссия мүшелеріне арналған курс.",
            estimated_minutes=45,
            audience_positions=["member"],
            audience_levels=["precinct"],
        )
    )
    module = course.add_child(instance=ModulePage(title="Дайындық", slug="preparation"))
    lesson = module.add_child(
        instance=LessonPage(
            title="Сайлау күні таңертең",
            slug="morning",
            body=lesson_body(),
            estimated_minutes=15,
            is_required=True,
        )
    )
    for page in (catalogue, course, module, lesson):
        page.save_revision(user=trainer).publish()
    return {"catalogue": catalogue, "course": course, "module": module, "lesson": lesson}


def submit_for_translation(client, page, locale, *, include_subtree=True):
    """The trainer's "Translate this page", with its subpages or without."""
    data = {"locales": [locale.pk]}
    if include_subtree:
        data["include_subtree"] = "on"
    return client.post(reverse("wagtail_localize:submit_page_translation", args=[page.pk]), data)


def translate(translation: Translation, *, user, only=None) -> None:
    """Translate each segment of one page into Russian (all, or those whose text is in ``only``)."""
    segments = StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    )
    for segment in segments:
        text = segment.string.data
        assert text in RUSSIAN, f"a text the test does not know: {text!r}"
        if only is not None and text not in only:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={
                "data": RUSSIAN[text],
                "translation_type": "manual",
                "last_translated_by": user,
            },
        )


def test_trainer_sees_translate_this_page_for_a_course(client, trainer, kazakh_course):
    client.force_login(trainer)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[kazakh_course["course"].pk]))
    form = client.get(
        reverse("wagtail_localize:submit_page_translation", args=[kazakh_course["course"].pk])
    )

    submit_url = reverse(
        "wagtail_localize:submit_page_translation", args=[kazakh_course["course"].pk]
    )
    assert edit.status_code == 200
    assert f'href="{submit_url}"' in edit.text  # "Translate this page"
    assert form.status_code == 200
    include_subtree = form.context["form"].fields["include_subtree"]
    assert not include_subtree.widget.is_hidden
    assert "2" in str(include_subtree.label)  # "Include subtree (2 pages)": module and lesson


def test_a_course_translated_into_russian_keeps_one_identity_per_page(
    client, trainer, russian, kazakh_course, django_capture_on_commit_callbacks
):
    client.force_login(trainer)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_for_translation(
            client, kazakh_course["catalogue"], russian, include_subtree=False
        )
        assert response.status_code == 302
        response = submit_for_translation(client, kazakh_course["course"], russian)
        assert response.status_code == 302

    translations = Translation.objects.filter(target_locale=russian)
    assert translations.count() == 4  # catalogue, course, module and lesson
    # The video's captions are a file per language: the Russian lesson gets Russian captions.
    russian_captions = Document.objects.create(
        title="Субтитры", file=ContentFile(b"WEBVTT\n", name="ru.vtt")
    )
    captions = OverridableSegment.objects.get(
        source__object_id=kazakh_course["lesson"].translation_key,
        context__path__endswith=".captions",
    )
    SegmentOverride.objects.create(
        locale=russian, context=captions.context, data_json=json.dumps(russian_captions.pk)
    )
    with django_capture_on_commit_callbacks(execute=True):
        for translation in translations:
            translate(translation, user=trainer)
            translation.save_target(user=trainer, publish=True)

    for name, kazakh in kazakh_course.items():
        russian_page = kazakh.get_translation(russian).specific
        assert russian_page.translation_key == kazakh.translation_key, name
        assert russian_page.title == RUSSIAN[kazakh.title], name
        assert russian_page.live, name
        assert russian_page.alias_of_id is None, name
    course = kazakh_course["course"].get_translation(russian).specific
    assert course.summary == "Курс для членов участковых комиссий."
    assert (course.estimated_minutes, course.audience_positions) == (45, ["member"])
    lesson = kazakh_course["lesson"].get_translation(russian).specific
    assert lesson.get_parent().specific == kazakh_course["module"].get_translation(russian)
    assert lesson.url.startswith("/ru/")

    texts = {block.block_type: block.value for block in lesson.body}
    assert texts["heading"]["text"] == "Порядок открытия участка"
    assert "Члены комиссии собираются в 6:00." in str(texts["paragraph"])
    assert texts["image"]["alt_text"] == "Опечатанный ящик для голосования"
    assert texts["image"]["image"] == kazakh_course["lesson"].body[2].value["image"]
    assert "Председатель показывает ящик." in str(texts["video"]["transcript"])
    assert texts["video"]["captions"] == russian_captions
    assert texts["video"]["video"] == kazakh_course["lesson"].body[3].value["video"]
    assert texts["document"]["title"] == "Методическое пособие"
    assert list(texts["checklist"]["items"]) == [
        "Показать, что ящики пусты",
        "Открыть дверь в 7:00",
    ]
    assert texts["checklist"]["phase"] == "opening"
    assert "Не препятствовать наблюдателям." in str(texts["callout"]["text"])
    assert texts["scenario"]["question"] == "Что должен сделать председатель?"
    assert texts["law_excerpt"]["citation"] == "Конституционный закон «О выборах», статья 44"
    for translation in translations:
        assert translation.get_progress()[0] == translation.get_progress()[1]

    shown = client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
    html = BeautifulSoup(shown.text, "html.parser")
    track = html.select_one("video track")
    assert (track["srclang"], track["src"]) == ("ru", russian_captions.url)
    assert html.select_one("h1").get_text(strip=True) == "Утро дня выборов"
    assert "Показать, что ящики пусты" in html.select_one(".lesson-checklist").get_text()


def test_a_partly_translated_course_reports_what_is_missing(
    trainer, russian, kazakh_course, django_capture_on_commit_callbacks
):
    english = Locale.objects.get(language_code="en")
    course = kazakh_course["course"]
    with django_capture_on_commit_callbacks(execute=True):
        for page in (kazakh_course["catalogue"], course, kazakh_course["module"]):
            source, _ = TranslationSource.get_or_create_from_instance(page)
            translation = Translation.objects.create(source=source, target_locale=russian)
            translate(translation, user=trainer)
            translation.save_target(user=trainer, publish=True)
        source, _ = TranslationSource.get_or_create_from_instance(kazakh_course["lesson"])
        lesson_translation = Translation.objects.create(source=source, target_locale=russian)
        translate(lesson_translation, user=trainer, only={"Сайлау күні таңертең", "morning"})
        lesson_translation.save_target(user=trainer, publish=True)

    total, done = lesson_translation.get_progress()
    assert done == 2 and total > done

    ru, en = course_translation_progress([course], locales=[russian, english])[course.pk]
    assert ru.pages == 3 and ru.pages_submitted == 3
    assert ru.translated < ru.total and 0 < ru.percent < 100
    assert ru.missing == total - done
    assert en.pages_submitted == 0 and en.percent == 0


def test_the_course_translations_report_shows_percentages_to_trainers(
    client, trainer, russian, kazakh_course, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_translation(client, kazakh_course["course"], russian)
    course_translation = Translation.objects.get(
        source__object_id=kazakh_course["course"].translation_key
    )
    translate(course_translation, user=trainer)

    response = client.get(reverse("courses_translations"))

    assert response.status_code == 200
    assert "Сайлау учаскесін ашу" in response.text
    [progress] = course_translation_progress([kazakh_course["course"]], locales=[russian])[
        kazakh_course["course"].pk
    ]
    assert f"{progress.percent}%" in response.text
    assert 0 < progress.percent < 100
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("courses_translations") in home.text  # in the Reports menu


def test_editors_without_translation_rights_do_not_get_the_report(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("courses_translations"))

    assert response.status_code in (302, 403)
    assert not Page.objects.filter(locale__language_code="ru").exists()


def test_translation_progress_costs_the_same_queries_for_one_course_or_many(
    trainer, russian, kazakh_course, django_assert_num_queries
):
    catalogue = kazakh_course["catalogue"]
    courses = [kazakh_course["course"]]
    for number in range(5):
        course = catalogue.add_child(
            instance=CoursePage(title=f"Курс {number}", slug=f"course-{number}", summary="-")
        )
        module = course.add_child(instance=ModulePage(title="Модуль", slug="module"))
        module.add_child(instance=LessonPage(title="Сабақ", slug="lesson", body=lesson_body()))
        TranslationSource.get_or_create_from_instance(course)
        courses.append(course)
    english = Locale.objects.get(language_code="en")

    with django_assert_num_queries(6):
        progress = course_translation_progress(courses, locales=[russian, english])

    assert len(progress) == 6
    assert all(ru.pages == 3 and en.pages == 3 for ru, en in progress.values())
