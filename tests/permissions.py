"""The permission matrix, written once (STYLE.md, habit 10).

Each app's matrix is a test class that subclasses ``PermissionMatrix`` and
lists its ``rows``; one ``Row`` names a page or an API operation, who may use
it and what they get. From the rows the base class generates, for every row:

- ``test_anonymous``: a page sends to the login page, the API answers 401;
- ``test_wrong_roles``: every user whose role is not in the row's audience
  (the six kinds of users of ``World``) gets 403 (API: ``"code": "forbidden"``),
  or ``row.refused`` when the row says otherwise;
- ``test_other_organisation``: the right role in the other organisation gets
  404 (API: ``"code": "not_found"``), or for a list the expected status and none
  of our data;
- ``test_right_users``: each user of the audience (the national administrator
  when the audience names it) gets ``row.status``, and none of the other
  organisation's data.

Each user's request runs in a transaction rolled back afterwards, so a write
by one user (a suspension, a decision) does not change what the next one sees.
``tests/test_url_coverage.py`` reads the rows of every subclass: a URL or an API
operation without a row fails there. The Django admin has its own matrix
(``AdminMatrix``, rows generated from ``admin.site``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Flag, auto
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_accommodation,
    make_approval,
    make_candidate,
    make_centre,
    make_experience,
    make_habilitation,
    make_jury_member,
    make_link,
    make_pathway,
    make_title,
    make_user,
    make_vae_application,
    today,
    user_with_role,
)
from tests.helpers import login_as
from titrepro.accounts.api_auth import issue_token
from titrepro.accounts.models import ApiToken, RoleKind
from titrepro.candidates.models import Accommodation, Candidate, Pathway, VaeApplication
from titrepro.catalogue.models import Title
from titrepro.directory.models import (
    Approval,
    ApprovedCentre,
    Authority,
    DeclaredLink,
    Habilitation,
    JuryMember,
    ProfessionalExperience,
)
from titrepro.rules.dates import add_years

if TYPE_CHECKING:
    # What the test client answers: an HttpResponse with .templates, .json() and the rest.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


class Audience(Flag):
    """Who a row is for; combine with ``|`` (``Audience.AUTHORITY | Audience.NATIONAL``)."""

    AUTHORITY = auto()  # an authority agent (DREETS / DDETS)
    CENTRE = auto()  # centre staff
    JURY = auto()  # a jury member
    CANDIDATE = auto()  # a candidate
    NATIONAL = auto()  # the national administrator
    SIGNED_IN = auto()  # anyone signed in, with a role or without


# The audiences that belong to an organisation: for them "the other organisation" means something.
ORGANISED = (Audience.AUTHORITY, Audience.CENTRE, Audience.JURY, Audience.CANDIDATE)


# The shared world ---------------------------------------------------------------------------------


@dataclass
class Organisation:
    """One authority and everything in it, with a user for each role scoped to it."""

    authority: Authority
    centre: ApprovedCentre
    approval: Approval
    member: JuryMember
    experience: ProfessionalExperience
    habilitation: Habilitation
    link: DeclaredLink
    candidate: Candidate
    pathway: Pathway
    vae: VaeApplication  # pending, filed today
    accommodation: Accommodation  # requested today, not decided
    agent: Any
    staff: Any
    juror: Any
    learner: Any

    def user(self, audience: Audience) -> Any:
        return {
            Audience.AUTHORITY: self.agent,
            Audience.CENTRE: self.staff,
            Audience.JURY: self.juror,
            Audience.CANDIDATE: self.learner,
        }[audience]

    def secrets(self) -> dict[str, str]:
        """Words found only in this organisation's data: another organisation must never see them."""
        return {
            "centre": self.centre.name,
            "site": self.approval.site_address,
            "member": self.member.last_name,
            "link": self.link.label,
            "candidate": self.candidate.birth_name,
        }


@dataclass
class World:
    """Two organisations (``ours``, whose objects rows name, and ``theirs``), a national admin, a user with no role."""

    title: Title
    ours: Organisation
    theirs: Organisation
    admin: Any
    nobody: Any
    # The user a row's args and body are built for (the user making the request, or for the
    # other-organisation test the user whose object it is): see ``own_token``.
    actor: Any = None
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def users(self) -> dict[str, Any]:
        """The users of every kind, by a label for the failure messages."""
        return {
            "national admin": self.admin,
            "authority agent": self.ours.agent,
            "centre staff": self.ours.staff,
            "jury member": self.ours.juror,
            "candidate": self.ours.learner,
            "user with no role": self.nobody,
        }

    def right_users(self, audience: Audience) -> dict[str, Any]:
        if Audience.SIGNED_IN in audience:
            return self.users()
        kinds = {self.admin.pk: Audience.NATIONAL} | {self.ours.user(kind).pk: kind for kind in ORGANISED}
        return {label: user for label, user in self.users().items() if user.pk in kinds and kinds[user.pk] in audience}

    def own_token(self) -> ApiToken:
        """An API token of the actor (for the rows about one's own tokens)."""
        token = ApiToken.objects.filter(user=self.actor, revoked_at__isnull=True).first()
        return token if token is not None else issue_token(self.actor, "matrice")[0]

    def fresh_email(self) -> str:
        return f"invite{next(self._numbers)}@example.org"


def _organisation(
    title: Title,
    departement: str,
    *,
    authority: str,
    code: str,
    centre: str,
    site: str,
    member: str,
    link: str,
    candidate: str,
) -> Organisation:
    where = Authority.objects.create(name=authority, departement=departement)
    the_centre = make_centre(code=code, name=centre, authority=where)
    the_member = make_jury_member(last_name=member, first_name="Ada", authority=where)
    the_candidate = make_candidate(birth_name=candidate, given_names="Léa", centre=the_centre)
    return Organisation(
        authority=where,
        centre=the_centre,
        approval=make_approval(centre=the_centre, site_address=site),
        member=the_member,
        experience=make_experience(member=the_member, title=title, start=add_years(today(), -12)),
        habilitation=make_habilitation(member=the_member, title=title),
        link=make_link(member=the_member, label=link),
        candidate=the_candidate,
        pathway=make_pathway(candidate=the_candidate, title=title),
        vae=make_vae_application(candidate=the_candidate, title=title, filed_on=today()),
        accommodation=make_accommodation(candidate=the_candidate, requested_on=today()),
        agent=user_with_role(RoleKind.AUTHORITY_AGENT, username=f"agent-{departement}", authority=where),
        staff=user_with_role(RoleKind.CENTRE_STAFF, username=f"staff-{departement}", centre=the_centre),
        juror=user_with_role(RoleKind.JURY_MEMBER, username=f"juror-{departement}", jury_member=the_member),
        learner=user_with_role(RoleKind.CANDIDATE, username=f"learner-{departement}", candidate=the_candidate),
    )


def build_world() -> World:
    title = make_title()
    return World(
        title=title,
        ours=_organisation(
            title,
            "69",
            authority="DDETS du Rhône",
            code="HERE",
            centre="Centre Lumière",
            site="12 quai Saint-Antoine, 69002 Lyon",
            member="Lovelace",
            link="Lien secret nord",
            candidate="Quesnel",
        ),
        theirs=_organisation(
            title,
            "13",
            authority="DDETS des Bouches-du-Rhône",
            code="THERE",
            centre="Centre Calanques",
            site="3 rue de la République, 13001 Marseille",
            member="Hopper",
            link="Lien secret sud",
            candidate="Ailleurs",
        ),
        admin=user_with_role(RoleKind.NATIONAL_ADMIN, username="national"),
        nobody=make_user(username="nobody"),
    )


# Rows ---------------------------------------------------------------------------------------------

Build = Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    """One page or API operation of the matrix.

    ``name`` is the URL name (``api:...`` for the API, then ``method`` names the
    operation); ``args``, ``query`` and ``body`` are built from the world for
    each request (``World.actor`` is the user they are built for). ``status`` is
    what the right users get; ``is_list``: the other organisation gets that
    status too but none of our data (a list, or a page about the user's own
    organisation), else 404. ``refused`` is what a role outside the audience
    gets (403, or 404 / 200 for reads scoped to whatever the user may see).
    ``public``: keys of ``Organisation.secrets`` this row may show to anyone.
    """

    name: str
    audience: Audience
    method: str = "get"
    args: Build | None = None
    query: Build | None = None
    body: Build | None = None
    status: int = 200
    is_list: bool = False
    refused: int = 403
    public: frozenset[str] = frozenset()
    multipart: bool = False

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"

    @property
    def names_an_object(self) -> bool:
        return self.args is not None or self.query is not None or self.body is not None


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def send(client: Client, row: Row, world: World, actor: Any) -> Response:
    """The request of ``row``, its URL and body built for ``actor``."""
    world.actor = actor
    url = reverse(row.name, args=list(row.args(world)) if row.args else [])
    if row.query is not None:
        url = f"{url}?{urlencode(row.query(world))}"
    body = row.body(world) if row.body is not None else {}
    method = row.method.lower()
    if method == "get":
        response = client.get(url)
    elif method == "delete":
        response = client.delete(url)
    elif row.is_api and not row.multipart:
        response = client.generic(method.upper(), url, json.dumps(body), content_type="application/json")
    else:
        response = client.post(url, body)
    if getattr(response, "streaming", False):
        # A file (a portfolio): read it whole, so the checks can read ``content``. The test client
        # closes it at the end of the iteration (calling close() again would send request_finished,
        # which closes the test's database connection on PostgreSQL).
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        read = HttpResponse(content, status=response.status_code)
        for header, value in response.items():
            read[header] = value
        return cast("Response", read)
    return response


def text_of(response: Response) -> str:
    return response.content.decode("utf-8-sig", errors="replace")


def leaked(response: Response, secrets: dict[str, str], public: frozenset[str] = frozenset()) -> list[str]:
    content = text_of(response)
    return [f"{key} {value!r}" for key, value in secrets.items() if key not in public and value in content]


def applies(condition: Callable[[Row], bool]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Generate a test only for the rows it applies to."""

    def mark(test: Callable[..., None]) -> Callable[..., None]:
        test.applies = condition  # type: ignore[attr-defined]
        return test

    return mark


def wrong_role_rows(row: Row) -> bool:
    return Audience.SIGNED_IN not in row.audience


def other_organisation_rows(row: Row) -> bool:
    if Audience.SIGNED_IN in row.audience:
        return row.args is not None  # another person's object (one's own API token)
    return any(audience in row.audience for audience in ORGANISED) and (row.is_list or row.names_an_object)


class PermissionMatrix:
    """Base class of the matrices; a subclass (``class TestXPermissions(PermissionMatrix)``) sets ``rows``."""

    rows: ClassVar[Sequence[Row]] = ()
    # The first template of every page a right user gets with 200 (e.g. "directory/"): the page, not an error.
    template_prefix: ClassVar[str] = ""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "row" not in metafunc.fixturenames:
            return
        condition: Callable[[Row], bool] = getattr(metafunc.function, "applies", lambda row: True)
        rows = [row for row in self.rows if condition(row)]
        metafunc.parametrize("row", rows, ids=[row.id for row in rows])

    @pytest.fixture
    def world(self, db: None) -> World:
        return build_world()

    def check_right_answer(self, row: Row, response: Response) -> list[str]:
        """What else a right user's answer must be; a subclass may add to it."""
        templates = getattr(response, "templates", [])
        if row.is_api or response.status_code != 200 or not self.template_prefix or not templates:
            return []
        first = templates[0].name or ""
        # The shared pages of core (the authority's decisions) serve every app.
        return [] if first.startswith((self.template_prefix, "core/")) else [f"rendered {first}"]

    def test_anonymous(self, client: Client, world: World, row: Row) -> None:
        actor = next(iter(world.right_users(row.audience).values()))
        response = send(client, row, world, actor)
        if row.is_api:
            assert response.status_code == 401, response.content
        else:
            assert response.status_code == 302, response.status_code
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response["Location"]

    @applies(wrong_role_rows)
    def test_wrong_roles(self, client: Client, world: World, row: Row) -> None:
        right = world.right_users(row.audience)
        wrong = {label: user for label, user in world.users().items() if label not in right}
        failures = []
        for label, user in wrong.items():
            with rolled_back():
                login_as(client, user)
                response = send(client, row, world, user)
                failures += [f"{label}: {problem}" for problem in self.refusal_problems(row, response, world)]
        assert not failures, failures

    def refusal_problems(self, row: Row, response: Response, world: World) -> list[str]:
        if response.status_code != row.refused:
            return [f"{response.status_code} instead of {row.refused}"]
        if row.refused == 200:  # a read open to every role that shows each only what it may see
            return [f"sees {secret}" for secret in leaked(response, world.ours.secrets(), row.public)]
        if row.is_api:
            return api_code_problems(response)
        return []

    @applies(other_organisation_rows)
    def test_other_organisation(self, client: Client, world: World, row: Row) -> None:
        if Audience.SIGNED_IN in row.audience:
            pairs = [("another user", world.ours.juror, world.theirs.juror)]
        else:
            pairs = [
                (f"{label} of the other organisation", user, world.theirs.user(audience))
                for audience in ORGANISED
                if audience in row.audience
                for label, user in world.users().items()
                if user == world.ours.user(audience)
            ]
        failures = []
        for label, owner, intruder in pairs:
            with rolled_back():
                login_as(client, intruder)
                response = send(client, row, world, owner)
                if row.is_list:
                    if response.status_code != row.status:
                        failures.append(f"{label}: {response.status_code} instead of {row.status}")
                    failures += [f"{label}: sees {s}" for s in leaked(response, world.ours.secrets(), row.public)]
                elif response.status_code != 404:
                    failures.append(f"{label}: {response.status_code} instead of 404")
                elif row.is_api:
                    failures += [f"{label}: {problem}" for problem in api_code_problems(response)]
        assert not failures, failures

    def test_right_users(self, client: Client, world: World, row: Row) -> None:
        failures = []
        for label, user in world.right_users(row.audience).items():
            with rolled_back():
                login_as(client, user)
                response = send(client, row, world, user)
                if response.status_code != row.status:
                    failures.append(
                        f"{label}: {response.status_code} instead of {row.status}: {text_of(response)[:300]}"
                    )
                    continue
                if row.method == "get" and user != world.admin:
                    failures += [f"{label}: sees {s}" for s in leaked(response, world.theirs.secrets(), row.public)]
                failures += [f"{label}: {problem}" for problem in self.check_right_answer(row, response)]
        assert not failures, failures


def api_code_problems(response: Response) -> list[str]:
    expected = {403: "forbidden", 404: "not_found"}.get(response.status_code)
    if expected is None:
        return []
    try:
        code = json.loads(response.content).get("code")
    except ValueError:
        return [f"not JSON: {text_of(response)[:100]}"]
    return [] if code == expected else [f'"code": {code!r} instead of {expected!r}']


# Public URLs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Public:
    """A page or API operation open to anyone, and what an anonymous visitor gets."""

    name: str
    method: str = "get"
    kwargs: dict[str, str] = field(default_factory=dict)
    status: int = 200
    body: dict[str, Any] | None = None
    needs_catalogue: bool = True  # the built-in titles are loaded first

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"


# The Django admin ---------------------------------------------------------------------------------
#
# Only national staff use the admin (is_staff / is_superuser, past the second factor): there is no
# organisation in it, so "the other organisation" does not apply to these rows.


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page of this URL name."""

    to: str


ADMIN_LOGIN = Redirect("admin:login")
Outcome = int | Redirect


@dataclass(frozen=True)
class AdminRow:
    """One admin URL: ``key`` is what the URL meta-test knows it by (the URL name, or for an
    unnamed pattern its route in angle brackets); ``url`` is built from the admin world."""

    key: str
    url: Callable[[dict[type[models.Model], models.Model]], str]
    method: str = "get"
    anonymous: Outcome = ADMIN_LOGIN
    not_staff: Outcome = ADMIN_LOGIN
    staff: Outcome = 403  # staff without any model permission
    superuser: Outcome = 200

    def expected(self, who: str) -> Outcome:
        outcome: Outcome = getattr(self, who)
        return outcome


ADMIN_AUDIENCES = ("anonymous", "not_staff", "staff", "superuser")
# Read-only admins: decisions and the audit log change through the services only.
# Models the admin may add (reference data: organisations) or delete (none: issue 11, item 3):
# every other registered model answers 403 to a superuser on its add and delete pages.
ADMIN_ADDABLE = {
    "auth.group",
    "auth.user",
    "dsfr.dsfrconfig",
    "directory.authority",
    "directory.approvedcentre",
    "directory.trainingprovider",
}
ADMIN_DELETABLE = {"auth.group", "auth.user", "dsfr.dsfrconfig"}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


def _admin_prefix() -> str:
    return reverse("admin:index").removeprefix("/")


def admin_rows(site: admin.AdminSite = admin.site) -> list[AdminRow]:
    """A row for every URL of the admin: the site's own pages, and each registered ModelAdmin's."""
    prefix = _admin_prefix()
    rows = [
        AdminRow("admin:index", lambda objects: reverse("admin:index"), staff=200),
        # Anonymous: our login page (two factors); signed in without is_staff: refused (SecondFactorMiddleware).
        AdminRow(
            "admin:login",
            lambda objects: reverse("admin:login"),
            anonymous=Redirect("accounts:login"),
            not_staff=403,
            staff=Redirect("admin:index"),
            superuser=Redirect("admin:index"),
        ),
        # Logging out sends to settings.LOGOUT_REDIRECT_URL; without an admin session, back to the index.
        AdminRow(
            "admin:logout",
            lambda objects: reverse("admin:logout"),
            method="post",
            anonymous=Redirect("admin:index"),
            not_staff=Redirect("admin:index"),
            staff=Redirect(settings.LOGOUT_REDIRECT_URL),
            superuser=Redirect(settings.LOGOUT_REDIRECT_URL),
        ),
        AdminRow("admin:password_change", lambda objects: reverse("admin:password_change"), staff=200),
        AdminRow("admin:password_change_done", lambda objects: reverse("admin:password_change_done"), staff=200),
        AdminRow(
            "admin:autocomplete",
            lambda objects: (
                reverse("admin:autocomplete")
                + "?"
                + urlencode({"app_label": "catalogue", "model_name": "titleversion", "field_name": "title"})
            ),
        ),
        AdminRow("admin:jsi18n", lambda objects: reverse("admin:jsi18n"), staff=200),
        # No model has get_absolute_url: "view on site" is a 404 for whoever may reach it.
        AdminRow(
            "admin:view_on_site",
            lambda objects: reverse("admin:view_on_site", args=[_content_type_id(Title), objects[Title].pk]),
            staff=404,
            superuser=404,
        ),
        AdminRow(f"admin:<{prefix}(?P<url>.*)$>", lambda objects: f"/{prefix}nulle-part/", staff=404, superuser=404),
        AdminRow(
            "admin:auth_user_password_change",
            lambda objects: reverse("admin:auth_user_password_change", args=[objects[_user_model()].pk]),
        ),
    ]
    for app_label in sorted({model._meta.app_label for model in site._registry}):
        rows.append(
            AdminRow(
                "admin:app_list",
                _app_index_url(app_label),
                staff=404,
            )
        )
    for model in site._registry:
        rows += _model_rows(model, prefix)
    return rows


def _model_rows(model: type[models.Model], prefix: str) -> list[AdminRow]:
    app, name = model._meta.app_label, model._meta.model_name
    label = f"{app}.{name}"
    refused = {"add": label not in ADMIN_ADDABLE, "delete": label not in ADMIN_DELETABLE}
    rows = []
    for view in MODEL_VIEWS:
        url_name = f"admin:{app}_{name}_{view}"
        url = _url_without_object(url_name) if view in ("changelist", "add") else _url_of_object(url_name, model)
        rows.append(AdminRow(url_name, url, superuser=403 if refused.get(view) else 200))
    # The old address of an object (``<app>/<model>/<pk>/``) redirects to its change page.
    rows.append(
        AdminRow(
            f"admin:<{prefix}{app}/{name}/<path:object_id>/>",
            _object_redirect_url(model, prefix),
            staff=302,
            superuser=302,
        )
    )
    return rows


def _app_index_url(app_label: str) -> Callable[[dict[type[models.Model], models.Model]], str]:
    return lambda objects: reverse("admin:app_list", args=[app_label])


def _object_redirect_url(
    model: type[models.Model], prefix: str
) -> Callable[[dict[type[models.Model], models.Model]], str]:
    app, name = model._meta.app_label, model._meta.model_name
    return lambda objects: f"/{prefix}{app}/{name}/{objects[model].pk}/"


def _url_without_object(url_name: str) -> Callable[[dict[type[models.Model], models.Model]], str]:
    return lambda objects: reverse(url_name)


def _url_of_object(url_name: str, model: type[models.Model]) -> Callable[[dict[type[models.Model], models.Model]], str]:
    return lambda objects: reverse(url_name, args=[objects[model].pk])


def _content_type_id(model: type[models.Model]) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _user_model() -> type[models.Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()


def admin_objects(
    chosen: dict[type[models.Model], models.Model] | None = None, site: admin.AdminSite = admin.site
) -> dict[type[models.Model], models.Model]:
    """One object of every model registered in the admin: the ``chosen`` one, else the first by pk."""
    objects: dict[type[models.Model], models.Model] = dict(chosen or {})
    missing = []
    for model in site._registry:
        if model in objects:
            continue
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            missing.append(model._meta.label)
        else:
            objects[model] = obj
    assert not missing, f"add an object of these models to the admin world: {missing}"
    return objects


class AdminMatrix:
    """Base of the admin matrix: ``rows`` are ``admin_rows()``, a test per kind of visitor.

    One test per visitor kind goes through every row and reports every mismatch at once
    (a test per row and visitor would be some seven hundred tests for one rule).
    """

    rows: ClassVar[Sequence[AdminRow]] = ()

    def admin_world(self) -> dict[type[models.Model], models.Model]:
        """A subclass creates one object of every registered model, then returns ``admin_objects()``."""
        raise NotImplementedError

    @pytest.fixture
    def objects(self, db: None) -> dict[type[models.Model], models.Model]:
        return self.admin_world()

    @pytest.mark.parametrize("who", ADMIN_AUDIENCES)
    def test_admin(self, client: Client, objects: dict[type[models.Model], models.Model], who: str) -> None:
        user = {
            "anonymous": None,
            "not_staff": make_user(username="pas-staff"),
            "staff": make_user(username="staff-sans-droit", is_staff=True),
            "superuser": make_user(username="superuser", is_staff=True, is_superuser=True),
        }[who]
        failures = []
        for row in self.rows:
            with rolled_back():
                if user is not None:
                    login_as(client, user)
                else:
                    client.logout()
                url = row.url(objects)
                response = client.post(url) if row.method == "post" else client.get(url)
                problem = outcome_problem(response, row.expected(who))
                if problem:
                    failures.append(f"{row.method.upper()} {url} ({row.key}): {problem}")
        assert not failures, "\n".join(failures)


def outcome_problem(response: Response, expected: Outcome) -> str:
    if isinstance(expected, Redirect):
        target = reverse(expected.to)
        if response.status_code != 302 or not response["Location"].startswith(target):
            where = response.get("Location", "")
            return f"{response.status_code} {where} instead of a redirect to {target}"
        return ""
    if response.status_code != expected:
        return f"{response.status_code} instead of {expected}"
    return ""
