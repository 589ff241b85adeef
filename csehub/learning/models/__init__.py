"""Learn: courses loaded from data files, learners' attempts, sign-off, certificates, records,
briefing sessions and the pledge.

Course content (Course, CourseSection, Question, Choice) is loaded from csehub/learning/data/
courses/<code>.yaml by services.content.learning_content_load; codes stay stable and content that
leaves its file is retired, never deleted, so every attempt that used it still reads the same.
Everything else changes only through the services in csehub/learning/services/.
"""

from .attempts import (
    OPEN_ATTEMPT_STATUSES,
    Answer,
    Attempt,
    AttemptStatus,
    ReviewEvent,
    ReviewEventKind,
    SectionProgress,
)
from .content import (
    BLOCK_TYPES,
    MARKED_KINDS,
    Choice,
    Course,
    CourseKind,
    CourseSection,
    Question,
    QuestionKind,
)
from .pledge import Pledge, PledgeInvitation
from .records import (
    BriefingAttendance,
    BriefingSession,
    Certificate,
    RefresherReminder,
    TrainingRecord,
    TrainingSource,
)

__all__ = [
    "BLOCK_TYPES",
    "MARKED_KINDS",
    "OPEN_ATTEMPT_STATUSES",
    "Answer",
    "Attempt",
    "AttemptStatus",
    "BriefingAttendance",
    "BriefingSession",
    "Certificate",
    "Choice",
    "Course",
    "CourseKind",
    "CourseSection",
    "Pledge",
    "PledgeInvitation",
    "Question",
    "QuestionKind",
    "RefresherReminder",
    "ReviewEvent",
    "ReviewEventKind",
    "SectionProgress",
    "TrainingRecord",
    "TrainingSource",
]
