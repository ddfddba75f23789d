"""The shape of a demo course: one tree of course, modules and lessons, each node carrying its
text in every language it is written in, and the lesson blocks in StreamField's stored form."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LessonText:
    title: str
    body: list[dict]


@dataclass(frozen=True)
class Lesson:
    slug: str
    minutes: int
    text: dict[str, LessonText]  # by language code; "kk" is the source


@dataclass(frozen=True)
class ModuleText:
    title: str
    summary: str


@dataclass(frozen=True)
class Module:
    slug: str
    text: dict[str, ModuleText]
    lessons: list[Lesson]


@dataclass(frozen=True)
class CourseText:
    title: str
    summary: str


@dataclass(frozen=True)
class Course:
    slug: str
    minutes: int
    text: dict[str, CourseText]
    modules: list[Module]
    is_public: bool = False
    positions: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return list(self.text)


# Lesson blocks, as ``LessonStreamBlock`` stores them.


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraphs(*texts: str) -> dict:
    """One rich-text block of several paragraphs (each may carry inline <b> or <i>)."""
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in texts)}


def bullets(intro: str, *items: str) -> dict:
    """A paragraph followed by a bulleted list."""
    listed = "".join(f"<li>{item}</li>" for item in items)
    return {"type": "paragraph", "value": f"<p>{intro}</p><ul>{listed}</ul>"}


def checklist(title: str, phase: str, *items: str) -> dict:
    return {"type": "checklist", "value": {"title": title, "phase": phase, "items": list(items)}}


def callout(kind: str, *texts: str) -> dict:
    """``kind`` is "tip", "warning" or "legal"."""
    return {
        "type": "callout",
        "value": {"kind": kind, "text": "".join(f"<p>{text}</p>" for text in texts)},
    }


def scenario(situation: str, question: str, *discussion: str) -> dict:
    return {
        "type": "scenario",
        "value": {
            "situation": f"<p>{situation}</p>",
            "question": question,
            "discussion": "".join(f"<p>{text}</p>" for text in discussion),
        },
    }


def law_excerpt(citation: str, *texts: str) -> dict:
    return {
        "type": "law_excerpt",
        "value": {"text": "".join(f"<p>{text}</p>" for text in texts), "citation": citation},
    }


# The law every excerpt comes from, as it is cited in each language.
ELECTIONS_LAW = {
    "kk": "«Қазақстан Республикасындағы сайлау туралы» Қазақстан Республикасының "
    "Конституциялық заңы",
    "ru": "Конституционный закон Республики Казахстан «О выборах в Республике Казахстан»",
    "en": "Constitutional Law of the Republic of Kazakhstan “On Elections in the Republic of "
    "Kazakhstan”",
}
ABRIDGED = {"kk": "қысқартылған", "ru": "в сокращении", "en": "abridged"}


def cite(language: str, where: str) -> str:
    """A citation of the elections law: ``where`` is "39-бабы, 1-тармақ" or "Article 39(1)"."""
    return f"{ELECTIONS_LAW[language]}, {where} ({ABRIDGED[language]})"
