"""Pass reports by e-mail: the message (text, HTML table, iCalendar attachment) and its delivery.

Delivered over SMTP with the standard library, all or nothing: a refused recipient stops the
message before its data is sent, and anything short of the server's acceptance is a MailError.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from . import __version__
from .defaults import SECURITIES
from .errors import MailError
from .formats import Report, local_time, render_ics, render_text
from .model import Pass, PassPoint
from .text import inert

#: The variable the SMTP password is read from: never an option, never in the config file.
PASSWORD_ENV = "ISSPASS_SMTP_PASSWORD"
#: The port each security uses when none is given (submission, submissions, SMTP).
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
#: Each wait for the server (connection, each reply) lasts at most this long, seconds.
SMTP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: recipients, sender, server, security, and the login if any."""

    to: tuple[str, ...]
    sender: str
    host: str = "localhost"
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = SMTP_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.security not in SECURITIES:
            raise ValueError(f"security must be one of {', '.join(SECURITIES)}")
        for address in (*self.to, self.sender):
            check_address(address)
        if not self.to:
            raise ValueError("no recipient")

    @property
    def server_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


def check_address(address: str) -> str:
    """``address`` if it has a local part and a domain and nothing that could end a header line."""
    local, at, domain = address.rpartition("@")
    bad = any(c in address for c in "\r\n\x00<>,;\"() \t") or not address.isprintable()
    if not (at and local and domain) or bad or len(address) > 254:
        raise ValueError(f"'{inert(address, 80)}' is not a mail address (like you@example.org)")
    return address


# --------------------------------------------------------------------------- the message (pure)


def place_name(report: Report) -> str:
    """A short name for the place: the city of its time zone, else its coordinates."""
    if "/" in report.timezone:
        return report.timezone.rsplit("/", 1)[1].replace("_", " ")
    o = report.observer
    return (
        f"{abs(o.latitude_deg):.2f}° {'N' if o.latitude_deg >= 0 else 'S'} "
        f"{abs(o.longitude_deg):.2f}° {'E' if o.longitude_deg >= 0 else 'W'}"
    )


def _short_name(report: Report) -> str:
    """``ISS (ZARYA)`` → ``ISS``: what a subject line needs."""
    if report.several:
        return report.what
    return report.satellite.name.split(" (", 1)[0].strip() or report.satellite.name


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}es" if word.endswith("s") else f"{count} {word}s"


def _first(p: Pass) -> PassPoint:
    return p.appears or p.rise


def subject(report: Report) -> str:
    """What and when: ``ISS: 3 visible passes over Zurich, first Thu 24 Sep 19:43``."""
    kind = "visible pass" if report.criteria.visible_only else "pass"
    head = f"{_short_name(report)}:"
    place = place_name(report)
    passes, news = report.passes, report.news
    when = "" if not passes else f"{local_time(_first(passes[0]).time, report.zone):%a %d %b %H:%M}"
    if news is not None:
        parts = []
        if news.new:
            parts.append(f"{len(news.new)} new")
        if news.changed:
            parts.append(f"{len(news.changed)} changed")
        if parts:
            counted = _plural(len(passes), kind).split(" ", 1)[1]
            text = f"{head} {' and '.join(parts)} {counted} over {place}"
            text += f", {'first ' if len(passes) > 1 else ''}{when}"
        else:
            text = f"{head} no new {kind}es over {place}"
        if news.cancelled:
            text += f"; {len(news.cancelled)} cancelled"
        return inert(text, 200)
    if not passes:
        end = local_time(report.end, report.zone)
        return inert(f"{head} no {kind}es over {place} until {end:%a %d %b}", 200)
    first = "first " if len(passes) > 1 else ""
    return inert(f"{head} {_plural(len(passes), kind)} over {place}, {first}{when}", 200)


def plain_text(report: Report, warnings: Sequence[str] = ()) -> str:
    """The text part: the warnings a cron user must see, then today's table."""
    notes = [f"Warning: {inert(w, 500)}" for w in warnings]
    return ("\n".join(notes) + "\n\n" if notes else "") + render_text(report)


def html_text(report: Report, warnings: Sequence[str] = (), chart_ids: Sequence[str] = ()) -> str:
    """The HTML part: the same table, as a table a phone shows without scrolling sideways.

    ``chart_ids`` are the content ids of the passes' sky charts (inline PNG parts, one per
    pass in order, or none): each is shown under the table, since mail clients show no SVG.
    """
    zone = report.zone
    sat = report.satellite
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(subject(report))}</title>",
        "<style>body{font-family:sans-serif;font-size:15px}table{border-collapse:collapse}"
        "th,td{padding:4px 6px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
        ".warn{color:#a40}</style></head><body>",
    ]
    for warning in warnings:
        out.append(f'<p class="warn">Warning: {esc(inert(warning, 500))}</p>')
    header = render_text(report).split("\n", 3)
    out.append(f"<p>{esc(header[0])}<br>{esc(header[1])}<br>{esc(header[2])}</p>")
    if report.passes:
        news = report.news
        heads = ["When", "Length", "Mag", "Appears", "Highest", "Disappears"]
        if news is not None:
            heads.append("Status")
        out.append("<table><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>")
        for p in report.passes:
            lit = p.appears is not None
            first, top, last = (p.appears, p.highest, p.disappears) if lit else (p.rise, p.culmination, p.set)
            assert first is not None and top is not None and last is not None
            start = local_time(first.time, zone)
            length = p.visible_duration_s if p.visible else p.duration_s
            mag = "" if p.magnitude is None else f"{p.magnitude:.1f}"
            cells = [
                f"{start:%a %d %b}<br><b>{start:%H:%M:%S}</b>",
                f"{round(length) // 60}m {round(length) % 60:02d}s",
                mag,
                f"{first.altitude_deg:.0f}° {first.direction}",
                f"{local_time(top.time, zone):%H:%M:%S}<br>{top.altitude_deg:.0f}° {top.direction}",
                f"{last.altitude_deg:.0f}° {last.direction}",
            ]
            if news is not None:
                previous = news.previous(p)
                was = None if previous is None else local_time(previous, zone)
                cells.append("new" if was is None else f"changed, was {was:%H:%M:%S}")
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</table>")
        for p, cid in zip(report.passes, chart_ids, strict=False):
            lit = p.appears or p.rise
            when = f"{local_time(lit.time, zone):%a %d %b %H:%M}"
            out.append(
                f'<p><b>{esc(when)}</b><br><img src="cid:{esc(cid)}" width="360" '
                f'style="max-width:100%;height:auto" alt="{esc(f"Sky chart of the pass of {when}")}"></p>'
            )
    else:
        fresh = "new " if report.news is not None else ""
        kind = "visible passes" if report.criteria.visible_only else "passes"
        out.append(f"<p>No {fresh}{kind} of {esc(sat.name)} in this window.</p>")
    if report.news is not None and report.news.cancelled:
        out.append("<p>Cancelled (announced before, no longer predicted):</p><ul>")
        for gone in report.news.cancelled:
            out.append(f"<li>{local_time(gone.time, zone):%a %d %b %H:%M:%S} ({esc(gone.id)})</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def compose(
    report: Report, settings: MailSettings, warnings: Sequence[str] = (), charts: Sequence[bytes] = ()
) -> EmailMessage:
    """The whole message: subject, a text part, an HTML part, and the passes as ``passes.ics``.

    ``charts`` are PNG sky charts of the report's passes, in order (or none): they go into
    the HTML part as inline images; the text part is the same with or without them.
    """
    message = EmailMessage()
    message["Subject"] = subject(report)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = format_datetime(report.start.astimezone(report.zone))
    message["Message-ID"] = make_msgid("isspass", settings.sender.rpartition("@")[2] or None)
    message["X-Mailer"] = f"isspass {__version__}"
    message.set_content(plain_text(report, warnings))
    domain = settings.sender.rpartition("@")[2] or None
    cids = [make_msgid(f"chart{n}", domain) for n in range(1, len(charts) + 1)]
    message.add_alternative(html_text(report, warnings, [cid[1:-1] for cid in cids]), subtype="html")
    if charts:
        html_part = message.get_body(("html",))
        assert html_part is not None
        for n, (cid, png) in enumerate(zip(cids, charts, strict=True), start=1):
            html_part.add_related(png, maintype="image", subtype="png", cid=cid, filename=f"pass-{n}.png")
    message.add_attachment(render_ics(report), subtype="calendar", charset="utf-8", filename="passes.ics")
    return message


# --------------------------------------------------------------------------- delivery


def send(message: EmailMessage, settings: MailSettings) -> None:
    """Deliver ``message`` to every recipient, or raise :class:`MailError` saying what failed.

    All or nothing: every recipient must be accepted before the message is sent, and the
    message counts as delivered only once the server accepted its data (250). ``starttls``
    and ``ssl`` verify the server's certificate against the system's authorities
    (``SSL_CERT_FILE`` names others) and its host name.
    """
    server = f"{inert(settings.host, 100)}:{settings.server_port}"
    try:
        with _connect(settings) as smtp:
            if settings.user is not None:
                if settings.password is None:
                    raise MailError(f"no password for {inert(settings.user, 80)}: set {PASSWORD_ENV}")
                smtp.login(settings.user, settings.password)
            _transmit(smtp, message, settings, server)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"the mail server {server} refused the login: {_reply(exc)}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"the mail server {server} does not support {inert(str(exc), 120)}") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise MailError(f"the mail server {server} hung up: {inert(str(exc) or 'connection closed', 120)}; "
                        "the mail was not sent") from None  # fmt: skip
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"the mail server {server} refused: {_reply(exc)}") from None
    except TimeoutError:
        raise MailError(f"the mail server {server} did not answer within {settings.timeout_s:g} s") from None
    except ssl.SSLError as exc:
        reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or str(exc)
        raise MailError(
            f"no secure connection to the mail server {server}: {inert(str(reason), 120)}"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise MailError(f"cannot reach the mail server {server}: {inert(reason, 120)}") from None


def _connect(settings: MailSettings) -> smtplib.SMTP:
    host, port, timeout = settings.host, settings.server_port, settings.timeout_s
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(
                    f"the mail server {inert(host, 100)}:{port} does not offer STARTTLS; "
                    "use --smtp-security ssl, or none if you must send in the clear"
                )
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _transmit(smtp: smtplib.SMTP, message: EmailMessage, settings: MailSettings, server: str) -> None:
    """MAIL, every RCPT, then DATA only if all were accepted: a refusal leaves nothing half-sent."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(settings.sender)
    if code != 250:
        smtp.rset()
        raise MailError(f"the mail server {server} refused the sender: {code} {_text(reply)}")
    for address in settings.to:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            smtp.rset()
            raise MailError(
                f"the mail server {server} refused {inert(address, 80)}: {code} {_text(reply)}; "
                "the mail was sent to nobody"
            )
    # SMTP lines end in CRLF, and smtplib sends bytes as they are.
    code, reply = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    if code != 250:
        raise MailError(f"the mail server {server} refused the message: {code} {_text(reply)}")


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return inert(" ".join(text.split()), 160)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"

