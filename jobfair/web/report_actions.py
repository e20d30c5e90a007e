"""The organiser's "compile the report again" button: queue the task, back to the report.

The report page itself lives with the report views; this module only handles the POST
(``organiser:report_compile``), so a form works without JavaScript. The page's
polled part is ``organiser:report_status`` (in the report views).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jobfair.context import AppContext
from jobfair.models.accounts import Role
from jobfair.services import reports
from jobfair.services.errors import Conflict
from jobfair.web.auth import checked_form, require
from jobfair.web.notices import notice_query


async def compile_report(request: Request) -> Response:
    signed_in = require(request, Role.ORGANISER, Role.ADMIN)
    await checked_form(request)
    ctx: AppContext = request.app.state.ctx
    slug = request.path_params["slug"]
    target = request.url_for("organiser:report", slug=slug).path
    try:
        async with ctx.unit_of_work() as session:
            await reports.request_compile(session, signed_in.user, slug, ctx.now())
    except Conflict:
        query = urlencode(notice_query("report_unpublished"))
        return RedirectResponse(f"{target}?{query}", status_code=303)
    # The page itself says the report is being compiled while the request is pending
    # (and, with JavaScript, shows the new version when it is written).
    return RedirectResponse(target, status_code=303)
