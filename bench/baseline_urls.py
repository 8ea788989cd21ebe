"""The project's URLs plus /bench/bare/: the cheapest response this stack can give.

Its requests/s is the ceiling for the stack as deployed (gunicorn, middleware,
logging); each API endpoint is measured against it.
"""

from django.http import JsonResponse
from django.urls import include, path

from config import urls as project_urls


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]

# include() does not carry the error views over; keep the project's, whatever they are.
handler404 = project_urls.handler404
handler500 = project_urls.handler500
