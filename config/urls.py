import os

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from config.api import api
from uslugi.core.views import public_media

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("uslugi.accounts.urls")),
    path("calendar/", include("uslugi.workdays.urls")),
    path("", include("uslugi.catalogue.urls")),
    path("", include("uslugi.constructor.urls")),
    path("", include("uslugi.applications.urls")),
    path("", include("uslugi.situations.urls")),
    path("", include("uslugi.support.urls")),
    path("", include("uslugi.feedback.urls")),
    path("", include("uslugi.quality.urls")),
    path("", include("uslugi.roadmap.urls")),
]
if os.environ.get("USLUGI_BENCH_ENDPOINTS") == "1":
    # bench/intake.py's peer: a minimal endpoint inserting one row; never mounted otherwise.
    from bench._common import insert_one_row

    urlpatterns.append(path("bench/insert/", insert_one_row))
if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>curators/.*)$", public_media, name="media"))

handler400 = "uslugi.core.views.bad_request"
handler403 = "uslugi.core.views.permission_denied"
handler404 = "uslugi.core.views.page_not_found"
handler500 = "uslugi.core.views.server_error"
