"""ORM models by aggregate. Importing this package registers every table on ``Base``."""

from jobfair.models.accounts import ApiToken, PasswordReset, TrustedNetwork, User, UserSession
from jobfair.models.applicants import Applicant, Cv, CvView
from jobfair.models.applications import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ExportJob,
    Placement,
)
from jobfair.models.audit import AuditLog
from jobfair.models.booth_slots import BookingState, BoothMessage, BoothSlot, SlotBooking
from jobfair.models.companies import (
    Booth,
    Company,
    CompanyInvitation,
    OfficeVerification,
    Recruiter,
)
from jobfair.models.conversations import (
    AbuseReport,
    ChatBlock,
    ChatMessage,
    ChatSetting,
    Conversation,
    QueueEntry,
)
from jobfair.models.drives import (
    DirectPlacement,
    Drive,
    DriveFair,
    DrivePartner,
    DriveRegency,
)
from jobfair.models.fairs import Fair, FairHostRegency, LabourOffice
from jobfair.models.messages import Notification, Outbox
from jobfair.models.office_reports import OfficeReport, OfficeReportRequest
from jobfair.models.reports import FairReport, ReportRequest
from jobfair.models.vacancies import Vacancy

__all__ = [
    "AbuseReport",
    "ApiToken",
    "Applicant",
    "Application",
    "ApplicationEvent",
    "ApplicationNote",
    "AuditLog",
    "BookingState",
    "Booth",
    "BoothMessage",
    "BoothSlot",
    "ChatBlock",
    "ChatMessage",
    "ChatSetting",
    "Company",
    "CompanyInvitation",
    "Conversation",
    "Cv",
    "CvView",
    "DirectPlacement",
    "Drive",
    "DriveFair",
    "DrivePartner",
    "DriveRegency",
    "ExportJob",
    "Fair",
    "FairHostRegency",
    "FairReport",
    "LabourOffice",
    "Notification",
    "OfficeReport",
    "OfficeReportRequest",
    "OfficeVerification",
    "Outbox",
    "PasswordReset",
    "Placement",
    "QueueEntry",
    "Recruiter",
    "ReportRequest",
    "SlotBooking",
    "TrustedNetwork",
    "User",
    "UserSession",
    "Vacancy",
]
