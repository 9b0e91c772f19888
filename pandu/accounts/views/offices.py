"""The office's letterhead and signers, set up by the administrator of its area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from reportlab.lib.units import mm

from pandu.core.access import deny, require
from pandu.core.files import private_file_response
from pandu.core.printing import Paper, kv_table, signature_block
from pandu.core.uploads import upload_limit

from .. import actions
from ..forms import LOGO_MAX_BYTES, OfficeForm
from ..models import DocumentKind, Office
from ..offices import letterhead
from ..roles import Cap


def _own_office_area(request):
    """The office an administrator sets up is the one of their own area."""
    require(request, Cap.MANAGE_OFFICE)
    if request.user.area is None:
        deny(request, "no area for the letterhead")
    return request.user.area


@login_required
@upload_limit(LOGO_MAX_BYTES)
@require_http_methods(["GET", "POST"])
def office_edit(request):
    area = _own_office_area(request)
    office = Office.objects.filter(area=area).prefetch_related("signers").first()
    form = OfficeForm(
        request.POST or None, request.FILES or None, initial=OfficeForm.initial_for(office)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_office(
                request.user,
                area,
                fields=form.cleaned_data,
                signers=form.signers(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kop surat disimpan."))
            return redirect("accounts:office")
    return render(
        request,
        "accounts/office.html",
        {"title": _("Kop surat dan penanda tangan"), "form": form, "office": office, "area": area},
    )


@login_required
def office_logo(request):
    area = _own_office_area(request)
    office = Office.objects.filter(area=area).first()
    if office is None or not office.logo:
        deny(request, "no logo")
    try:
        with office.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        deny(request, "logo file missing")
    is_png = data.startswith(b"\x89PNG")
    return private_file_response(
        data,
        filename="logo.png" if is_png else "logo.jpg",
        content_type="image/png" if is_png else "image/jpeg",
    )


@login_required
def office_sample(request):
    """A sample page with the letterhead and every signer, to check the print before use."""
    area = _own_office_area(request)
    office = Office.objects.filter(area=area).select_related("area").first()
    head = letterhead(office)
    paper = Paper(head, _("Contoh kop surat"))
    story = paper.top()
    story.append(
        kv_table(
            [[_("Perihal"), _("Contoh kop surat dan penanda tangan")]],
            [30 * mm, paper.width - 30 * mm],
        )
    )
    for kind, label in DocumentKind.choices:
        signer = head.signer(kind)
        story.append(
            signature_block(
                paper.st, head, kind, width=paper.width, left=str(label) if signer else ""
            )
        )
    return private_file_response(
        paper.build(story), filename="contoh-kop-surat.pdf", content_type="application/pdf"
    )
