"""What the one-stop service's pages share: role checks, sensitive-record reasons, paging."""

from __future__ import annotations

import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pandu.core.access import deny, get_for_user_or_404, record_access, require
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.models import AccessLog

from .. import actions, forms, public
from ..models import Case, Referral
from ..pdf import referral_letter_pdf

GRANT_SECONDS = 15 * 60
PAGE = 100


def _need(request, *caps: str) -> None:
    """A page the role may not use at all answers 404 (like a record outside the area), logged."""
    require(request, any(request.user.can(cap) for cap in caps), "role lacks " + "/".join(caps))


def needs(*caps: str):
    def wrap(view):
        @wraps(view)
        @login_required
        def inner(request, *args, **kwargs):
            _need(request, *caps)
            return view(request, *args, **kwargs)

        return inner

    return wrap


_errors_to_form = add_action_errors


def _fail(request, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan ini."))


def _form_page(
    request, form, title: str, *, subtitle: str = "", back: str = "", submit="", **extra
):
    ctx = {
        "title": title,
        "subtitle": subtitle,
        "form": form,
        "back": back,
        "submit": submit or _("Simpan"),
        "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
    }
    ctx.update(extra)
    return render(request, "services/form.html", ctx)


def _granted(request, uid) -> bool:
    at = request.session.get("svc_grants", {}).get(str(uid))
    return at is not None and time.time() - at < GRANT_SECONDS


def _grant(request, objs, reason: str) -> None:
    now = time.time()
    grants = {
        k: v for k, v in request.session.get("svc_grants", {}).items() if now - v < GRANT_SECONDS
    }
    for obj in objs:
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, obj, detail=reason)
        grants[str(obj.uid)] = now
    request.session["svc_grants"] = grants


class NeedsReason(Exception):
    def __init__(self, url: str):
        self.url = url


def _case(request, uid, *, related=True) -> Case:
    qs = Case.objects.visible_to(request.user)
    if related:
        qs = qs.select_related(
            "intake__service_point", "intake__person", "assigned_to", "service_point"
        )
    case = get_for_user_or_404(request, qs, uid=uid)
    if case.sensitive and not _granted(request, case.uid):
        raise NeedsReason(
            reverse("services:case_reason", args=[case.uid]) + "?next=" + request.path
        )
    return case


def _work_case(request, uid) -> Case:
    """A case the user may write on (the assigned worker, the supervisor, the administrator).

    Others who may read it get a 404 for its forms, logged like any refusal.
    """
    case = _case(request, uid)
    if not actions.may_work(request.user, case):
        deny(request, "not assigned or supervising", case)
    return case


def gated(view):
    """Send the user to the reason page when a sensitive record needs one."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NeedsReason as exc:
            return redirect(exc.url)

    return inner


def _post_action(request, fn, success: str, back: str):
    try:
        fn()
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return redirect(back)


def _reason_page(request, objs, label: str, default_next: str):
    form = forms.AccessReasonForm(request.POST or None)
    nxt = request.POST.get("next") or request.GET.get("next") or default_next
    if not nxt.startswith("/layanan/"):
        nxt = default_next
    if request.method == "POST" and form.is_valid():
        _grant(request, objs, form.cleaned_data["reason"])
        return redirect(nxt)
    return render(
        request,
        "services/reason.html",
        {"title": _("Data sensitif"), "form": form, "label": label, "next": nxt},
    )


def _letter_response(request, referral: Referral) -> HttpResponseBase:
    if not referral.number:
        raise Http404
    url = request.build_absolute_uri(
        reverse("services:public_letter", args=[public.letter_token(referral)])
    )
    return private_file_response(
        referral_letter_pdf(referral, url),
        filename=f"surat-rujukan-{referral.number}.pdf",
        content_type="application/pdf",
    )
