"""Guarantees that nothing under /api/ answers with an HTML error page.

DRF views already answer problems; this catches what happens outside them:
Django's URL resolver 404 (its debug page in DEBUG mode) and uncaught exceptions.
"""

import logging

from accounts.http.problems import PROBLEM_CONTENT_TYPE, problem_response

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith((PROBLEM_CONTENT_TYPE, "application/json")):
            return response
        if response.status_code == 404:
            return problem_response(404, f"No resource at {request.path}.")
        return problem_response(response.status_code, "The request could not be served.")

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("unhandled error", extra={"path": request.path})
        return problem_response(500, "The server failed to answer this request; it is logged.")
