"""Users: each has one role and one area; everything they see is inside that area."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.regions.models import Area

from .roles import Role, user_can


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OPERATOR)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah kerja"),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def can(self, cap: str) -> bool:
        """Whether the user's role holds ``cap`` (see ``accounts/roles.py``)."""
        return user_can(self, cap)

    @property
    def scope_code(self) -> str | None:
        """Code prefix of the user's area; '' means the whole country; None means nothing."""
        if self.is_superuser and self.area_id is None:
            return ""
        return self.area_id

    def in_scope(self, code: str | None) -> bool:
        scope = self.scope_code
        if scope is None or code is None:
            return False
        return code.startswith(scope)
