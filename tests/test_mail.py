"""Mail over SMTP against real servers on 127.0.0.1: the message, TLS, AUTH, and every refusal."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from isspass.cli import cli
from smtp_server import Authority, HangUp, SMTPServer, free_port

ZURICH = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-24", "--days", "3", "--offline"]
# Implicit TLS with AUTH: aiosmtpd counts only STARTTLS as TLS and warns; the channel is TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
TO = ["--mail-to", "you@example.org", "--mail-from", "isspass@example.org"]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    return Authority(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def trusting(authority, monkeypatch):
    """The client trusts the test's certificate authority (as SSL_CERT_FILE makes OpenSSL do)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.ca_file))
    return authority


def _parts(message):
    return [part.get_content_type() for part in message.walk()]


def _state_files(home):
    state = home / "state"
    return sorted(p.name for p in state.iterdir()) if state.exists() else []


def test_plain_mail_carries_the_table_an_html_table_and_the_calendar():
    expected = json.loads(run(*ZURICH, "--format", "json").stdout)
    text = run(*ZURICH).stdout
    with SMTPServer("none") as server:
        result = run(*ZURICH, *TO, "--mail-to", "friend@example.org", *server.options)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""  # cron: nothing to print when the mail went out
    (message,) = server.messages
    assert server.received[0][1] == ["you@example.org", "friend@example.org"]
    assert message["Subject"] == "ISS: 5 visible passes over Zurich, first Thu 24 Sep 19:43"
    assert message["From"] == "isspass@example.org"
    charts = ["image/png"] * len(expected["passes"])  # the sky charts, inline in the HTML part
    assert _parts(message) == [
        "multipart/mixed", "multipart/alternative", "text/plain", "multipart/related", "text/html", *charts,
        "text/calendar",
    ]  # fmt: skip
    plain = message.get_body(("plain",)).get_content()
    assert plain.replace("\r\n", "\n") == text
    page = message.get_body(("html",)).get_content()
    assert 'name="viewport"' in page and page.count("<tr>") == 1 + len(expected["passes"])
    rows = text.splitlines()[5:]
    assert len(rows) == len(expected["passes"])
    for row in rows:  # the same local times, to the second, as the text table
        appears, highest = row.split()[3], row.split()[9]
        assert f"<b>{appears}</b>" in page and f"{highest}<br>" in page
    (attachment,) = [part for part in message.iter_attachments()]
    assert attachment.get_filename() == "passes.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"{p['id']}@isspass" for p in expected["passes"]]
    assert attachment.get_content_charset() == "utf-8"
    assert "at 57° NNE" in str(events[0]["description"])  # the degree sign survives the trip


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(trusting, security, no_user_state_no_network):
    with SMTPServer(security, trusting, user="cron", password="s3cret!") as server:
        result = run(*ZURICH, *TO, *server.options, "--smtp-user", "cron",
                     env={"ISSPASS_SMTP_PASSWORD": "s3cret!"})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert server.logins == ["cron"] and len(server.messages) == 1
    assert "s3cret" not in result.output


def test_an_untrusted_certificate_is_refused(authority):
    """Without the test authority in SSL_CERT_FILE, the server's certificate is not believed."""
    with SMTPServer("ssl", authority) as server:
        result = run(*ZURICH, *TO, *server.options)
    assert result.exit_code == 9
    assert result.stderr.startswith("isspass: no secure connection to the mail server 127.0.0.1:")
    assert "certificate" in result.stderr and server.messages == []


def test_starttls_is_never_skipped_silently():
    with SMTPServer("none") as server:  # offers no STARTTLS
        result = run(*ZURICH, *TO, *server.options[:-1], "starttls")
    assert result.exit_code == 9 and "does not offer STARTTLS" in result.stderr
    assert server.messages == []


def _only_new_failure(home, server_options, *extra: str, env=None):
    """A --only-new run whose mail fails: exit 9, one line, and nothing recorded as announced."""
    result = run(*ZURICH, *TO, *extra, *server_options, "--only-new", env=env)
    assert result.exit_code == 9, (result.exit_code, result.stderr)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("isspass: ")
    assert not [name for name in _state_files(home) if name.endswith(".json")]
    return line


def _then_it_goes_out(server_options, *extra: str, env=None):
    """The next run, with a server that accepts, announces the passes after all."""
    with SMTPServer("none") as good:
        again = run(*ZURICH, *TO, *extra, *good.options, "--only-new", env=env)
    assert again.exit_code == 0 and len(good.messages) == 1


def test_a_recipient_refused_at_rcpt_sends_to_nobody(no_user_state_no_network):
    with SMTPServer("none") as server:
        server.refuse_rcpt = {"friend@example.org"}
        line = _only_new_failure(no_user_state_no_network, server.options, "--mail-to", "friend@example.org")
    assert "refused friend@example.org: 550" in line and "sent to nobody" in line
    assert server.received == []  # no DATA: nobody got half the news
    _then_it_goes_out([], "--mail-to", "friend@example.org")


def test_a_message_refused_at_data(no_user_state_no_network):
    with SMTPServer("none") as server:
        server.refuse_data = True
        line = _only_new_failure(no_user_state_no_network, server.options)
    assert "refused" in line and "554" in line


@pytest.mark.parametrize("at", ["MAIL", "DATA"])
def test_a_server_that_hangs_up(no_user_state_no_network, at):
    with HangUp(at) as server:
        line = _only_new_failure(no_user_state_no_network, server.options)
    assert "hung up" in line or "cannot reach" in line


def test_a_wrong_password(trusting, no_user_state_no_network):
    env = {"ISSPASS_SMTP_PASSWORD": "wrong"}
    with SMTPServer("starttls", trusting, password="right") as server:
        line = _only_new_failure(no_user_state_no_network, server.options, "--smtp-user", "cron", env=env)
    assert "refused the login: 535" in line and "wrong" not in line
    assert server.messages == []


def test_an_unreachable_port(no_user_state_no_network):
    port = str(free_port())  # nothing listens there
    options = ["--smtp-host", "127.0.0.1", "--smtp-port", port, "--smtp-security", "none"]
    line = _only_new_failure(no_user_state_no_network, options)
    assert line.startswith(f"isspass: cannot reach the mail server 127.0.0.1:{port}")
    _then_it_goes_out([])


def test_no_passes_and_quiet_if_none_sends_nothing():
    far_north = ["--lat", "80", "--lon", "8", "--start", "2026-09-24", "--days", "1", "--offline"]
    with SMTPServer("none") as server:
        quiet = run(*far_north, *TO, *server.options, "--quiet-if-none")
        told = run(*far_north, *TO, *server.options)
    assert quiet.exit_code == told.exit_code == 0
    (message,) = server.messages  # only the run without --quiet-if-none
    assert message["Subject"].startswith("ISS: no visible passes over ")
    assert "No visible passes of ISS (ZARYA) in this window." in message.get_body(("plain",)).get_content()


def test_warnings_cron_users_must_see_are_in_the_mail():
    aging = ["--lat", "47.37", "--lon", "8.54", "--start", "2026-09-30", "--days", "2", "--offline"]
    with SMTPServer("none") as server:
        result = run(*aging, *TO, *server.options)
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    assert re.search(r"times may be off by ±\d+ s", warning)
    body = server.messages[0].get_body(("plain",)).get_content()
    assert body.startswith(f"Warning: {warning.removeprefix('isspass: warning: ')}")
    assert "±" in server.messages[0].get_body(("html",)).get_content()


def test_offline_forbids_elements_not_mail():
    with SMTPServer("none") as server:
        result = run(*ZURICH, *TO, *server.options, env={"ISSPASS_OFFLINE": "1"})
    assert result.exit_code == 0 and len(server.messages) == 1


def test_settings_from_the_environment_and_the_config_file(no_user_state_no_network):
    config = no_user_state_no_network / "config.toml"
    with SMTPServer("none") as server:
        config.write_text(
            'mail-to = ["a@example.org", "b@example.org"]\nmail-from = "cron@example.org"\n'
            f'smtp-host = "127.0.0.1"\nsmtp-port = {server.port}\nsmtp-security = "none"\n'
        )
        from_config = run(*ZURICH)
        config.write_text(f'smtp-port = {server.port}\nsmtp-security = "none"\nsmtp-host = "127.0.0.1"\n')
        env = {"ISSPASS_MAIL_TO": "c@example.org", "ISSPASS_MAIL_FROM": "x@example.org"}
        from_env = run(*ZURICH, env=env)
    assert from_config.exit_code == from_env.exit_code == 0
    assert [r[1] for r in server.received] == [["a@example.org", "b@example.org"], ["c@example.org"]]
    assert [r[0] for r in server.received] == ["cron@example.org", "x@example.org"]


def test_the_password_is_never_an_option_nor_shown(no_user_state_no_network):
    env = {"ISSPASS_SMTP_PASSWORD": "hunter2", "ISSPASS_SMTP_USER": "cron"}
    shown = run("config", env=env)
    assert shown.exit_code == 0 and "hunter2" not in shown.output
    assert "smtp-user = cron  [environment ISSPASS_SMTP_USER]" in shown.stdout
    bad = run(*ZURICH, "--smtp-password", "x")
    assert bad.exit_code == 2
    config = no_user_state_no_network / "config.toml"
    config.write_text('smtp-password = "hunter2"\n')
    refused = run(*ZURICH)
    assert refused.exit_code == 7 and "ISSPASS_SMTP_PASSWORD only" in refused.stderr
    assert "hunter2" not in refused.output


def test_a_login_without_its_password_is_a_configuration_error():
    result = run(*ZURICH, *TO, "--smtp-user", "cron")
    assert result.exit_code == 7
    assert result.stderr == "isspass: --smtp-user cron needs its password in ISSPASS_SMTP_PASSWORD\n"


@pytest.mark.parametrize("address", ["you", "you@", "a@b\r\nBcc: evil@example.org", "<a@b>"])
def test_addresses_that_could_smuggle_headers_are_refused(address):
    result = run(*ZURICH, "--mail-to", address)
    assert result.exit_code == 2 and "is not a mail address" in result.stderr
