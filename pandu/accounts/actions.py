"""Creating users and their API tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from pandu.regions.models import Area

from .models import User
from .roles import Role


@transaction.atomic
def create_user(
    username: str, *, role: str, area_code: str, password: str | None = None, **extra
) -> User:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Peran tidak dikenal: %(r)s. Pilih salah satu: %(all)s")
                % {"r": role, "all": ", ".join(Role.values)}
            }
        )
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area": _("Kode wilayah tidak dikenal: %(c)s") % {"c": area_code}})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Nama pengguna sudah dipakai.")})
    user = User(username=username, role=role, area=area, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def issue_token(user: User, *, renew: bool = False) -> str:
    if renew:
        Token.objects.filter(user=user).delete()
    token, _created = Token.objects.get_or_create(user=user)
    return token.key
