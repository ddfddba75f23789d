"""A trainer authors a course in the Wagtail admin: catalogue → course → module → lesson with
every block, media uploaded on the way; the published lesson shows every block."""

import io
import shutil
import tempfile

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from bs4 import BeautifulSoup
from PIL import Image as PILImage

from cms.models import HomePage
from commissions.roles import TRAINERS
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import UserFactory

MEDIA_ROOT = tempfile.mkdtemp(prefix="saylau-authoring-")
VTT = "WEBVTT\n\n00:00.000 --> 00:03.000\nСайлау учаскесі ашылады.\n".encode()


def png_upload(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (0, 95, 115)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class TreeShapeTests(WagtailPageTestCase):
    def test_lessons_live_only_in_modules(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertAllowedSubpageTypes(LessonPage, {})

    def test_modules_live_only_in_courses_and_courses_in_the_catalogue(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class TrainerAuthoringTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainer = UserFactory(username="trainer")
        cls.trainer.groups.add(Group.objects.get(name=TRAINERS))
        cls.home = HomePage.objects.get(locale__language_code="kk")
        cls.root_collection = Collection.get_first_root_node()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)

    def setUp(self):
        self.client.force_login(self.trainer)

    def upload_image(self, title: str) -> Image:
        response = self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": title,
                "file": png_upload(f"{title}.png"),
                "collection": self.root_collection.pk,
            },
        )
        self.assertRedirects(
            response, reverse("wagtailimages:index"), fetch_redirect_response=False
        )
        return Image.objects.get(title=title)

    def upload_document(self, title: str, name: str, content: bytes) -> Document:
        response = self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": title,
                "file": SimpleUploadedFile(name, content),
                "collection": self.root_collection.pk,
            },
        )
        self.assertRedirects(response, reverse("wagtaildocs:index"), fetch_redirect_response=False)
        return Document.objects.get(title=title)

    def lesson_body(self, media) -> dict:
        return streamfield(
            [
                ("heading", {"text": "Учаскені ашу тәртібі", "level": "h2"}),
                ("paragraph", rich_text("<p>Комиссия мүшелері сағат 6:00-де жиналады.</p>")),
                (
                    "image",
                    {
                        "image": media["image"].pk,
                        "alt_text": "Мөрленген сайлау жәшігі",
                        "caption": "Жәшік ашылар алдында мөрленеді.",
                    },
                ),
                (
                    "video",
                    {
                        "title": "Учаскені ашу: бейнесабақ",
                        "video": media["video"].pk,
                        "captions": media["captions"].pk,
                        "poster": media["poster"].pk,
                        "transcript": rich_text("<p>Төраға жәшікті көрсетеді.</p>"),
                    },
                ),
                (
                    "document",
                    {
                        "document": media["manual"].pk,
                        "title": "Әдістемелік құрал",
                        "description": "Сайлау күнінің барлық кезеңдері.",
                    },
                ),
                (
                    "checklist",
                    {
                        "title": "Учаскені ашу: тексеру парағы",
                        "phase": "opening",
                        "items": streamfield(
                            [("item", "Жәшіктердің бос екенін көрсету"), ("item", "Есікті ашу")]
                        ),
                    },
                ),
                (
                    "callout",
                    {"kind": "legal", "text": rich_text("<p>Бақылаушыларға кедергі жасамау.</p>")},
                ),
                (
                    "scenario",
                    {
                        "situation": rich_text("<p>Жәшіктің мөрі зақымдалған.</p>"),
                        "question": "Төраға не істеуі керек?",
                        "discussion": rich_text("<p>Акт жасап, аумақтық комиссияға хабарлау.</p>"),
                    },
                ),
                (
                    "law_excerpt",
                    {
                        "text": rich_text("<p>Дауыс беру сағат 7-ден 20-ға дейін өткізіледі.</p>"),
                        "citation": "«Сайлау туралы» Конституциялық заң, 44-бап",
                    },
                ),
            ]
        )

    def test_trainer_creates_a_course_with_a_lesson_of_every_block_and_publishes_it(self):
        self.assertFalse(self.trainer.is_superuser)
        media = {
            "image": self.upload_image("Сайлау жәшігі"),
            "poster": self.upload_image("Бейне постері"),
            "video": self.upload_document(
                "Бейне", "opening.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
            ),
            "captions": self.upload_document("Субтитрлер", "opening-kk.vtt", VTT),
            "manual": self.upload_document("Құрал", "manual.pdf", b"%PDF-1.4\n%%EOF\n"),
        }

        catalogue = CourseIndexPage.objects.first()
        if catalogue is None:
            self.assertCanCreate(
                self.home,
                CourseIndexPage,
                nested_form_data(
                    {"title": "Курстар", "slug": "courses", "intro": "Барлық курстар"}
                ),
            )
            catalogue = CourseIndexPage.objects.get()
        self.assertCanCreate(
            catalogue,
            CoursePage,
            {
                **nested_form_data(
                    {
                        "title": "Сайлау учаскесін ашу",
                        "slug": "opening",
                        "summary": "Учаскелік комиссия мүшелеріне арналған курс.",
                        "estimated_minutes": "45",
                    }
                ),
                # checkboxes: one key, several values (nested_form_data would number them)
                "audience_positions": ["chair", "member"],
                "audience_levels": ["precinct"],
            },
        )
        course = CoursePage.objects.get(slug="opening")
        self.assertEqual(course.audience_positions, ["chair", "member"])
        self.assertCanCreate(
            course,
            ModulePage,
            nested_form_data({"title": "Дайындық", "slug": "preparation", "summary": "Таңертең"}),
        )
        module = ModulePage.objects.get(slug="preparation")
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Сайлау күні таңертең",
                    "slug": "morning",
                    "body": self.lesson_body(media),
                    "estimated_minutes": "15",
                    "is_required": "on",
                }
            ),
        )

        lesson = LessonPage.objects.get(slug="morning")
        self.assertTrue(lesson.live)
        self.assertEqual(lesson.owner, self.trainer)
        self.assertEqual(
            [block.block_type for block in lesson.body],
            [
                "heading",
                "paragraph",
                "image",
                "video",
                "document",
                "checklist",
                "callout",
                "scenario",
                "law_excerpt",
            ],
        )
        self.assertEqual(lesson.get_parent().get_parent().specific, course)

        # The trainer looks at the published lesson as learners will see it (the admin's view of
        # the live page; learners' access rules are tested with the learner pages).
        response = self.client.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
        self.assertEqual(response.status_code, 200)
        html = BeautifulSoup(response.content.decode(), "html.parser")

        self.assertEqual(html.select_one("h1").get_text(strip=True), "Сайлау күні таңертең")
        img = html.select_one("figure.lesson-image img")
        self.assertEqual(img["alt"], "Мөрленген сайлау жәшігі")
        video = html.select_one("section.lesson-video video")
        self.assertEqual(video["preload"], "metadata")
        self.assertEqual(video.select_one("source")["src"], media["video"].url)
        self.assertEqual(video.select_one("source")["type"], "video/mp4")
        track = video.select_one("track[kind=captions]")
        self.assertEqual((track["src"], track["srclang"]), (media["captions"].url, "kk"))
        self.assertIn(
            "Төраға жәшікті көрсетеді.", html.select_one(".lesson-video details").get_text()
        )
        self.assertIn("PDF", html.select_one(".lesson-document a").get_text())
        checklist = html.select_one("section.lesson-checklist")
        self.assertEqual(len(checklist.select("ol > li .lesson-checklist__box")), 2)
        self.assertIsNotNone(checklist.select_one("button[data-print-checklist]"))
        self.assertIn(
            "Бақылаушыларға кедергі жасамау.", html.select_one("aside.callout").get_text()
        )
        self.assertIn("Акт жасап", html.select_one(".lesson-scenario details").get_text())
        self.assertEqual(
            html.select_one("blockquote + figcaption cite").get_text(),
            "«Сайлау туралы» Конституциялық заң, 44-бап",
        )

    def test_trainer_cannot_put_a_lesson_straight_under_a_course(self):
        catalogue = self.home.add_child(instance=CourseIndexPage(title="Курстар", slug="courses"))
        course = catalogue.add_child(instance=CoursePage(title="Курс", slug="course", summary="-"))

        response = self.client.get(
            reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
        )

        self.assertIn(response.status_code, (302, 403))
        self.assertFalse(LessonPage.objects.exists())
