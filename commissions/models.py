from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


def localized_name(obj) -> str:
    """``obj.name_<active language>``, falling back to the Kazakh name."""
    language = (translation.get_language() or "kk")[:2]
    return getattr(obj, f"name_{language}", "") or obj.name_kk


class CommissionQuerySet(MP_NodeQuerySet):
    def branch_of(self, commission: "Commission"):
        """The commission and every commission below it."""
        return self.filter(path__startswith=commission.path)


class CommissionManager(MP_NodeManager.from_queryset(CommissionQuerySet)):
    def get_queryset(self):
        return CommissionQuerySet(self.model).order_by("path")


class Commission(MP_Node):
    """One election commission in the tree: central → oblast/city → district → precinct.

    A young voters' club is a unit of the tree too, under the territorial commission that formed
    it (central, oblast or district): its coordinator holds a ``ManagerRole`` for it and sees
    exactly its members, by the same rules as a commission's manager (decision 0010).
    """

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central commission")
        OBLAST = "oblast", _("Oblast or city commission")
        DISTRICT = "district", _("District commission")
        PRECINCT = "precinct", _("Precinct commission")
        CLUB = "club", _("Young voters' club")

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Stable identifier, e.g. the precinct number; used by imports."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    objects = CommissionManager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["central", "oblast", "district", "precinct", "club"]),
                name="commissions_commission_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return localized_name(self)

    @property
    def is_club(self) -> bool:
        return self.level == self.Level.CLUB

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]

    def contains(self, other: "Commission") -> bool:
        """Whether ``other`` is this commission or lies below it."""
        return other.path.startswith(self.path)


LEVEL_RANK = {level: rank for rank, level in enumerate(Commission.Level.values)}
# The levels of the election commissions proper; a club is formed by one of the territorial ones.
COMMISSION_LEVELS = tuple(level for level in Commission.Level.values if level != "club")
CLUB_PARENT_LEVELS = ("central", "oblast", "district")


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    RESERVE = "reserve", _("Reserve")
    CLUB_MEMBER = "club_member", _("Club member")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        """Seats held on ``on`` (today by default); a seat's ``ended_on`` is its first day off."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on)
        )

    def in_branch(self, commission: Commission):
        """Everyone whose commission is ``commission`` or lies below it: one query."""
        return self.filter(commission__path__startswith=commission.path)


class Membership(models.Model):
    """A person's seat in a commission, in one position, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("commission"),
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "commission"],
                condition=models.Q(ended_on__isnull=True),
                name="commissions_membership_one_open_seat_per_commission",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="commissions_membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["commission", "position"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_position_display()} · {self.commission.code}"


class ManagerRole(models.Model):
    """Makes a person a manager of one commission: they see and report on its whole branch."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="manager_roles",
        verbose_name=_("user"),
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.CASCADE,
        related_name="manager_roles",
        verbose_name=_("commission"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("manager role")
        verbose_name_plural = _("manager roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "commission"], name="commissions_managerrole_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.commission.code}"


def private_storage():
    """Files with personal data: kept outside MEDIA_ROOT and never served by URL."""
    return storages["private"]


class MemberImport(models.Model):
    """One uploaded file of commission members: checked first (dry run), then applied whole."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        VALIDATED = "validated", _("Checked, ready to apply")
        QUEUED = "queued", _("Waiting to be applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), storage=private_storage, upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALIDATED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("One entry per problem: row number, column and what is wrong."),
    )
    summary = models.JSONField(
        _("summary"),
        default=dict,
        blank=True,
        help_text=_("Counts of created, changed and unchanged rows."),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ElectionEventQuerySet(models.QuerySet):
    def open_for_training(self):
        return self.filter(status=ElectionEvent.Status.TRAINING)


class ElectionEvent(models.Model):
    """An electoral event with its own curriculum, training deadline and certificates."""

    class Kind(models.TextChoices):
        PRESIDENTIAL = "presidential", _("Presidential election")
        MAZHILIS = "mazhilis", _("Mazhilis election")
        MASLIKHAT = "maslikhat", _("Maslikhat election")
        AKIM = "akim", _("Akim election")
        REFERENDUM = "referendum", _("Referendum")
        BY_ELECTION = "by_election", _("By-election")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        TRAINING = "training", _("Training open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    vote_date = models.DateField(_("vote date"))
    training_deadline = models.DateField(
        _("training deadline"), help_text=_("The last day on which training counts.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )

    objects = ElectionEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("election event")
        verbose_name_plural = _("election events")
        ordering = ["-vote_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(training_deadline__lte=models.F("vote_date")),
                name="commissions_event_deadline_before_vote",
                violation_error_message=_("The training deadline must not be after the vote."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.vote_date:%d.%m.%Y})"

    @property
    def name(self) -> str:
        return localized_name(self)
