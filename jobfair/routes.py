"""The whole URL map. Route names are "area:action"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route, Router, WebSocketRoute
from starlette.staticfiles import StaticFiles

from jobfair.services.numbers import ID_DIGITS
from jobfair.web import (
    account,
    applicant,
    booth_slots,
    chat,
    company,
    drives,
    health,
    live,
    office,
    office_report,
    officers,
    organiser,
    public,
    report,
    report_actions,
    tokens,
)
from jobfair.web.api import applicant as api_applicant
from jobfair.web.api import company as api_company
from jobfair.web.api import office_reports as api_office_reports
from jobfair.web.api import openapi
from jobfair.web.api import organiser as api_organiser
from jobfair.web.api import public as api_public
from jobfair.web.api import reports as api_reports
from jobfair.web.page_cache import cached


class IdConvertor(IntegerConvertor):
    """``{…:int}`` matches at most nine ASCII digits: a longer number cannot be a row id
    (INTEGER columns) and used to overflow the database driver into a 500; now such a
    path is just not found."""

    regex = f"[0-9]{{1,{ID_DIGITS}}}"


register_url_convertor("int", IdConvertor())


def route_paths(static_dir: Path) -> Callable[..., str]:
    """Route name → path, for a process that serves no HTTP (the worker, a script)."""
    router = Router(routes=build_routes(static_dir))
    return lambda name, **params: str(router.url_path_for(name, **params))


def build_routes(static_dir: Path) -> list[BaseRoute]:
    return [
        Route("/", public.fair_list, name="public:fairs"),
        # The public pages anonymous visitors get from the page cache (web/page_cache.py).
        Route("/fairs/{slug}", cached(public.fair_page), name="public:fair"),
        Route("/fairs/{slug}/booths/{company}", cached(public.booth_page), name="public:booth"),
        Route("/fairs/{slug}/vacancies", cached(public.vacancy_search), name="public:vacancies"),
        Route(
            "/fairs/{slug}/vacancies/{vacancy_id:int}",
            cached(applicant.vacancy_page),
            name="public:vacancy",
        ),
        Route(
            "/fairs/{slug}/vacancies/{vacancy_id:int}/apply",
            applicant.apply,
            methods=["POST"],
            name="applicant:apply",
        ),
        # Booth chats (web/chat.py): the applicant's side, both parties', the console.
        Route("/fairs/{slug}/booths/{company}/chat", chat.booth_chat, name="chat:booth"),
        Route(
            "/fairs/{slug}/booths/{company}/chat/status",
            chat.booth_chat_status,
            name="chat:status",
        ),
        Route(
            "/fairs/{slug}/booths/{company}/chat/presence",
            chat.booth_presence,
            name="chat:presence",
        ),
        Route(
            "/fairs/{slug}/booths/{company}/chat/queue",
            chat.join,
            methods=["POST"],
            name="chat:join",
        ),
        Route(
            "/fairs/{slug}/booths/{company}/chat/leave",
            chat.leave,
            methods=["POST"],
            name="chat:leave",
        ),
        Route(
            "/chats/{conversation_id:int}/messages", chat.send, methods=["POST"], name="chat:send"
        ),
        Route("/chats/{conversation_id:int}/end", chat.end, methods=["POST"], name="chat:end"),
        Route(
            "/chats/{conversation_id:int}/share-cv",
            chat.share_cv,
            methods=["POST"],
            name="chat:share_cv",
        ),
        Route(
            "/chats/{conversation_id:int}/report", chat.report, methods=["POST"], name="chat:report"
        ),
        Route(
            "/chats/{conversation_id:int}/video", chat.video, methods=["POST"], name="chat:video"
        ),
        Route(
            "/chats/{conversation_id:int}/outcome",
            chat.outcome,
            methods=["POST"],
            name="chat:outcome",
        ),
        Route(
            "/chats/{conversation_id:int}/hand-off",
            chat.hand_off,
            methods=["POST"],
            name="chat:hand_off",
        ),
        Route("/chats/{conversation_id:int}/cv", chat.chat_cv, name="chat:cv"),
        Route("/company/booths/{booth_id:int}/chat", chat.console, name="chat:console"),
        Route(
            "/company/booths/{booth_id:int}/chat/take",
            chat.take,
            methods=["POST"],
            name="chat:take",
        ),
        Route(
            "/company/booths/{booth_id:int}/chat/timer",
            chat.timer,
            methods=["POST"],
            name="chat:timer",
        ),
        Route("/organiser/fairs/{slug}/chat-reports", chat.reports_page, name="chat:reports"),
        Route(
            "/organiser/fairs/{slug}/chat-reports/{report_id:int}/block",
            chat.block,
            methods=["POST"],
            name="chat:block",
        ),
        Route("/login", account.login_page, name="account:login"),
        Route("/login", account.login_submit, methods=["POST"], name="account:login_submit"),
        Route("/logout", account.logout, methods=["POST"], name="account:logout"),
        Route("/password/forgot", account.forgot_page, name="account:forgot"),
        Route(
            "/password/forgot",
            account.forgot_submit,
            methods=["POST"],
            name="account:forgot_submit",
        ),
        Route("/password/reset", account.reset_page, name="account:reset"),
        Route(
            "/password/reset", account.reset_submit, methods=["POST"], name="account:reset_submit"
        ),
        Route("/register", account.register_page, name="account:register"),
        Route(
            "/register", account.register_submit, methods=["POST"], name="account:register_submit"
        ),
        Route("/regions/regencies", account.regency_options, name="account:regencies"),
        Route("/account/tokens", tokens.tokens_page, name="account:tokens"),
        Route(
            "/account/tokens/{token_id:int}/revoke",
            tokens.token_revoke,
            methods=["POST"],
            name="account:token_revoke",
        ),
        Route("/me", applicant.me, name="me:home"),
        Route("/me/profile", applicant.profile_page, name="me:profile"),
        Route("/me/profile", applicant.profile_submit, methods=["POST"], name="me:profile_submit"),
        Route("/me/sharing", applicant.sharing_page, name="me:sharing"),
        Route("/me/sharing", applicant.sharing_submit, methods=["POST"], name="me:sharing_submit"),
        Route("/me/cv", applicant.cv_download, name="me:cv"),
        Route("/me/cv", applicant.cv_upload, methods=["POST"], name="me:cv_upload"),
        Route("/me/applications", applicant.my_applications, name="me:applications"),
        Route(
            "/me/applications/{application_id:int}",
            applicant.my_application,
            name="me:application",
        ),
        Route(
            "/me/applications/{application_id:int}/withdraw",
            applicant.withdraw,
            methods=["POST"],
            name="me:withdraw",
        ),
        Route("/me/notifications", applicant.notifications_page, name="me:notifications"),
        # Booked 1:1 slots and messages left at booths (web/booth_slots.py).
        Route(
            "/fairs/{slug}/booths/{company}/slots/{slot_id:int}/book",
            booth_slots.book,
            methods=["POST"],
            name="applicant:book_slot",
        ),
        Route(
            "/fairs/{slug}/booths/{company}/messages",
            booth_slots.leave_message,
            methods=["POST"],
            name="applicant:leave_message",
        ),
        Route("/me/bookings", booth_slots.my_bookings, name="me:bookings"),
        Route(
            "/me/bookings/{booking_id:int}/cancel",
            booth_slots.cancel_booking,
            methods=["POST"],
            name="me:cancel_booking",
        ),
        Route("/company/booths/{booth_id:int}/slots", booth_slots.slots_page, name="company:slots"),
        Route(
            "/company/booths/{booth_id:int}/slots",
            booth_slots.publish_slots,
            methods=["POST"],
            name="company:publish_slots",
        ),
        Route(
            "/company/slots/{slot_id:int}/cancel",
            booth_slots.cancel_slot,
            methods=["POST"],
            name="company:cancel_slot",
        ),
        Route(
            "/company/bookings/{booking_id:int}/mark",
            booth_slots.mark_booking,
            methods=["POST"],
            name="company:mark_booking",
        ),
        Route("/company/messages", booth_slots.inbox, name="company:messages"),
        Route(
            "/company/messages/{message_id:int}/answer",
            booth_slots.answer,
            methods=["POST"],
            name="company:answer_message",
        ),
        Route(
            "/me/notifications/read",
            applicant.notifications_read,
            methods=["POST"],
            name="me:notifications_read",
        ),
        Route(
            "/me/notifications/{notification_id:int}/read",
            applicant.notification_read,
            methods=["POST"],
            name="me:notification_read",
        ),
        Route(
            "/me/placements/{placement_id:int}",
            drives.placement_page,
            name="me:direct_placement",
        ),
        Route(
            "/me/placements/{placement_id:int}",
            drives.placement_answer,
            methods=["POST"],
            name="me:direct_placement_answer",
        ),
        Route("/me/data", applicant.my_data, name="me:data"),
        Route("/me/data/page", applicant.my_data_page, name="me:data_page"),
        Route("/me/data/pdf", applicant.my_data_pdf, name="me:data_pdf"),
        Route(
            "/me/applications/{application_id:int}/placement",
            company.placement_answer,
            methods=["POST"],
            name="me:placement",
        ),
        Route("/company/register", company.register_page, name="company:register"),
        Route(
            "/company/register",
            company.register_submit,
            methods=["POST"],
            name="company:register_submit",
        ),
        Route("/company", company.dashboard, name="company:home"),
        Route("/company/booths", company.request_booth, methods=["POST"], name="company:request"),
        Route("/company/booths/{booth_id:int}", company.booth_page, name="company:booth"),
        Route(
            "/company/booths/{booth_id:int}",
            company.booth_submit,
            methods=["POST"],
            name="company:booth_submit",
        ),
        Route(
            "/company/booths/{booth_id:int}/logo",
            company.logo_upload,
            methods=["POST"],
            name="company:logo",
        ),
        Route(
            "/company/booths/{booth_id:int}/vacancies/new",
            company.vacancy_new,
            name="company:vacancy_new",
        ),
        Route(
            "/company/booths/{booth_id:int}/vacancies",
            company.vacancy_create,
            methods=["POST"],
            name="company:vacancy_create",
        ),
        Route("/company/vacancies/{vacancy_id:int}", company.vacancy_edit, name="company:vacancy"),
        Route(
            "/company/vacancies/{vacancy_id:int}",
            company.vacancy_update,
            methods=["POST"],
            name="company:vacancy_update",
        ),
        Route(
            "/company/vacancies/{vacancy_id:int}/close",
            company.vacancy_close,
            methods=["POST"],
            name="company:vacancy_close",
        ),
        Route("/company/applications", company.applications_page, name="company:applications"),
        Route(
            "/company/applications/status",
            company.stage_from_form,
            methods=["POST"],
            name="company:stage",
        ),
        Route(
            "/company/applications/discard",
            company.discard_from_form,
            methods=["POST"],
            name="company:discard",
        ),
        Route(
            "/company/applications/{application_id:int}",
            company.application_page,
            name="company:application",
        ),
        Route(
            "/company/applications/{application_id:int}/notes",
            company.application_note,
            methods=["POST"],
            name="company:note",
        ),
        Route(
            "/company/applications/{application_id:int}/cv",
            company.application_cv,
            name="company:cv",
        ),
        Route(
            "/company/decisions/release",
            company.release,
            methods=["POST"],
            name="company:release",
        ),
        Route("/company/decisions/undo", company.undo, methods=["POST"], name="company:undo"),
        Route("/company/exports", company.export, name="company:export"),
        Route("/company/exports/{job_id:int}", company.export_status, name="company:export_job"),
        Route(
            "/company/exports/{job_id:int}/download",
            company.export_download,
            name="company:export_download",
        ),
        Route("/company/drives", drives.company_drives, name="company:drives"),
        Route(
            "/company/drives/{drive_id:int}/placements",
            drives.report_page,
            name="company:drive_report",
        ),
        Route(
            "/company/drives/{drive_id:int}/placements",
            drives.report_submit,
            methods=["POST"],
            name="company:drive_report_submit",
        ),
        Route("/company/team", company.team_page, name="company:team"),
        Route("/company/team/invite", company.team_invite, methods=["POST"], name="company:invite"),
        Route("/company/join", company.join_page, name="company:join"),
        Route("/company/join", company.join_submit, methods=["POST"], name="company:join_submit"),
        Route("/organiser", organiser.home, name="organiser:home"),
        Route("/organiser/fairs/new", organiser.fair_new, name="organiser:fair_new"),
        Route(
            "/organiser/fairs",
            organiser.fair_create,
            methods=["POST"],
            name="organiser:fair_create",
        ),
        Route("/organiser/fairs/{slug}", organiser.fair_page, name="organiser:fair"),
        Route("/organiser/fairs/{slug}/edit", organiser.fair_edit, name="organiser:fair_edit"),
        Route(
            "/organiser/fairs/{slug}/edit",
            organiser.fair_update,
            methods=["POST"],
            name="organiser:fair_update",
        ),
        Route(
            "/organiser/fairs/{slug}/publish",
            organiser.fair_publish,
            methods=["POST"],
            name="organiser:fair_publish",
        ),
        Route(
            "/organiser/fairs/{slug}/extend",
            organiser.fair_extend,
            methods=["POST"],
            name="organiser:fair_extend",
        ),
        Route(
            "/organiser/fairs/{slug}/close",
            organiser.fair_close,
            methods=["POST"],
            name="organiser:fair_close",
        ),
        Route(
            "/organiser/fairs/{slug}/deadline",
            organiser.fair_deadline,
            methods=["POST"],
            name="organiser:fair_deadline",
        ),
        Route(
            "/organiser/fairs/{slug}/cancel",
            organiser.fair_cancel,
            methods=["POST"],
            name="organiser:fair_cancel",
        ),
        Route("/organiser/fairs/{slug}/queue", organiser.queue, name="organiser:queue"),
        Route(
            "/organiser/fairs/{slug}/{kind}/{object_id:int}/decision",
            organiser.decide,
            methods=["POST"],
            name="organiser:decide",
        ),
        Route("/organiser/drives", drives.drive_list, name="organiser:drives"),
        Route("/organiser/drives/new", drives.drive_new, name="organiser:drive_new"),
        Route(
            "/organiser/drives",
            drives.drive_create,
            methods=["POST"],
            name="organiser:drive_create",
        ),
        Route("/organiser/drives/{drive_id:int}", drives.drive_page, name="organiser:drive"),
        Route(
            "/organiser/drives/{drive_id:int}/progress.{kind}",
            drives.drive_download,
            name="organiser:drive_download",
        ),
        Route(
            "/organiser/drives/{drive_id:int}/edit",
            drives.drive_edit,
            name="organiser:drive_edit",
        ),
        Route(
            "/organiser/drives/{drive_id:int}/edit",
            drives.drive_update,
            methods=["POST"],
            name="organiser:drive_update",
        ),
        Route(
            "/organiser/drives/{drive_id:int}/fairs",
            drives.drive_fairs,
            methods=["POST"],
            name="organiser:drive_fairs",
        ),
        Route(
            "/organiser/drives/{drive_id:int}/partners",
            drives.drive_partners,
            methods=["POST"],
            name="organiser:drive_partners",
        ),
        Route("/organiser/companies", organiser.companies_page, name="organiser:companies"),
        Route(
            "/organiser/companies/{company_id:int}/decision",
            organiser.company_decide,
            methods=["POST"],
            name="organiser:company_decide",
        ),
        Route("/organiser/users", organiser.users_page, name="organiser:users"),
        Route(
            "/organiser/users",
            organiser.user_create,
            methods=["POST"],
            name="organiser:user_create",
        ),
        Route(
            "/organiser/users/{user_id:int}/active",
            organiser.user_active,
            methods=["POST"],
            name="organiser:user_active",
        ),
        Route("/organiser/networks", organiser.networks_page, name="organiser:networks"),
        Route(
            "/organiser/networks",
            organiser.network_create,
            methods=["POST"],
            name="organiser:network_create",
        ),
        Route(
            "/organiser/networks/{network_id:int}/remove",
            organiser.network_remove,
            methods=["POST"],
            name="organiser:network_remove",
        ),
        Route("/organiser/audit", organiser.audit_page, name="organiser:audit"),
        Route("/organiser/office", office.office_page, name="organiser:office"),
        Route(
            "/organiser/office",
            office.office_update,
            methods=["POST"],
            name="organiser:office_update",
        ),
        Route(
            "/organiser/office/statistics",
            office_report.office_report_page,
            name="organiser:office_report",
        ),
        Route(
            "/organiser/office/statistics/compile",
            office_report.office_report_compile,
            methods=["POST"],
            name="organiser:office_report_compile",
        ),
        Route(
            "/organiser/office/statistics/status",
            office_report.office_report_status,
            name="organiser:office_report_status",
        ),
        Route(
            "/organiser/office/statistics.{kind}",
            office_report.office_report_download,
            name="organiser:office_report_download",
        ),
        Route("/organiser/officer", officers.officer_profile, name="organiser:officer"),
        Route(
            "/organiser/officer",
            officers.officer_profile_update,
            methods=["POST"],
            name="organiser:officer_update",
        ),
        Route("/organiser/walk-in", officers.walk_in_page, name="organiser:walk_in"),
        Route(
            "/organiser/walk-in",
            officers.walk_in_create,
            methods=["POST"],
            name="organiser:walk_in_create",
        ),
        Route("/organiser/evaluation", officers.evaluation_page, name="organiser:evaluation"),
        Route(
            "/organiser/evaluation/export",
            officers.evaluation_export,
            name="organiser:evaluation_export",
        ),
        Route("/organiser/interchange", officers.interchange_page, name="organiser:interchange"),
        Route(
            "/organiser/interchange/export",
            officers.interchange_export,
            name="organiser:interchange_export",
        ),
        Route(
            "/organiser/interchange/ak1",
            officers.ak1_import,
            methods=["POST"],
            name="organiser:ak1_import",
        ),
        Route("/organiser/mail", organiser.mail_page, name="organiser:mail"),
        Route(
            "/organiser/mail/{outbox_id:int}/retry",
            organiser.mail_retry,
            methods=["POST"],
            name="organiser:mail_retry",
        ),
        Route(
            "/organiser/fairs/{slug}/report/compile",
            report_actions.compile_report,
            methods=["POST"],
            name="organiser:report_compile",
        ),
        Route("/organiser/fairs/{slug}/report", report.report_page, name="organiser:report"),
        Route(
            "/organiser/fairs/{slug}/report/status",
            report.report_status,
            name="organiser:report_status",
        ),
        Route(
            "/organiser/fairs/{slug}/report.{kind}",
            report.report_download,
            name="organiser:report_download",
        ),
        Route("/fairs/{slug}/summary", report.public_summary, name="public:summary"),
        Route("/media/logos/{name}", company.logo_file, name="media:logo"),
        Route("/me/delete", applicant.delete_page, name="me:delete"),
        Route("/me/delete", applicant.delete_submit, methods=["POST"], name="me:delete_submit"),
        Route("/organiser/fairs/{slug}/live", live.organiser_dashboard, name="organiser:live"),
        WebSocketRoute("/ws/fairs/{slug}", live.FairSocketApp(), name="ws:fair"),
        Route("/healthz", health.healthz, name="health:check"),
        Mount(
            "/api/v1",
            routes=[
                Route("/openapi.json", openapi.openapi_json, name="openapi"),
                Route("/fairs", api_public.list_fairs, name="fairs"),
                Route("/fairs/{slug}", api_public.get_fair, name="fair"),
                Route("/fairs/{slug}/booths", api_public.list_booths, name="booths"),
                Route("/fairs/{slug}/vacancies", api_public.list_vacancies, name="vacancies"),
                Route("/fairs/{slug}/report", api_reports.get_report, name="report"),
                Route(
                    "/offices/{office_id:int}/report",
                    api_office_reports.get_report,
                    name="office_report",
                ),
                Route(
                    "/offices/{office_id:int}/report",
                    api_office_reports.request_compile,
                    methods=["POST"],
                    name="office_report_compile",
                ),
                Route(
                    "/fairs/{slug}/report",
                    api_reports.request_compile,
                    methods=["POST"],
                    name="report_compile",
                ),
                Route(
                    "/fairs/{slug}/close",
                    api_organiser.close_fair,
                    methods=["POST"],
                    name="fair_close",
                ),
                Route(
                    "/fairs/{slug}/deadline",
                    api_organiser.move_deadline,
                    methods=["POST"],
                    name="fair_deadline",
                ),
                Route(
                    "/drives/{drive_id:int}/progress",
                    api_organiser.drive_progress,
                    name="drive_progress",
                ),
                Route("/tokens", api_applicant.create_token, methods=["POST"], name="tokens"),
                Route(
                    "/tokens/{token_id:int}",
                    api_applicant.revoke_token,
                    methods=["DELETE"],
                    name="token",
                ),
                Route("/applicants", api_applicant.register, methods=["POST"], name="applicants"),
                Route("/me", api_applicant.me, methods=["GET"], name="me"),
                Route("/me", api_applicant.update_me, methods=["PATCH"], name="me_update"),
                Route("/me", api_applicant.delete_me, methods=["DELETE"], name="me_delete"),
                Route("/me/data", api_applicant.my_data, name="me_data"),
                Route("/me/cv", applicant.cv_download, methods=["GET"], name="me_cv"),
                Route("/me/cv", api_applicant.upload_cv, methods=["PUT"], name="me_cv_upload"),
                Route(
                    "/vacancies/{vacancy_id:int}/applications",
                    api_applicant.apply,
                    methods=["POST"],
                    name="apply",
                ),
                Route("/me/applications", api_applicant.my_applications, name="my_applications"),
                Route(
                    "/me/applications/{application_id:int}",
                    api_applicant.my_application,
                    name="my_application",
                ),
                Route(
                    "/me/applications/{application_id:int}/withdraw",
                    api_applicant.withdraw,
                    methods=["POST"],
                    name="withdraw",
                ),
                Route("/me/notifications", api_applicant.notifications, name="notifications"),
                Route(
                    "/me/applications/{application_id:int}/placement",
                    api_company.answer_placement,
                    methods=["POST"],
                    name="placement",
                ),
                Route("/company/applications", api_company.list_applications, name="company_apps"),
                Route(
                    "/company/applications/status",
                    api_company.stage_bulk,
                    methods=["POST"],
                    name="company_bulk",
                ),
                Route(
                    "/company/applications/{application_id:int}/status",
                    api_company.stage_one,
                    methods=["POST"],
                    name="company_stage",
                ),
                Route(
                    "/company/applications/{application_id:int}/cv",
                    company.application_cv,
                    name="company_cv",
                ),
                Route(
                    "/company/decisions/release",
                    api_company.release,
                    methods=["POST"],
                    name="company_release",
                ),
                Route(
                    "/company/decisions/undo",
                    api_company.undo,
                    methods=["POST"],
                    name="company_undo",
                ),
            ],
            name="api",
        ),
        Mount("/static", StaticFiles(directory=static_dir), name="static"),
    ]
