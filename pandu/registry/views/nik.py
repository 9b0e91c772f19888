"""The NIK check: the tool page and the inline check of NIK inputs."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.regions.queries import district_exists

from .. import existence
from ..forms import NikCheckForm
from ..nik import check_nik


@login_required
@require_http_methods(["GET", "POST"])
def nik_tool(request):
    """Check a NIK's structure, region and consistency; nothing is looked up or stored."""
    form = NikCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = check_nik(
            form.cleaned_data["nik"],
            birth_date=form.cleaned_data.get("birth_date"),
            sex=form.cleaned_data.get("sex") or None,
            known_district=district_exists,
        )
    template = "registry/_nik_result.html" if request.htmx else "registry/nik_tool.html"
    return render(request, template, {"title": _("Periksa NIK"), "form": form, "result": result})


@login_required
@require_http_methods(["POST"])
def nik_field_check(request):
    """Inline check for NIK inputs in forms (HTMX): returns a short message, never the NIK."""
    field = next((k for k in request.POST if k.endswith("nik")), None)
    value = request.POST.get(field, "") if field else ""
    result = check_nik(value, known_district=district_exists) if value.strip() else None
    taken, refusal = False, ""
    if result is not None and result.valid and request.user.can(Cap.VIEW_REGISTRY):
        # "Already registered" only inside the user's area; counted and logged (existence).
        try:
            status = existence.nik_status(request.user, result.value, path=request.path)
        except ValidationError as exc:
            refusal = exc.messages[0]
        else:
            taken = status == existence.MINE
    return render(
        request,
        "registry/_nik_inline.html",
        {"result": result, "taken": taken, "refusal": refusal},
    )
