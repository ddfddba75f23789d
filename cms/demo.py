"""Demonstration content for the site shell: the home page in Kazakh, Russian and English."""

from dataclasses import dataclass

from django.db import transaction

from wagtail.models import Locale, Site

from .models import HomePage


def _body(
    *, who: str, members: str, youth: str, how: str, how_text: str, sign_in: str, privacy: str
) -> list[dict]:
    """A home page body in StreamField's stored form: heading, paragraphs and two callouts."""
    return [
        {"type": "heading", "value": {"text": who, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{members}</p>"},
        {"type": "paragraph", "value": f"<p>{youth}</p>"},
        {"type": "callout", "value": {"kind": "tip", "text": f"<p>{sign_in}</p>"}},
        {"type": "heading", "value": {"text": how, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{how_text}</p>"},
        {"type": "callout", "value": {"kind": "legal", "text": f"<p>{privacy}</p>"}},
    ]


HOME_PAGES = {
    "kk": {
        "title": "Saylau Academy",
        "intro": "Сайлау комиссияларының мүшелері мен жас сайлаушыларды оқыту платформасы.",
        "body": _body(
            who="Платформа кімге арналған",
            members=(
                "<b>Учаскелік, аумақтық және облыстық сайлау комиссияларының мүшелеріне</b> — "
                "алдағы сайлауға тағайындалған курстардан өтіп, тест тапсырып, сертификат алу "
                "үшін. Сабақтар қысқа, әрқайсысы 15–20 минут, оларды телефоннан да оқуға болады."
            ),
            youth=(
                "<b>Жас сайлаушыларға</b> — сайлаудың қалай өтетіні, дауыс беру құқығы және "
                "жалған ақпаратты қалай ажыратуға болатыны туралы ашық курстар."
            ),
            sign_in=(
                "Комиссия мүшелері комиссиясы берген пайдаланушы атымен, электрондық поштасымен "
                "немесе телефон нөмірімен кіреді."
            ),
            how="Оқу қалай өтеді",
            how_text=(
                "Оқыту сатылап жүреді: әр деңгейдегі комиссия келесі деңгейді оқытады. Әр "
                "модульдің соңында қысқа тест бар; нәтижеңіз бен сертификатыңыз профиліңізде "
                "сақталады, ал комиссияңыздың басшылары өз тармағының дайындығын көреді."
            ),
            privacy=(
                "Жеке деректеріңіз тек осы платформаның серверінде сақталады және үшінші "
                "тұлғаларға берілмейді. Келісіміңізді профиліңізде кез келген уақытта кері "
                "қайтарып ала аласыз."
            ),
        ),
    },
    "ru": {
        "title": "Saylau Academy",
        "intro": "Платформа обучения членов избирательных комиссий и молодых избирателей.",
        "body": _body(
            who="Для кого эта платформа",
            members=(
                "<b>Членам участковых, территориальных и областных избирательных комиссий</b> — "
                "чтобы пройти курсы, назначенные к предстоящим выборам, сдать тесты и получить "
                "сертификат. Уроки короткие, по 15–20 минут, их удобно проходить и с телефона."
            ),
            youth=(
                "<b>Молодым избирателям</b> — открытые курсы о том, как проходят выборы, о праве "
                "голоса и о том, как распознать ложную информацию."
            ),
            sign_in=(
                "Члены комиссий входят по имени пользователя, адресу электронной почты или "
                "номеру телефона, которые указала их комиссия."
            ),
            how="Как проходит обучение",
            how_text=(
                "Обучение идёт каскадом: комиссия каждого уровня обучает следующий уровень. В "
                "конце каждого модуля — короткий тест; ваши результаты и сертификат хранятся в "
                "профиле, а руководители комиссии видят готовность своей ветви."
            ),
            privacy=(
                "Ваши персональные данные хранятся только на сервере этой платформы и не "
                "передаются третьим лицам. Согласие можно отозвать в профиле в любое время."
            ),
        ),
    },
    "en": {
        "title": "Saylau Academy",
        "intro": "Training for election commission members and young voters in Kazakhstan.",
        "body": _body(
            who="Who the platform is for",
            members=(
                "<b>Members of precinct, territorial and oblast election commissions</b> take "
                "the courses assigned for the coming election, pass the tests and download "
                "their certificate. Lessons are short, 15–20 minutes each, and work on a phone."
            ),
            youth=(
                "<b>Young voters</b> find open courses on how elections work, the right to vote "
                "and how to recognise false information."
            ),
            sign_in=(
                "Commission members sign in with the user name, email address or phone number "
                "their commission gave."
            ),
            how="How training works",
            how_text=(
                "Training runs as a cascade: each level of commissions trains the level below. "
                "Every module ends with a short test; your results and certificate stay in your "
                "profile, and your commission's managers see how ready their branch is."
            ),
            privacy=(
                "Your personal data is kept only on this platform's own server and is not passed "
                "to third parties. You can withdraw your consent in your profile at any time."
            ),
        ),
    },
}


@dataclass(frozen=True)
class HomeSummary:
    """What one run of ``demo_seed`` did to the home page."""

    filled: list[str]

    def __str__(self) -> str:
        if not self.filled:
            return "Home page: kk, ru and en already there."
        return f"Home page: filled {', '.join(self.filled)}."


def _publish(page: HomePage, content: dict) -> None:
    page.title = page.draft_title = content["title"]
    page.intro = content["intro"]
    page.body = content["body"]
    page.save_revision().publish()


@transaction.atomic
def demo_seed() -> HomeSummary:
    """Give the Kazakh home page a body if it has none, and publish its ru and en translations.

    A page that already has content, or a translation that already exists, is left untouched,
    so that running this again never overwrites what a trainer has edited.
    """
    home = Site.objects.get(is_default_site=True).root_page.specific
    filled = []
    if not home.body:
        _publish(home, {**HOME_PAGES[home.locale.language_code], "title": home.title})
        filled.append(home.locale.language_code)
    for language, content in HOME_PAGES.items():
        if language == home.locale.language_code:
            continue
        locale = Locale.objects.get(language_code=language)
        if home.get_translation_or_none(locale) is not None:
            continue
        _publish(home.copy_for_translation(locale), content)
        filled.append(language)
    return HomeSummary(filled=filled)
