"""The regions a young learner chooses from at sign-up: Kazakhstan's 17 oblasts and 3 cities of
republican significance, keyed by their ISO 3166-2:KZ codes (stable when names change)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    ASTANA = "KZ-AST", _("Astana")
    ALMATY_CITY = "KZ-ALA", _("Almaty")
    SHYMKENT = "KZ-SHY", _("Shymkent")
    ABAI = "KZ-10", _("Abai oblast")
    AKMOLA = "KZ-AKM", _("Akmola oblast")
    AKTOBE = "KZ-AKT", _("Aktobe oblast")
    ALMATY = "KZ-ALM", _("Almaty oblast")
    ATYRAU = "KZ-ATY", _("Atyrau oblast")
    EAST_KAZAKHSTAN = "KZ-VOS", _("East Kazakhstan oblast")
    JAMBYL = "KZ-ZHA", _("Jambyl oblast")
    JETISU = "KZ-19", _("Jetisu oblast")
    KARAGANDA = "KZ-KAR", _("Karaganda oblast")
    KOSTANAY = "KZ-KUS", _("Kostanay oblast")
    KYZYLORDA = "KZ-KZY", _("Kyzylorda oblast")
    MANGYSTAU = "KZ-MAN", _("Mangystau oblast")
    NORTH_KAZAKHSTAN = "KZ-SEV", _("North Kazakhstan oblast")
    PAVLODAR = "KZ-PAV", _("Pavlodar oblast")
    TURKISTAN = "KZ-YUZ", _("Turkistan oblast")
    ULYTAU = "KZ-11", _("Ulytau oblast")
    WEST_KAZAKHSTAN = "KZ-ZAP", _("West Kazakhstan oblast")
