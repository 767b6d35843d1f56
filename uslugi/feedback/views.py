"""Feedback pages: the applicant rates and complains, the curator answers and moderates, the
official decides complaints, and anyone reads a service's published comments."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.accounts.models import Role
from uslugi.catalogue import selectors as catalogue
from uslugi.core import hooks
from uslugi.core.errors import UserFacingError
from uslugi.core.paginator import CappedPaginator
from uslugi.core.services import record_event
from uslugi.feedback import selectors, services
from uslugi.feedback.errors import NotFound
from uslugi.feedback.forms import AnswerForm, CommentForm, ComplaintForm, DecisionForm, RatingForm

PAGE_SIZE = 25


def _detail(number: str) -> HttpResponse:
    return redirect("applications:application_detail", number=number)


# The applicant ---------------------------------------------------------------------------------


@login_required
def rate(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.get_my_case(request.user, number)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.rate_case(
                case=case,
                user=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except UserFacingError as error:
            messages.error(request, error.message)
            return _detail(number)
        if rating.is_low:
            messages.success(
                request,
                _("Thank you. The curator of the service will answer you by %(due)s.")
                % {"due": rating.follow_up.due_date.strftime("%d.%m.%Y")},
            )
        else:
            messages.success(request, _("Thank you for your rating."))
        return _detail(number)
    if request.method == "GET" and not services.can_rate(case, request.user):
        messages.error(request, _("This service cannot be rated for this application now."))
        return _detail(number)
    return render(
        request,
        "feedback/rate.html",
        {"case": case, "application": case.application, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def complain(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.get_my_case(request.user, number)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = services.file_complaint(
            case=case,
            user=request.user,
            ground=form.cleaned_data["ground"],
            text=form.cleaned_data["text"],
        )
        messages.success(
            request,
            _("Your complaint is registered. The agency decides on it by %(due)s.")
            % {"due": complaint.due_date.strftime("%d.%m.%Y")},
        )
        return _detail(number)
    return render(
        request,
        "feedback/complain.html",
        {"case": case, "application": case.application, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def judge(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.get_my_follow_up(request.user, pk)
    try:
        services.judge_follow_up(
            follow_up=follow_up, user=request.user, solved=request.POST.get("solved") == "yes"
        )
        messages.success(request, _("Thank you: the curator will see your answer."))
    except UserFacingError as error:
        messages.error(request, error.message)
    return _detail(follow_up.rating.case.application.number)


# The curator -----------------------------------------------------------------------------------


def _curator(request: HttpRequest) -> Any:
    if getattr(request.user, "role", None) != Role.CURATOR:
        raise NotFound()
    return request.user


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    """The curator's scorecard page: follow-ups, complaints and comments of their services."""
    user = _curator(request)
    scorecard = selectors.get_scorecard(user)
    # Apps above feedback (quality) add the services' metrics and trends.
    sections = hooks.call("scorecard_sections", request, scorecard.services)
    return render(
        request, "feedback/scorecard.html", {"scorecard": scorecard, "sections": sections}
    )


@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _curator(request)
    follow_up = selectors.get_follow_up_for_curator(user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(
                follow_up=follow_up, user=user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Your answer is sent to the applicant."))
        except UserFacingError as error:
            messages.error(request, error.message)
        return redirect("feedback:scorecard")
    record_event(actor=user, verb="follow_up.viewed", target=follow_up)
    return render(
        request,
        "feedback/follow_up.html",
        {"follow_up": follow_up, "rating": follow_up.rating, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _curator(request)
    comment = selectors.get_comment_for_curator(user, pk)
    publish = request.POST.get("decision") == "publish"
    try:
        services.moderate_comment(
            comment=comment, user=user, publish=publish, note=request.POST.get("note", "")
        )
        messages.success(
            request, _("The comment is published.") if publish else _("The comment is rejected.")
        )
    except UserFacingError as error:
        messages.error(request, error.message)
    return redirect("feedback:scorecard")


# Officials -------------------------------------------------------------------------------------


def _official(request: HttpRequest) -> Any:
    if getattr(request.user, "role", None) != Role.OFFICIAL:
        raise NotFound()
    return request.user


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    user = _official(request)
    page = CappedPaginator(selectors.list_complaints_for_official(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "feedback/complaint_list.html", {"page": page})


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _official(request)
    complaint = selectors.get_complaint_for_official(user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_complaint(
                complaint=complaint,
                user=user,
                upheld=form.cleaned_data["outcome"] == "upheld",
                remedy=form.cleaned_data["remedy"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("The decision is recorded and sent to the applicant."))
            return redirect("feedback:complaint_list")
        except UserFacingError as error:
            messages.error(request, error.message)
    elif request.method == "GET":
        record_event(actor=user, verb="complaint.viewed", target=complaint)
    return render(
        request,
        "feedback/complaint_detail.html",
        {"complaint": complaint, "case": complaint.case, "form": form},
        status=400 if form.is_bound else 200,
    )


# The public ------------------------------------------------------------------------------------


def service_comments(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    service = catalogue.get_service(region_code=region_code, code=code)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid():
            services.post_comment(
                service=service, user=request.user, text=form.cleaned_data["text"]
            )
            messages.success(
                request, _("Thank you. Your comment appears once the curator publishes it.")
            )
            return redirect("feedback:service_comments", region_code=region_code, code=code)
    page = Paginator(selectors.list_published_comments(service), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "feedback/service_comments.html",
        {"service": service, "page": page, "form": form},
        status=400 if form.is_bound else 200,
    )
