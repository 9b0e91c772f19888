"""Members: the list, enrolment by NIK (never in a URL), a member's page with their cover, ledger,
payments, claims and KUBE groups, ending and reinstating a membership, and the card."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list

from .. import actions, printing
from ..choices import MemberStatus
from ..filtersets import MemberFilterSet
from ..forms import EndForm, EnrolForm, PaymentForm, ReinstateForm
from ..queries import kube_of
from ..tables import MemberTable
from ._common import READERS, WORKERS, form_page, may_work, members, needs, schemes


@needs(*READERS)
def member_list(request):
    user = request.user
    page = build_list(request, members(user), MemberTable, filterset_class=MemberFilterSet)
    return render(
        request,
        "insurance/list.html",
        {
            "title": _("Peserta Askesos"),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("insurance:member_enrol"), _("Daftarkan peserta"))]
            if may_work(user)
            else [],
        },
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def member_enrol(request):
    user = request.user
    open_schemes = schemes(user, "work").filter(active=True).order_by("provider", "name")
    form = EnrolForm(request.POST or None, schemes=open_schemes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scheme = data.pop("scheme")
        try:
            membership = actions.enrol_member(user, scheme, **data)
        except PermissionDenied:
            form.add_error("scheme", _("Anda tidak dapat mendaftarkan peserta pada skema ini."))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s terdaftar sebagai peserta nomor %(number)s.")
                % {"name": membership.person.full_name, "number": membership.number},
            )
            return redirect("insurance:member_detail", uid=membership.uid)
    return form_page(
        request,
        form,
        _("Daftarkan peserta Askesos"),
        back_url=reverse("insurance:member_list"),
        intro=_(
            "Pencari nafkah utama di sektor informal, penghasilan sekitar Rp300.000 sebulan, "
            "berusia 21–60 tahun atau sudah menikah, memiliki KTP-el. Orangnya dicari di "
            "registri dengan NIK."
        ),
        submit=_("Daftarkan"),
    )


def _ledger(membership) -> list[dict]:
    """Each month's due, oldest first, with what the payments so far cover of it."""
    left = int(membership.total_paid)
    rows = []
    for due in membership.dues.order_by("month"):
        amount = int(due.amount)
        covered = min(left, amount)
        left -= covered
        rows.append(
            {
                "month": due.month,
                "due_on": due.due_on,
                "amount": amount,
                "covered": covered,
                "state": "paid" if covered == amount else "partial" if covered else "unpaid",
            }
        )
    rows.reverse()
    return rows


@needs(*READERS)
def member_detail(request, uid):
    user = request.user
    membership = get_for_user_or_404(request, members(user), uid=uid)
    work = may_work(user) and members(user, "work").filter(pk=membership.pk).exists()
    open_ = membership.status != MemberStatus.ENDED
    return render(
        request,
        "insurance/member_detail.html",
        {
            "title": _("Peserta %(number)s") % {"number": membership.number},
            "m": membership,
            "person": membership.person,
            "household": membership.household,
            "periods": membership.periods.order_by("start"),
            "ledger": _ledger(membership),
            "payments": membership.payments.select_related("recorded_by").order_by(
                "-paid_on", "-id"
            )[:60],
            "claims": membership.claims.order_by("-filed_on", "-id"),
            "kube": kube_of(membership),
            "work": work,
            "payment_form": PaymentForm() if work and open_ else None,
            "end_form": EndForm() if work and open_ else None,
            "reinstate_form": ReinstateForm()
            if work and membership.status == MemberStatus.LAPSED
            else None,
            "may_claim": work and open_,
            "perms_registry": user.can(Cap.VIEW_REGISTRY),
            "card_check": reverse("insurance:card_check", args=[printing.card_token(membership)]),
            "history": membership.history.select_related("history_user").order_by("-history_id")[
                :20
            ],
        },
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def member_end(request, uid):
    user = request.user
    membership = get_for_user_or_404(request, members(user, "work"), uid=uid)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_membership(user, membership, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "end refused", membership)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Kepesertaan diakhiri."))
            return redirect("insurance:member_detail", uid=membership.uid)
    return form_page(
        request,
        form,
        _("Akhiri kepesertaan %(number)s") % {"number": membership.number},
        back_url=reverse("insurance:member_detail", args=[membership.uid]),
        submit=_("Akhiri kepesertaan"),
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def member_reinstate(request, uid):
    user = request.user
    membership = get_for_user_or_404(request, members(user, "work"), uid=uid)
    form = ReinstateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reinstate_member(user, membership, on=form.cleaned_data["on"])
        except PermissionDenied:
            deny(request, "reinstatement refused", membership)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Kepesertaan dipulihkan; masa tunggu dihitung lagi dari hari ini.")
            )
            return redirect("insurance:member_detail", uid=membership.uid)
    return form_page(
        request,
        form,
        _("Pulihkan kepesertaan %(number)s") % {"number": membership.number},
        back_url=reverse("insurance:member_detail", args=[membership.uid]),
        intro=_("Tunggakan harus sudah dilunasi dan pemulihan masih dalam batas waktunya."),
        submit=_("Pulihkan"),
    )


@needs(*READERS)
def member_card(request, uid):
    membership = get_for_user_or_404(request, members(request.user), uid=uid)
    verify_url = request.build_absolute_uri(
        reverse("insurance:card_check", args=[printing.card_token(membership)])
    )
    return private_file_response(
        printing.card_pdf(membership, verify_url),
        filename=f"kartu-askesos-{membership.number}.pdf",
        content_type="application/pdf",
    )
