"""A whole fast-track round: a call opened in the morning, two applications (one in Swedish),
a reviewer with a conflict, scores, decisions by e-mail, a final report into the case bank."""

import io
import re
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.tests.factories import TOTP_SECRET, UserFactory
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ApplicationStatus, Call
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import AxeChecker, log_in


def persona(browser, live_server, email, *, lang="fi", totp=False):
    context = browser.new_context(base_url=live_server.url, locale=f"{lang}-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, email, lang=lang, totp_secret=TOTP_SECRET if totp else None)
    return page


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check(page, path, axe, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path}: {response.status}"
    if status == 200:
        assert page.locator("h1").count() == 1, path
        axe(page)


def test_a_fast_track_round_from_call_to_case_bank(browser, live_server):
    axe = AxeChecker()
    coordinator = UserFactory(
        email="kirsi@example.fi",
        name="Kirsi Koordinaattori",
        roles=[PlatformRole.COORDINATOR],
        totp=True,
    )
    reviewer = UserFactory(
        email="arto@example.fi", name="Arto Arvioija", roles=[PlatformRole.REVIEWER], totp=True
    )
    second = UserFactory(
        email="bo@example.fi", name="Bo Bedömare", roles=[PlatformRole.REVIEWER], totp=True
    )
    kuopio, vaasa = (Organisation.objects.get(slug=s) for s in ("kuopio", "vaasa"))
    kalle = UserFactory(email="kalle@example.fi", name="Kalle Kehittäjä")
    ulla = UserFactory(email="ulla@example.fi", name="Ulla Utvecklare", language="sv")
    Membership.objects.create(organisation=kuopio, user=kalle)
    Membership.objects.create(organisation=vaasa, user=ulla)
    library = ExperimentFactory(owner=kuopio, title="Kirjaston ryhmätilat verkosta")
    library.team.create(user=kalle, role="lead")

    # The coordinator opens a fast-track call.
    kirsi = persona(browser, live_server, coordinator.email, totp=True)
    check(kirsi, "/fi/funding/new/", axe)
    opens = timezone.localtime() - timedelta(hours=1)
    kirsi.locator("#id_title").fill("Pikakaista 2026")
    kirsi.locator("#id_title_sv").fill("Snabbspår 2026")
    kirsi.locator("#id_description").fill("Enintään 10 000 € pieniin kokeiluihin.")
    kirsi.locator("#id_description_sv").fill("Högst 10 000 € för små försök.")
    kirsi.locator("#id_organiser").select_option(
        str(Organisation.objects.get(slug="pohjois-savo-maakunta").pk)
    )
    kirsi.locator("#id_total_budget").fill("20000")
    kirsi.locator("#id_max_per_application").fill("10000")
    kirsi.locator("#id_own_contribution_percent").fill("20")
    kirsi.locator("#id_opens_at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    kirsi.locator("#id_closes_at").fill((opens + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))
    kirsi.locator("#id_decision_days").fill("14")
    kirsi.locator("#id_fast_track").check()
    # The usual appeal instructions are offered; the registry's address is the organiser's to add.
    appeal = kirsi.locator("#id_appeal_instructions")
    expect(appeal).to_have_value(re.compile(r"oikaisuvaatimuksen.*\[", re.S))
    appeal.fill(
        appeal.input_value().replace(
            "[viranomainen, postiosoite ja kirjaamon sähköpostiosoite]",
            "Pohjois-Savon liitto, kirjaamo@pohjois-savo.fi",
        )
    )
    appeal_sv = kirsi.locator("#id_appeal_instructions_sv")
    appeal_sv.fill(
        appeal_sv.input_value().replace(
            "[myndighet, postadress och registraturens e-postadress]",
            "Norra Savolax förbund, kirjaamo@pohjois-savo.fi",
        )
    )
    kirsi.locator("#id_criteria-0-name").fill("Hyöty asukkaille")
    kirsi.locator("#id_criteria-0-name_sv").fill("Nytta för invånarna")
    kirsi.locator("#id_criteria-0-weight").fill("2")
    kirsi.locator("#id_questions-0-label").fill("Mitä opitte, jos kokeilu epäonnistuu?")
    kirsi.locator("#id_questions-0-label_sv").fill("Vad lär ni er om försöket misslyckas?")
    kirsi.locator("form.form button[type=submit]").last.click()
    expect(kirsi.locator("h1")).to_have_text("Pikakaista 2026")
    # A new call is a draft, shown as one, with no apply button, until it is published.
    expect(kirsi.locator(".card__meta")).to_contain_text("Luonnos — ei julkaistu")
    expect(kirsi.locator("a[href$='/apply/']")).to_have_count(0)
    axe(kirsi)
    kirsi.get_by_role("button", name="Julkaise haku").click()
    expect(kirsi.locator(".card__meta")).to_contain_text("avoinna")
    call = Call.objects.get(title="Pikakaista 2026")
    assert call.fast_track and call.reviewers_per_application == 1

    # Kuopio applies in Finnish with an existing experiment; the draft saves itself.
    kalle_page = persona(browser, live_server, kalle.email)
    check(kalle_page, call.get_absolute_url(), axe)
    kalle_page.locator(f"a[href$='/{call.slug}/apply/']").click()
    kalle_page.locator("#id_experiment").select_option(str(library.pk))
    kalle_page.locator("#start-form button[type=submit]").click()
    expect(kalle_page.locator("#application-form")).to_be_visible()
    axe(kalle_page)
    kalle_page.locator("#id_summary").fill("Ryhmätilat varattaviksi verkossa, ovet puhelimella.")
    kalle_page.locator("#id_own_contribution").fill("2000")
    kalle_page.locator("#id_budget-0-description").fill("Älylukot")
    kalle_page.locator("#id_budget-0-amount").fill("9000")
    question = call.questions.get()
    kalle_page.locator(f"#id_q_{question.pk}").fill("Opimme, miksi tiloja ei varata.")
    kalle_page.locator("#id_summary").focus()
    expect(kalle_page.locator("#autosave")).to_contain_text(re.compile(r"\d{1,2}[.:]\d{2}"))
    kuopio_application = Application.objects.get(experiment=library)
    assert kuopio_application.summary.startswith("Ryhmätilat")  # saved without a click
    kalle_page.locator("button[name=submit]").click()
    expect(kalle_page.locator(".badge--application-submitted")).to_be_visible()
    axe(kalle_page)

    # Vaasa applies in Swedish with a new experiment, described in the same step.
    ulla_page = persona(browser, live_server, ulla.email, lang="sv")
    check(ulla_page, f"/sv/funding/{call.slug}/apply/", axe)
    ulla_page.locator("#id_title").fill("Lokalbokning i Vasa")
    ulla_page.locator("#id_summary").fill("Invånarna bokar lokaler på nätet.")
    ulla_page.locator("#start-form button[type=submit]").click()
    ulla_page.locator("#id_summary").fill("Dörrar som öppnas med mobilen i tre skolor.")
    ulla_page.locator("#id_own_contribution").fill("1000")
    ulla_page.locator("#id_budget-0-description").fill("Lås")
    ulla_page.locator("#id_budget-0-amount").fill("5000")
    ulla_page.locator(f"#id_q_{question.pk}").fill("Vi lär oss vad som hindrar bokningar.")
    ulla_page.locator("button[name=submit]").click()
    expect(ulla_page.locator(".badge--application-submitted")).to_be_visible()
    axe(ulla_page)
    vaasa_application = Application.objects.get(applicant=vaasa)
    receipt = [m for m in mail.outbox if m.to == [ulla.email]][-1]
    assert "Ansökan mottagen" in receipt.subject

    # The coordinator gives both to the reviewer.
    for application in (kuopio_application, vaasa_application):
        check(kirsi, application.get_absolute_url(), axe)
        kirsi.locator(f"input[name=reviewers][value='{reviewer.pk}']").check()
        kirsi.locator(f"form[action$='/{application.pk}/reviewers/'] button[type=submit]").click()
        expect(kirsi.locator("#review-title ~ .panel").first).to_contain_text("Arto Arvioija")

    # The reviewer declares a conflict on Vaasa's and can no longer see it; scores Kuopio's.
    arto = persona(browser, live_server, reviewer.email, totp=True)
    vaasa_review = vaasa_application.assignments.get(reviewer=reviewer)
    check(arto, vaasa_review.get_absolute_url(), axe)
    arto.locator("details.panel summary").click()
    arto.locator("#id_conflict_reason").fill("Entinen kollegani johtaa kokeilua.")
    arto.locator("button[name=conflict]").click()
    check(arto, vaasa_review.get_absolute_url(), axe, status=404)
    check(arto, vaasa_application.get_absolute_url(), axe, status=404)
    kuopio_review = kuopio_application.assignments.get(reviewer=reviewer)
    check(arto, kuopio_review.get_absolute_url(), axe)
    criterion = call.criteria.get()
    arto.locator(f"input[name=score_{criterion.pk}][value='4']").check()
    arto.locator(f"#id_comment_{criterion.pk}").fill("Selkeä ja pieni.")
    arto.locator("button[name=submit]").click()
    expect(arto.locator("#scores-title")).to_be_visible()
    axe(arto)

    # The coordinator reassigns Vaasa's to a second reviewer, who scores it.
    check(kirsi, vaasa_application.get_absolute_url(), axe)
    kirsi.locator(f"input[name=reviewers][value='{second.pk}']").check()
    kirsi.locator(f"form[action$='/{vaasa_application.pk}/reviewers/'] button[type=submit]").click()
    assignment = vaasa_application.assignments.get(reviewer=second)
    services.scores_save(assignment=assignment, by=second, scores={criterion.pk: (5, "Bra")})
    services.review_submit(assignment=assignment, by=second)

    check(kirsi, f"/fi/funding/{call.slug}/applications/", axe)
    expect(kirsi.locator("tbody tr").first).to_contain_text("Lokalbokning i Vasa")  # 5 > 4

    # Decisions, sent by e-mail in each applicant's language.
    mail.outbox.clear()
    for application in (vaasa_application, kuopio_application):
        check(kirsi, application.get_absolute_url(), axe)
        kirsi.locator("#decision-form input[name=outcome][value=approved]").check()
        kirsi.locator("#decision-form #id_reasoning").fill("Pieni, selkeä ja opettava kokeilu.")
        expect(kirsi.locator("#id_decision_maker_name")).to_have_value("Kirsi Koordinaattori")
        kirsi.locator("#id_decision_maker_title").fill("kehittämispäällikkö")
        kirsi.locator("#decision-form button[type=submit]").click()
        expect(kirsi.locator("h1")).to_contain_text("DK/")
        axe(kirsi)
    # The decision as a PDF: its record number, the decision-maker and the appeal instructions.
    number = kuopio_application.decisions.get().record_number
    expect(kirsi.locator("h1")).to_contain_text(number)
    with kirsi.expect_download() as download:
        kirsi.get_by_role("link", name="Lataa päätös (PDF)").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert number in text and "kehittämispäällikkö" in text
    assert "Pohjois-Savon liitto, kirjaamo@pohjois-savo.fi" in text
    swedish = next(m for m in mail.outbox if m.to == [ulla.email])
    finnish = next(m for m in mail.outbox if m.to == [kalle.email])
    assert finnish.attachments[0][0] == f"{number.replace('/', '-')}.pdf"
    assert "Finansieringsbeslut" in swedish.subject and "beviljad" in swedish.subject
    assert "Pieni, selkeä ja opettava kokeilu." in finnish.body
    assert "Arto" not in finnish.body and "Bo " not in swedish.body  # reviewers stay private

    check(kirsi, f"/fi/funding/{call.slug}/dashboard/", axe)
    expect(kirsi.locator("tbody tr")).to_have_count(2)

    # Kuopio reports; the experiment enters the case bank with its results.
    check(kalle_page, f"/fi/funding/applications/{kuopio_application.pk}/report/", axe)
    kalle_page.locator("#id_results").fill("Varaukset kaksinkertaistuivat kolmessa kuukaudessa.")
    kalle_page.locator("#id_outcome").select_option("succeeded")
    kalle_page.locator("#id_lessons").fill("Aloita yhdestä tilasta.")
    kalle_page.locator("#id_spent").fill("8800")
    kalle_page.locator("#report-form button[type=submit]").click()
    expect(kalle_page.locator(".badge--application-approved")).to_be_visible()
    axe(kalle_page)
    assert Application.objects.get(pk=kuopio_application.pk).status == ApplicationStatus.APPROVED

    visitor = browser.new_context(base_url=live_server.url).new_page()
    check(visitor, "/fi/casebank/?q=ryhmätilat", axe)
    expect(visitor.locator("#results")).to_contain_text("Kirjaston ryhmätilat verkosta")
    check(visitor, call.get_absolute_url(), axe)
    decisions = visitor.locator("#decisions-title ~ .table-wrap")
    expect(decisions).to_contain_text("Kirjaston ryhmätilat verkosta")  # reported: published
    # Vaasa's experiment, made inside its application, is still a draft: not named.
    expect(decisions).to_contain_text("Kokeilu ei ole julkinen")
    expect(decisions).not_to_contain_text("Lokalbokning i Vasa")
    for page in (kirsi, kalle_page, ulla_page, arto, visitor):
        page.context.close()
