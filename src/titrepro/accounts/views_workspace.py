"""The dashboard under /espace/: the work waiting for the role the person works as, and the switch
between their roles (``accounts.spaces``, ``core.workspaces``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titrepro.accounts import spaces
from titrepro.core.workspaces import work_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    kind = spaces.active_kind(request)
    if kind is None:
        return render(request, "accounts/dashboard.html", {"kind": None, "queues": [], "panels": []})
    queues, panels = work_for(kind, request.user)
    return render(request, "accounts/dashboard.html", {"kind": kind, "queues": queues, "panels": panels})


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    if not spaces.choose(request, request.POST.get("kind", "")):
        messages.error(request, _("You do not have this role."))
    return redirect("workspace:dashboard")
