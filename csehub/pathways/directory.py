"""A partnership's contact directory and "who to call now", without touching the database.

Opening hours are local (Europe/London) ranges per weekday. Bank holidays for England and Wales
come from the product's one calendar (deadlines.clocks); a partnership can add its own closure
dates in its file.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from csehub.deadlines.clocks import LONDON, bank_holiday_name, to_london

END_OF_DAY = datetime.time.max  # "24:00" in a file: open until midnight
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EMERGENCY_REMINDER = "If a child is in immediate danger, call 999 first."
LOOK_AHEAD_DAYS = 14


class OutOfHoursKind(enum.StrEnum):
    ANSWERPHONE = "answerphone"
    EMERGENCY_DUTY_TEAM = "emergency_duty_team"
    STAFFED_LINE = "staffed_line"

    @property
    def label(self) -> str:
        return {
            OutOfHoursKind.ANSWERPHONE: "an answerphone",
            OutOfHoursKind.EMERGENCY_DUTY_TEAM: "the emergency duty team",
            OutOfHoursKind.STAFFED_LINE: "a staffed out-of-hours line",
        }[self]


@dataclass(frozen=True)
class OpeningRange:
    opens: datetime.time
    closes: datetime.time  # END_OF_DAY for midnight

    def contains(self, moment: datetime.time) -> bool:
        return self.opens <= moment < self.closes or (
            self.closes == END_OF_DAY and moment >= self.opens
        )


@dataclass(frozen=True)
class OtherNumber:
    label: str
    number: str


@dataclass(frozen=True)
class OutOfHours:
    number: str
    kind: OutOfHoursKind
    description: str


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    purpose: str
    phone: str
    email: str
    hours: dict[int, tuple[OpeningRange, ...]]  # weekday (Monday 0) -> ranges in order
    hours_note: str
    out_of_hours: OutOfHours | None
    closed_on_bank_holidays: bool
    other_numbers: tuple[OtherNumber, ...] = ()

    def ranges_on(self, weekday: int) -> tuple[OpeningRange, ...]:
        return self.hours.get(weekday, ())

    @property
    def always_open(self) -> bool:
        return not self.closed_on_bank_holidays and all(
            self.ranges_on(day) == (OpeningRange(datetime.time(0, 0), END_OF_DAY),)
            for day in range(7)
        )


@dataclass(frozen=True)
class Closure:
    date: datetime.date
    reason: str


@dataclass(frozen=True)
class Directory:
    partnership: str  # slug
    version: int
    services: tuple[Service, ...]
    closures: tuple[Closure, ...] = ()

    def service(self, code: str) -> Service:
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(code)

    @property
    def main_service(self) -> Service:
        """The first service in the file: the one to call when none is named."""
        return self.services[0]


@dataclass(frozen=True)
class CallAdvice:
    service: Service
    at: datetime.datetime  # local time the advice is for
    is_open: bool
    number: str | None  # None when closed with no out-of-hours line
    number_label: str  # what the number is, e.g. "the out-of-hours answerphone"
    reason: str
    opens_again: datetime.datetime | None
    emergency_reminder: str = EMERGENCY_REMINDER

    @property
    def message(self) -> str:
        return f"{self.reason} {self.emergency_reminder}"


def format_time(moment: datetime.time) -> str:
    return "midnight" if moment == END_OF_DAY else moment.strftime("%H:%M")


def _the(name: str, *, start: bool = False) -> str:
    """A service name inside a sentence: "the front door", or "The front door" to begin one."""
    return f"{'The' if start else 'the'} {name}"


def _day_name(weekday: int) -> str:
    return WEEKDAYS[weekday].capitalize()


def _closed_reason(directory: Directory, service: Service, day: datetime.date) -> str | None:
    """Why the service is shut all day, or None when its usual hours apply.

    Extra closure dates apply to the services that close on bank holidays (office-hours
    services); a round-the-clock service keeps its hours.
    """
    if not service.closed_on_bank_holidays:
        return None
    for closure in directory.closures:
        if closure.date == day:
            return f"{_the(service.name, start=True)} is closed today ({closure.reason})"
    if name := bank_holiday_name(day):
        return f"It is a bank holiday ({name}) and {_the(service.name)} is closed"
    return None


def _next_opening(
    directory: Directory, service: Service, local: datetime.datetime
) -> datetime.datetime | None:
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + datetime.timedelta(days=offset)
        if _closed_reason(directory, service, day):
            continue
        for opening in service.ranges_on(day.weekday()):
            start = datetime.datetime.combine(day, opening.opens, tzinfo=LONDON)
            if start > local:
                return start
    return None


def _when(opening: datetime.datetime, local: datetime.datetime) -> str:
    time = format_time(opening.time())
    if opening.date() == local.date():
        return f"at {time} today"
    if opening.date() == local.date() + datetime.timedelta(days=1):
        return f"at {time} tomorrow"
    return f"at {time} on {opening.strftime('%A')} {opening.day} {opening.strftime('%B')}"


def who_to_call_now(directory: Directory, service_code: str, at: datetime.datetime) -> CallAdvice:
    """The number to call for a service at a moment, and a plain reason why.

    Raises KeyError when the directory has no service with that code.
    """
    service = directory.service(service_code)
    local = to_london(at)
    day, moment, weekday = local.date(), local.time(), local.weekday()
    closed_all_day = _closed_reason(directory, service, day)
    ranges = () if closed_all_day else service.ranges_on(weekday)
    current = next((r for r in ranges if r.contains(moment)), None)

    if current is not None:
        until = (
            "open all day and night"
            if service.always_open
            else f"open until {format_time(current.closes)} on {_day_name(weekday)}s"
        )
        return CallAdvice(
            service=service,
            at=local,
            is_open=True,
            number=service.phone,
            number_label=_the(service.name),
            reason=f"{_the(service.name, start=True)} is {until}: call {service.phone}.",
            opens_again=None,
        )

    if closed_all_day:
        why = closed_all_day
    elif not ranges:
        why = f"{_the(service.name, start=True)} is closed on {_day_name(weekday)}s"
    elif moment < ranges[0].opens:
        why = (
            f"{_the(service.name, start=True)} does not open until "
            f"{format_time(ranges[0].opens)} today"
        )
    elif moment >= ranges[-1].closes:
        why = (
            f"{_the(service.name, start=True)} closes at {format_time(ranges[-1].closes)} "
            f"on {_day_name(weekday)}s"
        )
    else:
        why = f"{_the(service.name, start=True)} is closed at this time of day"

    opens_again = _next_opening(directory, service, local)
    said_when = ranges and moment < ranges[0].opens  # "does not open until ..." said it
    reopening = (
        f" It opens again {_when(opens_again, local)}." if opens_again and not said_when else ""
    )
    ooh = service.out_of_hours
    if ooh is None:
        return CallAdvice(
            service=service,
            at=local,
            is_open=False,
            number=None,
            number_label="",
            reason=f"{why}, and it has no out-of-hours line.{reopening}",
            opens_again=opens_again,
        )
    extra = (
        " Leave a message with your name, number and the child's details."
        if ooh.kind is OutOfHoursKind.ANSWERPHONE
        else ""
    )
    return CallAdvice(
        service=service,
        at=local,
        is_open=False,
        number=ooh.number,
        number_label=f"the out-of-hours line ({ooh.kind.label})",
        reason=(
            f"{why}, so this is the out-of-hours line: call {ooh.number} "
            f"({ooh.kind.label}).{extra}{reopening}"
        ),
        opens_again=opens_again,
    )
