"""Lesson blocks render semantic, accessible HTML from this server only, in every language."""

import io
import uuid
from types import SimpleNamespace

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.utils import translation

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from courses.blocks import LessonStreamBlock

KAZAKH = "Сайлау учаскесі ә ғ қ ң ө ұ ү һ і"
STREAM = LessonStreamBlock()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="ballot-box.png", size=(1600, 900)) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (0, 95, 115)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


@pytest.fixture
def image(db):
    return Image.objects.create(title="Сайлау жәшігі", file=png())


def document(name: str, content: bytes = b"0" * 2048) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


@pytest.fixture
def media_files(db, image):
    return {
        "image": image,
        "poster": Image.objects.create(title="Постер", file=png("poster.png", (1280, 720))),
        "video": document("opening.mp4"),
        "captions": document("opening.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nСәлем\n".encode()),
        "manual": document("manual.pdf", b"%PDF-1.4\n" + b"0" * 1_258_291),
    }


def every_block(files) -> list[tuple[str, dict | str]]:
    """One block of each type, in Kazakh."""
    return [
        ("heading", {"text": f"Тақырып: {KAZAKH}", "level": "h2"}),
        ("paragraph", f"<p>Мәтін: {KAZAKH}</p>"),
        ("image", {"image": files["image"].pk, "alt_text": f"Сурет: {KAZAKH}", "caption": ""}),
        (
            "video",
            {
                "title": f"Бейне: {KAZAKH}",
                "video": files["video"].pk,
                "captions": files["captions"].pk,
                "poster": files["poster"].pk,
                "transcript": f"<p>Транскрипт: {KAZAKH}</p>",
            },
        ),
        ("document", {"document": files["manual"].pk, "title": f"Құрал: {KAZAKH}"}),
        (
            "checklist",
            {"title": f"Тізім: {KAZAKH}", "phase": "opening", "items": ["Бірінші", "Екінші"]},
        ),
        ("callout", {"kind": "legal", "text": f"<p>Талап: {KAZAKH}</p>"}),
        (
            "scenario",
            {
                "situation": f"<p>Жағдай: {KAZAKH}</p>",
                "question": f"Сұрақ: {KAZAKH}?",
                "discussion": f"<p>Талқылау: {KAZAKH}</p>",
            },
        ),
        ("law_excerpt", {"text": f"<p>Заң: {KAZAKH}</p>", "citation": f"Дереккөз: {KAZAKH}"}),
    ]


def render(block_type: str, value, **context) -> BeautifulSoup:
    block = STREAM.child_blocks[block_type]
    html = block.render(block.to_python(value), context=context or None)
    return BeautifulSoup(html, "html.parser")


def render_stream(blocks, **context) -> str:
    stream = STREAM.to_python(
        [{"type": name, "value": value, "id": str(uuid.uuid4())} for name, value in blocks]
    )
    return "".join(child.render(context=context) for child in stream)


def page_in(language_code: str, title: str = "Сабақ"):
    return SimpleNamespace(locale=SimpleNamespace(language_code=language_code), title=title)


def test_every_lesson_block_declares_an_icon_a_description_and_an_existing_template():
    for name, block in STREAM.child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.description, name
        assert get_template(block.meta.template), name


def test_image_is_a_figure_with_its_alternative_text_and_caption(image):
    html = render(
        "image", {"image": image.pk, "alt_text": "Мөрленген жәшік", "caption": "Таңертең"}
    )

    img = html.select_one("figure.lesson-image > img")
    assert img["alt"] == "Мөрленген жәшік"
    assert img["src"].startswith("/media/images/") and ".width-1200." in img["src"]
    assert (img["width"], img["height"]) == ("1200", "675")
    assert html.select_one("figure > figcaption").get_text(strip=True) == "Таңертең"


def test_image_without_a_caption_has_no_empty_figcaption(image):
    html = render("image", {"image": image.pk, "alt_text": "Жәшік", "caption": ""})

    assert html.select_one("figure img")
    assert html.select_one("figcaption") is None


@pytest.mark.parametrize(
    ("file_name", "mime_type"),
    [("opening.mp4", "video/mp4"), ("opening.webm", "video/webm"), ("OPENING.WEBM", "video/webm")],
)
def test_video_plays_the_uploaded_file_with_its_type(media_files, file_name, mime_type):
    video = document(file_name)
    html = render(
        "video",
        {
            "title": "Бейне",
            "video": video.pk,
            "captions": media_files["captions"].pk,
            "transcript": "<p>Мәтін</p>",
        },
    )

    source = html.select_one("video > source")
    assert source["src"] == video.url
    assert source["type"] == mime_type


def test_video_has_controls_captions_in_the_lesson_language_a_poster_and_a_transcript(
    media_files,
):
    with translation.override("en"):
        html = render(
            "video",
            {
                "title": "Учаскені ашу",
                "video": media_files["video"].pk,
                "captions": media_files["captions"].pk,
                "poster": media_files["poster"].pk,
                "transcript": "<p>Төраға жәшікті көрсетеді.</p>",
            },
            page=page_in("ru"),
        )

    video = html.select_one("section.lesson-video > video")
    assert video.has_attr("controls")
    assert video["preload"] == "metadata"
    assert video["poster"].startswith("/media/images/")
    track = video.select_one("track")
    assert track["kind"] == "captions"
    assert track["src"] == media_files["captions"].url
    assert track["srclang"] == "ru"
    assert track["label"] == "Русский"
    assert track.has_attr("default")
    assert html.select_one("section.lesson-video > h2").get_text(strip=True) == "Учаскені ашу"
    details = html.select_one("section.lesson-video > details")
    assert details.summary.get_text(strip=True) == "Transcript"
    assert "Төраға жәшікті көрсетеді." in details.get_text()
    assert not details.has_attr("open")


def test_video_outside_a_page_takes_the_language_being_spoken(media_files):
    with translation.override("kk"):
        html = render(
            "video",
            {
                "title": "Бейне",
                "video": media_files["video"].pk,
                "captions": media_files["captions"].pk,
                "transcript": "<p>Мәтін</p>",
            },
        )

    track = html.select_one("track")
    assert (track["srclang"], track["label"]) == ("kk", "Қазақ")
    assert not html.select_one("video").has_attr("poster")


def test_document_is_a_download_link_with_its_title_extension_and_size(media_files):
    with translation.override("en"):
        html = render(
            "document",
            {
                "document": media_files["manual"].pk,
                "title": "Әдістемелік құрал",
                "description": "Барлық кезеңдер",
            },
        )

    link = html.select_one(".lesson-document a")
    assert link["href"] == media_files["manual"].url
    assert " ".join(link.get_text().split()) == "Download Әдістемелік құрал (PDF, 1.2 MB)"
    assert html.select_one(".lesson-document__description").get_text() == "Барлық кезеңдер"


def test_checklist_is_a_titled_ordered_list_of_empty_boxes_with_a_print_button(media_files):
    with translation.override("en"):
        html = render(
            "checklist",
            {
                "title": "Учаскені ашу",
                "phase": "counting",
                "items": ["Жәшікті көрсету", "Бюллетеньдерді санау", "Есікті ашу"],
            },
            page=page_in("kk", title="Сайлау күні таңертең"),
        )

    section = html.select_one("section.lesson-checklist[data-checklist]")
    assert section.select_one(".lesson-checklist__phase").get_text(strip=True) == "Counting"
    assert section.select_one("h2").get_text(strip=True) == "Учаскені ашу"
    steps = section.select("ol > li")
    assert [step.get_text(strip=True) for step in steps] == [
        "Жәшікті көрсету",
        "Бюллетеньдерді санау",
        "Есікті ашу",
    ]
    for step in steps:
        box = step.select_one(".lesson-checklist__box")
        assert box["aria-hidden"] == "true" and not box.get_text(strip=True)
    assert section.select("input") == []
    button = section.select_one("button[data-print-checklist]")
    assert button["type"] == "button"
    assert button.has_attr("hidden")  # shown by the script, which alone can print it
    assert button.get_text(strip=True) == "Print this checklist"
    assert section.select_one(".lesson-checklist__source").get_text() == "Сайлау күні таңертең"
    script = html.select_one("script")
    assert script["src"] == "/static/js/print-checklist.js" and script.has_attr("defer")
    assert finders.find("js/print-checklist.js")


def test_checklist_in_a_lesson_gets_an_anchor_from_its_block_id(media_files):
    html = render_stream([("checklist", {"title": "Тізім", "phase": "voting", "items": ["Бір"]})])

    section = BeautifulSoup(html, "html.parser").select_one("section.lesson-checklist")
    assert uuid.UUID(section["id"].removeprefix("checklist-"))


def test_scenario_reveals_its_discussion_on_demand():
    with translation.override("en"):
        html = render(
            "scenario",
            {
                "situation": "<p>Мөр зақымдалған.</p>",
                "question": "Төраға не істейді?",
                "discussion": "<p>Акт жасайды.</p>",
            },
        )

    section = html.select_one("section.lesson-scenario")
    assert "Мөр зақымдалған." in section.select_one(".lesson-scenario__situation").get_text()
    assert "Төраға не істейді?" in section.select_one(".lesson-scenario__question").get_text()
    details = section.select_one("details")
    assert not details.has_attr("open")
    assert details.summary.get_text(strip=True) == "Discussion"
    assert "Акт жасайды." in details.get_text()
    assert "Акт жасайды." not in section.select_one(".lesson-scenario__question").get_text()


def test_law_excerpt_is_a_blockquote_with_its_citation():
    html = render(
        "law_excerpt",
        {"text": "<p>Дауыс беру 7-ден 20-ға дейін.</p>", "citation": "Сайлау туралы заң, 44-бап"},
    )

    figure = html.select_one("figure.lesson-law")
    assert figure.select_one("blockquote").get_text(strip=True) == "Дауыс беру 7-ден 20-ға дейін."
    assert figure.select_one("figcaption cite").get_text() == "Сайлау туралы заң, 44-бап"


def test_blocks_keep_below_the_page_title_in_the_heading_order(media_files):
    html = BeautifulSoup(render_stream(every_block(media_files)), "html.parser")

    levels = [heading.name for heading in html.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels and set(levels) <= {"h2", "h3"}
    assert levels[0] == "h2"


def test_kazakh_text_renders_as_written_in_every_block(media_files):
    with translation.override("kk"):
        html = render_stream(every_block(media_files), page=page_in("kk"))

    prefixes = ["Тақырып", "Мәтін", "Сурет", "Бейне", "Транскрипт", "Құрал", "Тізім", "Талап"]
    prefixes += ["Жағдай", "Сұрақ", "Талқылау", "Заң", "Дереккөз"]
    for prefix in prefixes:
        assert f"{prefix}: {KAZAKH}" in html
    assert html.count(KAZAKH) == len(prefixes)
    assert "&#" not in html  # no letter is escaped away


def test_blocks_load_nothing_from_another_server(media_files):
    html = BeautifulSoup(render_stream(every_block(media_files)), "html.parser")

    addresses = [
        element[attribute]
        for attribute in ("src", "href", "poster")
        for element in html.find_all(attrs={attribute: True})
    ]
    assert len(addresses) >= 7
    for address in addresses:
        assert address.startswith("/") and not address.startswith("//"), address
