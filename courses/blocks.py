"""The blocks trainers build lessons from. Each has its own template under
templates/components/streamfield/blocks/."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import CalloutBlock, HeadingBlock

BLOCKS = "components/streamfield/blocks/"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = BLOCKS + "image_block.html"
        description = _("An image with alternative text and an optional caption")
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video = DocumentChooserBlock(
        label=_("Video file"), help_text=_("An MP4 or WebM file uploaded to Documents.")
    )
    captions = DocumentChooserBlock(
        label=_("Captions"), help_text=_("A WebVTT (.vtt) file in the lesson's language.")
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), features=["bold", "italic", "ol", "ul"]
    )

    class Meta:
        icon = "media"
        template = BLOCKS + "video_block.html"
        description = _("A self-hosted procedure video with captions and a transcript")
        label = _("Video")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        template = BLOCKS + "document_block.html"
        description = _("A downloadable document, such as the methodological manual")
        label = _("Document")


class ChecklistBlock(blocks.StructBlock):
    PHASES = [
        ("opening", _("Opening the polling station")),
        ("voting", _("Voting")),
        ("mobile", _("Voting outside the premises")),
        ("counting", _("Counting")),
        ("protocol", _("Results protocol")),
        ("handover", _("Handing documents over")),
        ("other", _("Other")),
    ]

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    phase = blocks.ChoiceBlock(label=_("Phase of election day"), choices=PHASES)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Step"), max_length=500), label=_("Steps"))

    class Meta:
        icon = "list-ul"
        template = BLOCKS + "checklist_block.html"
        description = _("A one-page job aid for one phase of election day, printable on its own")
        label = _("Checklist")


class ScenarioBlock(blocks.StructBlock):
    situation = blocks.RichTextBlock(label=_("Situation"), features=["bold", "italic", "ul"])
    question = blocks.CharBlock(label=_("Question to the learner"), max_length=300)
    discussion = blocks.RichTextBlock(
        label=_("Discussion"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Shown when the learner asks for it."),
    )

    class Meta:
        icon = "help"
        template = BLOCKS + "scenario_block.html"
        description = _("A situation from election day with a discussion revealed on demand")
        label = _("Scenario")


class LawExcerptBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Text of the law"), features=["bold", "italic", "ol"])
    citation = blocks.CharBlock(
        label=_("Citation"),
        max_length=300,
        help_text=_("E.g. Constitutional Law on Elections, Article 44, paragraph 3."),
    )

    class Meta:
        icon = "openquote"
        template = BLOCKS + "law_excerpt_block.html"
        description = _("An excerpt of a law with its citation")
        label = _("Law excerpt")


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        template=BLOCKS + "paragraph_block.html",
        description=_("Formatted text"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    checklist = ChecklistBlock()
    callout = CalloutBlock()
    scenario = ScenarioBlock()
    law_excerpt = LawExcerptBlock()
